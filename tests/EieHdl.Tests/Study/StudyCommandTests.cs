using System.Text.Json.Nodes;
using EieHdl.IO;
using EieHdl.Study;
using EieHdl.Tests.Cli;

namespace EieHdl.Tests.Study;

/// <summary>
/// `eiehdl study --quick` end to end, twice: every file is there, the deterministic files are
/// byte-identical between the runs (the measured ones under measured/ and report.md are not
/// compared), and the data have the properties that hold whatever the paper says. Bad inputs
/// are refused with one line and nothing written.
/// </summary>
public class StudyCommandTests : IClassFixture<StudyCommandTests.TwoRuns>
{
    public sealed class TwoRuns : IDisposable
    {
        public ScratchFolder Dir { get; } = new();
        internal CliResult First { get; }
        internal CliResult Second { get; }

        public TwoRuns()
        {
            // Different job counts: the results must not depend on them.
            First = InProcessCli.Run("study", "--quick", "--jobs", "2", "--out", Dir["a"]);
            Second = InProcessCli.Run("study", "--quick", "--jobs", "1", "--out", Dir["b"]);
        }

        public void Dispose() => Dir.Dispose();
    }

    private readonly TwoRuns runs;

    public StudyCommandTests(TwoRuns runs) => this.runs = runs;

    [Fact]
    public void WritesEveryFileAndProgressOnStderr()
    {
        Assert.True(runs.First.ExitCode == 0, runs.First.Stderr);
        foreach (var f in StudyOutput.DeterministicFiles.Concat(StudyOutput.MeasuredFiles).Append("report.md").Append(OutputFolder.MarkerFile))
            Assert.True(File.Exists(Path.Combine(runs.Dir["a"], f)), $"missing {f}");
        Assert.Contains("study: sweep", runs.First.Stderr);
        Assert.Contains("study: cpu", runs.First.Stderr);
        string report = File.ReadAllText(Path.Combine(runs.Dir["a"], "report.md"));
        foreach (var heading in new[] { "## Fig. 8", "## Fig. 11", "## Fig. 12", "## Fig. 13", "## Table IV", "### Break-even", "## Fig. 9", "## Fig. 7 analogue", "## Table V analogue", "## Fig. 10 (energy)", "## Closing note" })
            Assert.Contains(heading, report);
    }

    [Fact]
    public void DeterministicFilesAreByteIdenticalAcrossRunsAndJobCounts()
    {
        Assert.True(runs.Second.ExitCode == 0, runs.Second.Stderr);
        foreach (var f in StudyOutput.DeterministicFiles)
            Assert.True(File.ReadAllBytes(Path.Combine(runs.Dir["a"], f)).SequenceEqual(File.ReadAllBytes(Path.Combine(runs.Dir["b"], f))), $"{f} differs");
    }

    private JsonNode Study => JsonNode.Parse(File.ReadAllText(Path.Combine(runs.Dir["a"], "study.json")))!;

