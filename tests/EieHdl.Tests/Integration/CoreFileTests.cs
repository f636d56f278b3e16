using EieHdl.Fpga;
using EieHdl.Integration;
using EieHdl.Processes;
using EieHdl.Simulation.Testbench;
using EieHdl.Tests.Cli;
using EieHdl.Tests.Fpga;
using EieHdl.Tests.Hardware;
using EieHdl.Tests.Sim;
using YamlDotNet.Serialization;

namespace EieHdl.Tests.Integration;

/// <summary>
/// The FuseSoC CAPI2 core files: parsed as YAML (FuseSoC is not installable here), every file
/// they name exists beside them, every target's filesets and top level exist, and the lint and
/// sim targets' own options run clean under Verilator and Icarus.
/// </summary>
public class CoreFileTests
{
    private static Dictionary<object, object> Parse(string path)
    {
        string text = File.ReadAllText(path);
        Assert.StartsWith("CAPI=2:\n", text);
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(text);
    }

    private static Dictionary<object, object> Map(object node) => Assert.IsType<Dictionary<object, object>>(node);

    private static string[] Strings(object node) => Assert.IsType<List<object>>(node).Select(o => (string)o).ToArray();

    /// <summary>The files of a fileset, with an include file's options map reduced to its name.</summary>
    private static string[] Files(Dictionary<object, object> fileset) =>
        Assert.IsType<List<object>>(fileset["files"]).Select(f => f as string ?? (string)Map(f).Keys.Single()).ToArray();

    /// <summary>Checks the structure every core shares; returns the filesets and targets.</summary>
    private static (Dictionary<object, object> Filesets, Dictionary<object, object> Targets) CheckCore(string folder, string top,
        string coreName = "", string bareList = FileLists.LocalListName)
    {
        var core = Parse(Path.Combine(folder, CoreFile.FileName));
        Assert.Equal($"eiehdl:eie:{(coreName.Length > 0 ? coreName : top)}:{CoreFile.Version}", core["name"]);
        Assert.Contains("config sha256", (string)core["description"]);
        var filesets = Map(core["filesets"]);
        foreach (var (name, node) in filesets)
            foreach (var file in Files(Map(node)))
                Assert.True(File.Exists(Path.Combine(folder, file)), $"fileset {name}: {file} is missing");
        var targets = Map(core["targets"]);
        var rtl = Files(Map(filesets["rtl"]));
        Assert.Equal(File.ReadAllLines(Path.Combine(folder, bareList)), rtl);
        foreach (var (name, node) in targets)
        {
            var target = Map(node);
            foreach (var fs in Strings(target["filesets"])) Assert.True(filesets.ContainsKey(fs), $"target {name}: no fileset {fs}");
            string toplevel = (string)target["toplevel"];
            var sources = Strings(target["filesets"]).SelectMany(fs => Files(Map(filesets[fs]))).Where(f => f.EndsWith(".v", StringComparison.Ordinal));
            Assert.True(sources.Any(f => File.ReadAllText(Path.Combine(folder, f)).Contains($"module {toplevel}", StringComparison.Ordinal)),
                $"target {name}: no file defines {toplevel}");
            if (target.TryGetValue("default_tool", out var tool)) Assert.True(Map(target["tools"]).ContainsKey(tool), $"target {name}: no options for {tool}");
        }
        Assert.Equal(top, Map(targets["default"])["toplevel"]);
        return (filesets, targets);
    }

    private static Dictionary<object, object> ToolOptions(Dictionary<object, object> targets, string target) =>
        Map(Map(Map(targets[target])["tools"])[Map(targets[target])["default_tool"]]);

    [Fact]
    public void GeneratesACoreWhoseLintTargetRunsCleanAndWhoseSynthTargetsAreTheFlowsOwn()
    {
        using var scratch = new ScratchFolder();
        string rtl = scratch["rtl"];
        var run = InProcessCli.Run("generate", "--pes", "2", "--out", rtl);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var (filesets, targets) = CheckCore(rtl, "eie_top");
        Assert.Equal(["eie_top.sdc"], Files(Map(filesets["constraints"])));
        Assert.Equal("SDC", Map(filesets["constraints"])["file_type"]);

        var lint = ToolOptions(targets, "lint");
        Assert.Equal("lint-only", lint["mode"]);
        var lintRun = RtlTools.Run("verilator",
            ["--lint-only", .. Strings(lint["verilator_options"]), "--top-module", "eie_top", .. Files(Map(filesets["rtl"]))], rtl);
        ToolAssert.LintClean(lintRun);

        foreach (var t in FpgaTarget.All)
        {
            var synth = ToolOptions(targets, "synth_" + t.Name.Replace('-', '_'));
            Assert.Equal(t.SynthCommand, $"synth_{synth["arch"]} {string.Join(' ', Strings(synth["yosys_synth_options"]))}".TrimEnd());
        }
        Assert.Equal(["-dsp", "-spram", "-dffe_min_ce_use", "4"], Strings(ToolOptions(targets, "synth_ice40_up5k")["yosys_synth_options"]));
        Assert.Equal("xilinx", ToolOptions(targets, "synth_xc7")["arch"]);
    }

