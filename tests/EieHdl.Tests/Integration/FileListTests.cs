using EieHdl.Integration;
using EieHdl.Processes;
using EieHdl.Tests.Cli;
using EieHdl.Tests.Hardware;

namespace EieHdl.Tests.Integration;

/// <summary>
/// The file lists `generate` writes: eie.f read by Icarus (-c), Verilator (-f) and yosys from
/// the folder generate ran in, eie_local.f read by Verilator's -F from anywhere and by Icarus
/// from inside the output folder.
/// </summary>
public class FileListTests
{
    [Theory]
    [InlineData("out/rtl", "out/rtl/")]
    [InlineData("./out/rtl/", "out/rtl/")]
    [InlineData("out/../rtl", "rtl/")]
    [InlineData(".", "")]
    [InlineData("-x", "./-x/")]
    public void TheEieFPrefixIsTheOutputPathFromTheWorkingFolder(string output, string prefix) =>
        Assert.Equal(prefix, FileLists.Prefix(output, "/work/checkout"));

    [Fact]
    public void AnAbsoluteOutputKeepsItsAbsolutePathAndAFolderAboveIsReachedByDots()
    {
        Assert.Equal("/data/rtl/", FileLists.Prefix("/data/rtl", "/work/checkout"));
        Assert.Equal("../rtl/", FileLists.Prefix("../rtl", "/work/checkout"));
    }

    [Theory]
    [InlineData("my rtl")]
    [InlineData("rtl$(HOME)")]
    [InlineData("a\"b")]
    public void APathACommandFileCannotCarryIsRefused(string output)
    {
        var e = Assert.Throws<EieInputException>(() => FileLists.Prefix(output, "/work/checkout"));
        Assert.StartsWith("--out: ", e.Message);
        Assert.Contains(output, e.Message);
    }

    [Fact]
    public void IcarusVerilatorAndYosysReadTheListsGenerateWrote()
    {
        using var scratch = new ScratchFolder();
        var generate = CliRunner.Run(scratch.Path, "generate", "--pes", "2", "--out", "out/rtl");
        Assert.True(generate.ExitCode == 0, generate.Stderr);
        string rtl = scratch["out/rtl"];
        var listed = File.ReadAllLines(Path.Combine(rtl, "eie.f"));
        Assert.All(listed, l => Assert.StartsWith("out/rtl/eie_", l));
        Assert.Equal(listed.Select(l => l["out/rtl/".Length..]), File.ReadAllLines(Path.Combine(rtl, FileLists.LocalListName)));
        Assert.Equal(Directory.GetFiles(rtl, "*.v").Select(Path.GetFileName).Order(StringComparer.Ordinal),
            listed.Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // From the folder generate ran in.
        ToolAssert.CompileClean(RtlTools.Run("iverilog", ["-g2005", "-Wall", "-s", "eie_top", "-o", "sim.vvp", "-c", "out/rtl/eie.f"], scratch.Path));
        ToolAssert.LintClean(RtlTools.Run("verilator",
            ["--lint-only", "-Wall", "--default-language", "1364-2005", "--top-module", "eie_top", "-f", "out/rtl/eie.f"], scratch.Path));
        var yosys = RtlTools.Run("yosys", ["-p", $"read_verilog {string.Join(' ', listed)}; hierarchy -check -top eie_top"], scratch.Path);
        Assert.True(yosys.Ok, yosys.ToString());

        // eie_local.f: Verilator -F from an unrelated folder, Icarus from inside the output folder.
        string elsewhere = Directory.CreateDirectory(scratch["elsewhere"]).FullName;
        ToolAssert.LintClean(RtlTools.Run("verilator",
            ["--lint-only", "-Wall", "--default-language", "1364-2005", "--top-module", "eie_top", "-F", "../out/rtl/eie_local.f"], elsewhere));
        ToolAssert.CompileClean(RtlTools.Run("iverilog", ["-g2005", "-Wall", "-s", "eie_top", "-o", "../../sim2.vvp", "-c", FileLists.LocalListName], rtl));
    }
}
