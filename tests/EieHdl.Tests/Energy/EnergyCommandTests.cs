using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EieHdl.Config;
using EieHdl.CycleModel;
using EieHdl.Tests.Cli;
using EieHdl.Workloads;

namespace EieHdl.Tests.Energy;

/// <summary>
/// `eiehdl energy`: the report's figures add up (units to layers, PEs to the chip), its cycles
/// are the cycle model's, bad input is refused in one line before any work, and the width
/// sweep writes the same files every time. NT-We on 16 PEs keeps each run to seconds.
/// </summary>
public sealed class EnergyCommandTests
{
    private static readonly string[] Small = ["--layers", "nt-we", "--pes", "16"];

    private static JsonNode RunJson(params string[] args)
    {
        var result = InProcessCli.Run(["energy", .. args, "--json"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return JsonNode.Parse(result.Stdout)!;
    }

    private static double D(JsonNode? n) => n!.GetValue<double>();

    [Fact]
    public void ReportAddsUpAndUsesTheCycleModelsCycles()
    {
        var doc = RunJson(Small);
        var layer = doc["layers"]![0]!;
        Assert.Equal("NT-We", layer["layer"]!.GetValue<string>());

        // The cycles are those of the cycle model on the same layer and seed.
        var config = new EieConfig { Pes = 16 }.Validate();
        var built = BenchmarkChain.Build(config, [BenchmarkLayers.NtWe], 1);
        var stats = new EieCycleModel(built.Model.Image).Run(built.Input).Layers.Single();
        Assert.Equal(stats.Cycles, layer["cycles"]!.GetValue<long>());
        Assert.Equal(stats.Events.SpmatReads, layer["events"]!["SpmatWordReads"]!.GetValue<long>());
        Assert.Equal(stats.Events.Macs, layer["events"]!["Multiplies"]!.GetValue<long>());

        double timeUs = D(layer["timeUs"]);
        Assert.Equal(stats.Cycles / 800.0, timeUs, 9);
        var units = layer["units"]!.AsArray();
        Assert.Equal(["SpmatRead", "PtrRead", "ArithmUnit", "ActRW", "ActQueue", "LNZD", "CCU"], units.Select(u => u!["name"]!.GetValue<string>()));
        Assert.Equal(D(layer["energyUj"]), units.Sum(u => D(u!["energyUj"])), 9);
        Assert.Equal(D(layer["energyUj"]) / timeUs * 1e3, D(layer["powerMw"]), 6);
        foreach (var u in units)
            Assert.Equal(D(u!["energyUj"]), D(u["memoryUj"]) + D(u["logicUj"]) + D(u["clockUj"]), 9);
        // Dense-equivalent: 2 x 4096 x 600 operations; done: 2 per MAC.
        Assert.Equal(2.0 * 4096 * 600 / (timeUs * 1e3), D(layer["denseGopPerSecond"]), 6);
        Assert.Equal(2.0 * stats.Events.Macs / (timeUs * 1e3), D(layer["gopPerSecond"]), 6);
        Assert.Equal(D(layer["gopPerSecond"]) / (D(layer["powerMw"]) * 1e-3), D(layer["gopPerSecondPerWatt"]), 6);
        // DRAM: 32 bits per dense weight.
        Assert.Equal(32L * 4096 * 600, layer["dram"]!["denseFloat32Bits"]!.GetValue<long>());

        var pe = doc["perPe"]!;
        var peUnits = pe["units"]!.AsArray();
        Assert.Equal(5, peUnits.Count);
        Assert.Equal(D(pe["powerMw"]), peUnits.Sum(u => D(u!["powerMw"])), 9);
        Assert.Equal(D(pe["areaMm2"]), peUnits.Sum(u => D(u!["areaMm2"])), 12);
        foreach (var u in peUnits)
            Assert.Equal(D(u!["areaMm2"]), D(u["memoryAreaMm2"]) + D(u["logicAreaMm2"]), 12);
        var k = pe["categories"]!;
        Assert.Equal(D(pe["powerMw"]), new[] { "sramDynamicMw", "sramLeakageMw", "registerMw", "combinationalMw", "logicLeakageMw", "clockMw" }.Sum(n => D(k[n])), 9);

        var chip = doc["chip"]!;
        var chipUnits = chip["units"]!.AsArray();
        Assert.Equal(16, chip["pes"]!.GetValue<int>());
        Assert.Equal(D(chip["powerMw"]), chipUnits.Sum(u => D(u!["powerMw"])), 9);
        Assert.Equal(D(chip["areaMm2"]), chipUnits.Sum(u => D(u!["areaMm2"])), 9);
        Assert.Equal(D(chip["areaMm2"]), 16 * D(pe["areaMm2"]) + chipUnits.Skip(5).Sum(u => D(u!["areaMm2"])), 9);
        // One layer: the chip is that layer; per PE is the PE units' chip power over 16.
        Assert.Equal(D(layer["powerMw"]), D(chip["powerMw"]), 9);
        Assert.Equal(D(pe["powerMw"]), chipUnits.Take(5).Sum(u => D(u!["powerMw"])) / 16, 9);
        Assert.Equal(2 * 16 * 800 * 1e-3, D(chip["peakGopPerSecond"]), 12);
        Assert.Null(doc["calibration"]);
    }

    [Fact]
    public void CalibratedFiguresComeBesideTheModelsOwn()
    {
        var plain = RunJson(Small);
        var doc = RunJson([.. Small, "--calibrate"]);
        // The uncalibrated figures are unchanged by --calibrate.
        Assert.Equal(D(plain["layers"]![0]!["energyUj"]), D(doc["layers"]![0]!["energyUj"]), 12);
        Assert.Equal(D(plain["perPe"]!["powerMw"]), D(doc["perPe"]!["powerMw"]), 12);
        var c = doc["calibration"]!;
        var f = c["factors"]!;
        var k = doc["perPe"]!["categories"]!;
        double expected = D(f["sram"]) * (D(k["sramDynamicMw"]) + D(k["sramLeakageMw"]))
            + D(f["logic"]) * (D(k["registerMw"]) + D(k["combinationalMw"]) + D(k["logicLeakageMw"]))
            + D(f["clock"]) * D(k["clockMw"]);
        Assert.Equal(expected, D(c["perPePowerMw"]), 9);

        var text = InProcessCli.Run(["energy", .. Small, "--calibrate"]);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("Calibrated (SRAM x", text.Stdout);
        Assert.Contains("cal. mW", text.Stdout);
    }

    [Fact]
    public void TextReportHasEverySection()
    {
        var result = InProcessCli.Run(["energy", .. Small]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        foreach (var heading in new[] { "uncalibrated model", "GOP/s/W", "dense GOP/s/W", "DRAM dense f32", "Energy by unit", "Per PE", "memory µm²", "by kind, mW", "Chip (16 PEs" })
            Assert.Contains(heading, result.Stdout);
        Assert.Contains("energy: nt-we:", result.Stderr);
    }

    public static TheoryData<string[], string[]> BadInputs => new()
    {
        { ["--clock-mhz", "0"], ["--clock-mhz", "got 0"] },
        { ["--clock-mhz", "-5"], ["--clock-mhz", "got -5"] },
        { ["--clock-mhz", "NaN"], ["--clock-mhz", "got NaN"] },
        { ["--clock-mhz", "fast"], ["fast"] },
        { ["--layers", "alex9"], ["alex9", "alex7"] },
        { ["--pes", "0"], ["Pes", "got 0"] },
        // At EIE's defaults VGG-6's 25,090 pointers do not fit PtrDepth 16384.
        { ["--layers", "vgg6"], ["PtrDepth", "25090"] },
        { ["--tech", "/nonexistent/t.json"], ["/nonexistent/t.json"] },
        { ["--out", "x"], ["--out", "needs --sweep-spmat-width"] },
        { ["--sweep-spmat-width", "--calibrate"], ["--calibrate", "--sweep-spmat-width"] },
        { ["--seed", "-1"], ["-1"] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputIsOneLineBeforeAnyWork(string[] args, string[] fragments)
    {
        var result = InProcessCli.Run(["energy", .. args]);
        CliRunner.AssertOneLineError(result, fragments);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void BadFilesAreRefusedAndNothingIsWritten()
    {
        using var dir = new ScratchFolder();
        // A technology file without calibration factors cannot be calibrated.
        var tech = RoundTech.Json();
        File.WriteAllText(dir["round.json"], tech.ToJsonString());
        CliRunner.AssertOneLineError(InProcessCli.Run(["energy", .. Small, "--tech", dir["round.json"], "--calibrate"]),
            "--calibrate", "round.json", "calibration");
        File.WriteAllText(dir["bad.json"], "{ \"process\": 3 }");
        CliRunner.AssertOneLineError(InProcessCli.Run(["energy", .. Small, "--tech", dir["bad.json"]]), "bad.json", "process");
        // 12-bit entries: the sweep's 32-bit word holds no whole number of them.
        File.WriteAllText(dir["cfg.json"], """{ "IndexBits": 4, "RunBits": 8, "SpmatWordBits": 48 }""");
        CliRunner.AssertOneLineError(InProcessCli.Run(["energy", .. Small, "--config", dir["cfg.json"], "--sweep-spmat-width", "--out", dir["sweep"]]),
            "--sweep-spmat-width at 32 bits", "SpmatWordBits");
        // An existing folder the sweep did not write is not replaced.
        Directory.CreateDirectory(dir["mine"]);
        File.WriteAllText(Path.Combine(dir["mine"], "keep.txt"), "mine");
        CliRunner.AssertOneLineError(InProcessCli.Run(["energy", .. Small, "--sweep-spmat-width", "--out", dir["mine"]]),
            "--out", ".eiehdl-output");
        Assert.Equal("mine", File.ReadAllText(Path.Combine(dir["mine"], "keep.txt")));
        Assert.False(Directory.Exists(dir["sweep"]));
        Assert.Equal(["bad.json", "cfg.json", "mine", "round.json"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void SweepWritesTheSameFilesEveryTime()
    {
        using var dir = new ScratchFolder();
        var first = InProcessCli.Run(["energy", .. Small, "--sweep-spmat-width", "--out", dir["a"]]);
        Assert.True(first.ExitCode == 0, first.Stderr);
        var second = InProcessCli.Run(["energy", .. Small, "--sweep-spmat-width", "--out", dir["b"]]);
        Assert.True(second.ExitCode == 0, second.Stderr);
        foreach (var file in new[] { "spmat-width.md", "spmat-width.json", "spmat-width.png" })
            Assert.Equal(Hash(Path.Combine(dir["a"], file)), Hash(Path.Combine(dir["b"], file)));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(Path.Combine(dir["a"], "spmat-width.png"))[..4]);

        var doc = JsonNode.Parse(File.ReadAllText(Path.Combine(dir["a"], "spmat-width.json")))!;
        var points = doc["points"]!.AsArray();
        Assert.Equal([32, 64, 128, 256, 512], points.Select(p => p!["widthBits"]!.GetValue<int>()));
        // Capacity fixed: depth x width is the default 64 x 16384 at every width.
        Assert.All(points, p => Assert.Equal(64 * 16384, p!["widthBits"]!.GetValue<int>() * p["depth"]!.GetValue<int>()));
        // A wider word never needs more reads of the same entries.
        var reads = points.Select(p => p!["spmatReads"]!.GetValue<long>()).ToArray();
        Assert.True(reads.Zip(reads.Skip(1)).All(r => r.First >= r.Second), string.Join(", ", reads));
        double least = points.Min(p => D(p!["energyUj"]));
        Assert.Equal(least, D(points.Single(p => p!["widthBits"]!.GetValue<int>() == doc["bestWidthBits"]!.GetValue<int>())!["energyUj"]));
        Assert.Contains("least total energy at", first.Stdout);

        // Its own output may be replaced.
        var again = InProcessCli.Run(["energy", .. Small, "--sweep-spmat-width", "--out", dir["a"]]);
        Assert.True(again.ExitCode == 0, again.Stderr);
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