    [Fact]
    public void ABoardCoreCarriesItsPinsAndItsPlaceAndRouteOptions()
    {
        using var scratch = new ScratchFolder();
        string config = FpgaTestConfigs.SmallConfigPath;
        var ice = InProcessCli.Run("generate", "--board", "icebreaker", "--config", config, "--out", scratch["ice"]);
        Assert.True(ice.ExitCode == 0, ice.Stderr);
        var (filesets, targets) = CheckCore(scratch["ice"], "eie_icebreaker_top");
        Assert.Equal("PCF", Map(filesets["pins"])["file_type"]);
        var icestorm = ToolOptions(targets, "icebreaker");
        Assert.Equal("next", icestorm["pnr"]);
        Assert.Equal(["--up5k", "--package", "sg48", "--freq", (EieHdl.Hardware.Board.IceBreaker.ClockHz / 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture)], Strings(icestorm["nextpnr_options"]));

        var arty = InProcessCli.Run("generate", "--board", "arty-a7", "--config", Path.Combine(FpgaTestConfigs.RepoRoot, "hw", "configs", "arty-a7.json"), "--out", scratch["arty"]);
        Assert.True(arty.ExitCode == 0, arty.Stderr);
        (filesets, targets) = CheckCore(scratch["arty"], "eie_arty_a7_top");
        Assert.Equal(["arty-a7.xdc"], Files(Map(filesets["pins"])));
        Assert.Equal("xc7a35tcsg324-1", ToolOptions(targets, "arty-a7")["part"]);
    }

    [Fact]
    public void TheTestbenchCoreSimTargetPassesUnderIcarusFromTheFilesItNames()
    {
        var (image, input, expected) = SimCase.Case.Value;
        using var scratch = new ScratchFolder();
        string folder = scratch["tb"];
        TestbenchWriter.Write(folder, SimCase.Config, image, input, expected);
        File.WriteAllText(Path.Combine(folder, CoreFile.FileName), CoreFile.ForTestbench(File.ReadAllLines(Path.Combine(folder, "eie.f")),
            TestbenchWriter.TestbenchFile, TestbenchWriter.IncludeFiles, TestbenchWriter.TransactionsFile, "config sha256 0"));
        var (filesets, targets) = CheckCore(folder, "eie_top", "eie_tb", "eie.f");
        var sim = Map(targets["sim"]);
        Assert.Equal("eie_tb", sim["toplevel"]);
        var simFilesets = Strings(sim["filesets"]).Select(fs => Map(filesets[fs])).ToArray();
        Assert.Equal([TestbenchWriter.ParamsFile, TestbenchWriter.CommonFile], Files(Map(filesets["tb_include"])));

        // FuseSoC copies only the files a target names into its build folder: so does this.
        string build = scratch["build"];
        Directory.CreateDirectory(build);
        foreach (var file in simFilesets.SelectMany(Files)) File.Copy(Path.Combine(folder, file), Path.Combine(build, file));
        // Include files are written as maps ({name: {is_include_file: true}}); the sources as plain names.
        var sources = simFilesets
            .Where(fs => (string)fs["file_type"] == "verilogSource" && Assert.IsType<List<object>>(fs["files"]).All(f => f is string))
            .SelectMany(Files);
        var compile = RtlTools.Run("iverilog",
            [.. Strings(ToolOptions(targets, "sim")["iverilog_options"]), "-I", ".", "-s", "eie_tb", "-o", "sim.vvp", .. sources], build);
        Assert.True(compile.Ok, compile.ToString());
        var result = RtlTools.Vvp(build);
        Assert.Matches($@"(?m)^PASS {expected.Length} outputs, [1-9][0-9]* cycles$", result.Output);
    }
}
