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
    public void SetAndTechReachTheStudy()
    {
        using var dir = new ScratchFolder();
        File.WriteAllText(dir["round.json"], EieHdl.Tests.Energy.RoundTech.Json().ToJsonString());
        var result = InProcessCli.Run("study", "--quick", "--set", "ActQueueDepth=4", "--tech", dir["round.json"], "--out", dir["s"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
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