    private static double[] Values(JsonNode series) => series["values"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    [Fact]
    public void EverySeriesIsPresentForEveryLayer()
    {
        var study = Study;
        var layers = StudyPlan.Quick.Layers.Select(l => l.Key).ToArray();
        Assert.Equal(layers, study["fig8LoadEfficiency"]!.AsArray().Select(s => s!["layer"]!.GetValue<string>()));
        foreach (var fig in new[] { "fig11SpeedUp", "fig12PaddingShare", "fig13LoadBalance" })
            foreach (var rows in new[] { "interleaved", "balanced" })
                Assert.Equal(layers, study[fig]!.AsArray().Where(s => s!["rows"]!.GetValue<string>() == rows).Select(s => s!["layer"]!.GetValue<string>()));
        Assert.Equal(StudyPlan.Quick.Sparsities.Count, study["breakEvenEie"]!["points"]!.AsArray().Count);
        Assert.Equal(layers.Length, study["table4Eie"]!.AsArray().Count);
    }

    [Fact]
    public void TheDataHaveThePropertiesThatMustHold()
    {
        var study = Study;
        foreach (var s in study["fig8LoadEfficiency"]!.AsArray())
        {
            var v = Values(s!);
            Assert.All(v, x => Assert.InRange(x, 0.0, 1.0));
            Assert.True(v[^1] >= v[0], $"{s!["layer"]}: depth 256 below depth 1");
        }
        foreach (var s in study["fig11SpeedUp"]!.AsArray())
        {
            var v = Values(s!);
            Assert.Equal(1.0, v[0]);
            for (int k = 1; k < v.Length; k++) Assert.True(v[k] > v[k - 1], $"{s!["layer"]} {s["rows"]}: speed-up fell at {StudyPlan.Quick.PeCounts[k]} PEs");
        }
        foreach (var s in study["fig12PaddingShare"]!.AsArray()) Assert.All(Values(s!), x => Assert.InRange(x, 0.0, 1.0));
        foreach (var s in study["fig13LoadBalance"]!.AsArray())
        {
            var v = Values(s!);
            Assert.Equal(1.0, v[0]);
            Assert.All(v, x => Assert.InRange(x, double.Epsilon, 1.0));
        }
        foreach (var p in study["points"]!.AsArray())
            Assert.True(p!["result"]!["cycles"]!.GetValue<long>() >= p["result"]!["idealCycles"]!.GetValue<long>());
        // Fewer weights, fewer entries: EIE's cycles fall as the sparsity rises.
        var cycles = study["breakEvenEie"]!["points"]!.AsArray().Select(p => p!["cycles"]!.GetValue<long>()).ToArray();
        for (int k = 1; k < cycles.Length; k++) Assert.True(cycles[k] < cycles[k - 1]);
    }

    [Fact]
    public void Fig9HasEveryLayerAtEveryWidthAndItsLeastEnergyWidth()
    {
        var fig9 = Study["energy"]!["fig9SpmatWidth"]!;
        var widths = fig9["widths"]!.AsArray().Select(w => w!.GetValue<int>()).ToArray();
        Assert.Equal(EieHdl.Energy.SpmatWidthSweep.Widths, widths);
        var points = fig9["points"]!.AsArray();
        Assert.Equal(StudyPlan.Quick.Layers.Select(l => l.Name).SelectMany(l => widths.Select(w => (l, w))),
            points.Select(p => (p!["layer"]!.GetValue<string>(), p["widthBits"]!.GetValue<int>())));
        double Total(int w) => points.Where(p => p!["widthBits"]!.GetValue<int>() == w).Sum(p => p!["energyUj"]!.GetValue<double>());
        int best = fig9["bestWidthBits"]!.GetValue<int>();
        Assert.All(widths, w => Assert.True(Total(best) <= Total(w), $"{best} bits is not the least energy: {w} bits is less"));
        // Wider words hold more entries: the layers never need more reads.
        var reads = widths.Select(w => points.Where(p => p!["widthBits"]!.GetValue<int>() == w).Sum(p => p!["spmatReads"]!.GetValue<long>())).ToArray();
        for (int k = 1; k < reads.Length; k++) Assert.True(reads[k] <= reads[k - 1]);
    }

    [Fact]
    public void Fig7TableVAndTheMultiplierEnergyAreConsistent()
    {
        var study = Study;
        var energy = study["energy"]!;
        var fig7 = energy["fig7EnergyEfficiency"]!.AsArray();
        // The same layer, seed and config as Table IV's EIE column: the same cycles.
        Assert.Equal(study["table4Eie"]!.AsArray().Select(t => (t!["layer"]!.GetValue<string>(), t["cycles"]!.GetValue<long>())),
            fig7.Select(l => (l!["layer"]!.GetValue<string>(), l["cycles"]!.GetValue<long>())));
        double Sum(string field) => fig7.Sum(l => l![field]!.GetValue<double>());
        foreach (var l in fig7)
        {
            double uj = l!["energyUj"]!.GetValue<double>(), us = l["timeUs"]!.GetValue<double>();
            Assert.True(uj > 0);
            Assert.Equal(uj / us * 1e3, l["powerMw"]!.GetValue<double>(), 1e-9);
            Assert.Equal(l["operations"]!.GetValue<long>() / (uj * 1e3), l["gopPerSecondPerWatt"]!.GetValue<double>(), 1e-9);
        }
        var chip = energy["table5"]!;
        Assert.Equal(Sum("energyUj") / Sum("timeUs") * 1e3, chip["powerMw"]!.GetValue<double>(), 1e-9);
        Assert.Equal(2 * 64 * 0.8, chip["peakGopPerSecond"]!.GetValue<double>(), 1e-12);
        Assert.True(chip["gopPerSecond"]!.GetValue<double>() <= chip["peakGopPerSecond"]!.GetValue<double>());
        Assert.True(chip["areaMm2"]!.GetValue<double>() > 0);
        var multiplier = energy["fig10MultiplierEnergy"]!.AsArray();
        Assert.Equal(new[] { 0 }.Concat(PrecisionStudy.Widths), multiplier.Select(m => m!["bits"]!.GetValue<int>()));
        // Narrower operands, cheaper multiplies.
        var fixedPj = multiplier.Skip(1).Select(m => m!["energyPj"]!.GetValue<double>()).ToArray();
        for (int k = 1; k < fixedPj.Length; k++) Assert.True(fixedPj[k] < fixedPj[k - 1]);
    }

    [Theory]
    [InlineData("0", "--jobs", "[1, 1024]")]
    [InlineData("-3", "--jobs", "[1, 1024]")]
    public void BadJobsIsRefused(string jobs, string input, string limit)
    {
        using var dir = new ScratchFolder();
        var result = InProcessCli.Run("study", "--quick", "--jobs", jobs, "--out", dir["s"]);
        CliRunner.AssertOneLineError(result, input, limit, jobs);
        Assert.False(Directory.Exists(dir["s"]));
    }

    [Fact]
    public void CacheWithoutMnistIsRefused()
    {
        using var dir = new ScratchFolder();
        var result = InProcessCli.Run("study", "--quick", "--cache", dir["c"], "--out", dir["s"]);
        CliRunner.AssertOneLineError(result, "--cache", "needs --mnist");
        Assert.False(Directory.Exists(dir["s"]));
    }

    [Fact]
    public void BadConfigIsRefused()
    {
        using var dir = new ScratchFolder();
        File.WriteAllText(dir["c.json"], "{\"ActQueueDepth\": 0}");
        var result = InProcessCli.Run("study", "--quick", "--config", dir["c.json"], "--out", dir["s"]);
        CliRunner.AssertOneLineError(result, "ActQueueDepth", "[1, 1024]", "0");
        Assert.False(Directory.Exists(dir["s"]));
    }

    [Fact]
    public void SetTechAndFpgaMhzReachTheStudy()
    {
        using var dir = new ScratchFolder();
        File.WriteAllText(dir["round.json"], EieHdl.Tests.Energy.RoundTech.Json().ToJsonString());
        var result = InProcessCli.Run("study", "--quick", "--set", "ActQueueDepth=4", "--tech", dir["round.json"], "--fpga-mhz", "48.5", "--out", dir["s"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        AssertFpgaColumns(dir["s"], 48.5);
        var study = JsonNode.Parse(File.ReadAllText(Path.Combine(dir["s"], "study.json")))!;
        Assert.Equal(4, study["config"]!["actQueueDepth"]!.GetValue<int>());
        Assert.Equal("4", File.ReadAllLines(Path.Combine(dir["s"], "table4-eie.csv"))[1].Split(',')[2]);
        var energy = study["energy"]!;
        Assert.Equal("round", energy["process"]!.GetValue<string>());
        // The test technology's multiply energy is 0.001 pJ x bits^2 and its float multiply 2 pJ.
        var multiplier = energy["fig10MultiplierEnergy"]!.AsArray();
        Assert.Equal(2.0, multiplier[0]!["energyPj"]!.GetValue<double>());
        Assert.Equal(0.256, multiplier.Single(m => m!["bits"]!.GetValue<int>() == 16)!["energyPj"]!.GetValue<double>(), 1e-12);
    }

    /// <summary>EIE's time at the --fpga-mhz clock is the 64-PE cycles / F, exactly as printed, in every file that has Table IV.</summary>
    private static void AssertFpgaColumns(string folder, double mhz)
    {
        var eie = File.ReadAllLines(Path.Combine(folder, "table4-eie.csv"));
        Assert.EndsWith(",fpga_mhz,us_at_fpga_mhz", eie[0]);
        var study = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "study.json")))!;
        Assert.Equal(mhz, study["fpgaMhz"]!.GetValue<double>());
        var rows = study["table4Eie"]!.AsArray();
        Assert.Equal(eie.Length - 1, rows.Count);
        for (int k = 1; k < eie.Length; k++)
        {
            var cells = eie[k].Split(',');
            long cycles = long.Parse(cells[3], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(mhz.ToString("R", System.Globalization.CultureInfo.InvariantCulture), cells[^2]);
            Assert.Equal((cycles / mhz).ToString("R", System.Globalization.CultureInfo.InvariantCulture), cells[^1]);
            Assert.Equal(cycles / mhz, rows[k - 1]!["usAtFpgaMhz"]!.GetValue<double>());
        }
        var cpu = File.ReadAllLines(Path.Combine(folder, "measured", "table4-cpu.csv"));
        var header = cpu[0].Split(',');
        Assert.Equal(new[] { "fpga_mhz", "eie_us_at_fpga_mhz", "speedup_eie_at_fpga_mhz" }, header[^3..]);
        foreach (var line in cpu.Skip(1))
        {
            var cells = line.Split(',');
            double Cell(string name) => double.Parse(cells[Array.IndexOf(header, name)], System.Globalization.CultureInfo.InvariantCulture);
            double us = Cell("eie_cycles") / mhz;
            Assert.Equal(us, Cell("eie_us_at_fpga_mhz"));
            Assert.Equal(Cell("dense_us") / us, Cell("speedup_eie_at_fpga_mhz"));
        }
        string report = File.ReadAllText(Path.Combine(folder, "report.md"));
        string shown = mhz.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"| EIE at {shown} MHz | speed-up at {shown} MHz |", report);
        Assert.Contains("the clock given with `--fpga-mhz`, e.g. the Fmax `eiehdl synth` reports; the cycles are the 64-PE config's", report);
    }

