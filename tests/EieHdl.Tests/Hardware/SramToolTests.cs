using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Processes;

namespace EieHdl.Tests.Hardware;

public class SramToolTests
{
    private static Dictionary<string, int> Shape(int width, int depth) => new() { ["Width"] = width, ["Depth"] = depth };

    [Fact]
    public void LintsCleanInEveryShapeOfTheDefaultConfig()
    {
        var config = new EieConfig();
        using var scratch = new RtlScratch(config);
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, ["eie_sram_sp.v"], "eie_sram_sp"));
        foreach (var s in SramSinglePort.ShapesFor(config))
            ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, ["eie_sram_sp.v"], "eie_sram_sp", Shape(s.Width, s.Depth)));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(8, 16)]
    public void LintsAndSynthesisesCleanInOddShapes(int width, int depth)
    {
        using var scratch = new RtlScratch(new EieConfig());
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, ["eie_sram_sp.v"], "eie_sram_sp", Shape(width, depth)));
        ToolAssert.SynthClean(RtlTools.SynthCheck(scratch.Folder, ["eie_sram_sp.v"], "eie_sram_sp", Shape(width, depth)));
    }

    [Theory]
    [InlineData(16, 256)]
    [InlineData(17, 100)]
    public void IsInferredAsAMemory(int width, int depth)
    {
        using var scratch = new RtlScratch(new EieConfig());
        var result = RtlTools.Yosys(scratch.Folder, ["eie_sram_sp.v"],
            $"chparam -set Width {width} -set Depth {depth} eie_sram_sp; hierarchy -check -top eie_sram_sp; "
            + "proc; opt; memory -nomap; select -assert-count 1 t:$mem t:$mem_v2");
        Assert.True(result.Ok, result.ToString());
    }

    [Fact]
    public void MapsToAnIce40BlockRam()
    {
        using var scratch = new RtlScratch(new EieConfig());
        var result = RtlTools.Yosys(scratch.Folder, ["eie_sram_sp.v"],
            "chparam -set Width 16 -set Depth 256 eie_sram_sp; synth_ice40 -top eie_sram_sp; "
            + "select -assert-min 1 t:SB_RAM40_4K");
        Assert.True(result.Ok, result.ToString());
    }

    [Fact]
    public void CompilesUnderIcarus()
    {
        using var scratch = new RtlScratch(new EieConfig());
        ToolAssert.CompileClean(RtlTools.Icarus(scratch.Folder, ["eie_sram_sp.v"], "eie_sram_sp"));
    }
}