    [Fact]
    public void WithoutFpgaMhzTheReportSaysHowToGetTheColumn()
    {
        string report = File.ReadAllText(Path.Combine(runs.Dir["a"], "report.md"));
        Assert.Contains("`--fpga-mhz F` adds EIE's time at F MHz", report);
        Assert.DoesNotContain("fpga", File.ReadAllLines(Path.Combine(runs.Dir["a"], "table4-eie.csv"))[0]);
        Assert.True(Study.AsObject().ContainsKey("fpgaMhz"));
        Assert.Null(Study["fpgaMhz"]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("2000.5")]
    [InlineData("1e9")]
    [InlineData("fast")]
    public void BadFpgaMhzIsRefusedBeforeAnyWork(string mhz)
    {
        using var dir = new ScratchFolder();
        var result = InProcessCli.Run("study", "--quick", "--fpga-mhz", mhz, "--out", dir["s"]);
        CliRunner.AssertOneLineError(result, "--fpga-mhz", "positive finite clock in MHz, at most 2000", $"got {mhz}");
        Assert.False(Directory.Exists(dir["s"]));
    }

    [Fact]
    public void BadSetOrTechIsRefusedBeforeAnyWork()
    {
        using var dir = new ScratchFolder();
        var result = InProcessCli.Run("study", "--quick", "--set", "ActQueueDepth=0", "--out", dir["s"]);
        CliRunner.AssertOneLineError(result, "ActQueueDepth", "[1, 1024]", "0");
        Assert.False(Directory.Exists(dir["s"]));
        File.WriteAllText(dir["bad.json"], "{ \"process\": 3 }");
        result = InProcessCli.Run("study", "--quick", "--tech", dir["bad.json"], "--out", dir["s"]);
        CliRunner.AssertOneLineError(result, "bad.json", "process");
        Assert.DoesNotContain("study: ", result.Stderr);
        Assert.False(Directory.Exists(dir["s"]));
        result = InProcessCli.Run("study", "--quick", "--tech", dir["none.json"], "--out", dir["s"]);
        CliRunner.AssertOneLineError(result, "none.json");
        Assert.False(Directory.Exists(dir["s"]));
    }

    [Fact]
    public void AFolderEiehdlDidNotWriteIsKeptWithoutForce()
    {
        using var dir = new ScratchFolder();
        Directory.CreateDirectory(dir["s"]);
        File.WriteAllText(Path.Combine(dir["s"], "mine.txt"), "keep");
        var result = InProcessCli.Run("study", "--quick", "--out", dir["s"]);
        CliRunner.AssertOneLineError(result, "--out", OutputFolder.MarkerFile);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(dir["s"], "mine.txt")));
        Assert.Single(Directory.GetFileSystemEntries(dir["s"]));
    }
}
