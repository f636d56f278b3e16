using System.Globalization;
using System.Text.Json;
using EieHdl.Fpga;
using EieHdl.Tests.Cli;

namespace EieHdl.Tests.Fpga;

/// <summary>
/// The UP5K flow on hw/configs/ice40-small.json through the real CLI: yosys, nextpnr-ice40 and
/// icepack run to a bitstream, the JSON report parses, and the design fits the device; two
/// placement seeds report their Fmax and the fastest gives the bitstream, and --plot draws the
/// resources and both seeds' Fmax.
/// A few minutes: the one place-and-route run of the suite.
/// </summary>
public sealed class Ice40FlowTests
{
    [Fact]
    public void Up5kSmallConfigRunsToABitstreamThatFits()
    {
        using var scratch = new ScratchFolder();
        string outDir = scratch["up5k"];
        var result = CliRunner.Run(scratch.Path, "synth", "--target", "ice40-up5k",
            "--config", FpgaTestConfigs.SmallConfigPath, "--out", outDir, "--seeds", "2", "--plot", scratch["up5k.png"], "--json");
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}\n{result.Stdout}");

        // Progress on stderr, the report alone on stdout.
        ProgressTests.AssertProgress(result, "synth", "generating the RTL", "yosys synth_ice40", "nextpnr-ice40", "icepack");
        Assert.Contains("yosys out of context done", result.Stderr);
        using var doc = JsonDocument.Parse(result.Stdout);
        var r = doc.RootElement;
        Assert.Equal("ice40-up5k", r.GetProperty("target").GetString());
        Assert.Equal(2, r.GetProperty("pes").GetInt32());
        var made = r.GetProperty("provenance");
        Assert.StartsWith("Yosys ", made.GetProperty("tools").GetProperty("yosys").GetString());
        Assert.Contains("nextpnr-ice40", made.GetProperty("tools").GetProperty("nextpnr-ice40").GetString());
        Assert.Equal($"eiehdl synth --target ice40-up5k --config {FpgaTestConfigs.SmallConfigPath} --out {outDir} --seeds 2 --plot {scratch["up5k.png"]} --json", made.GetProperty("command").GetString());

        var pnr = r.GetProperty("placeAndRoute");
        int lcs = pnr.GetProperty("logicCells").GetInt32();
        Assert.InRange(lcs, 1, pnr.GetProperty("logicCellsAvailable").GetInt32());
        Assert.InRange(pnr.GetProperty("blockRams").GetInt32(), 1, 30);
        Assert.True(pnr.GetProperty("fmaxMhz").GetDouble() > 0);
        var sweep = r.GetProperty("seedSweep").EnumerateArray().ToArray();
        Assert.Equal([1, 2], sweep.Select(s => s.GetProperty("seed").GetInt32()));
        Assert.All(sweep, s => Assert.True(s.GetProperty("fmaxMhz").GetDouble() > 0, s.ToString()));
        // The bitstream and the place-and-route figures are the fastest seed's, and only its placement is kept.
        var fastest = SeedSweep.Fastest(sweep.Select(s => new SeedFmax(s.GetProperty("seed").GetInt32(), s.GetProperty("fmaxMhz").GetDouble(), false)));
        Assert.Equal(fastest.Seed, pnr.GetProperty("seed").GetInt32());
        Assert.Equal(fastest.FmaxMhz, pnr.GetProperty("fmaxMhz").GetDouble());
        foreach (var file in new[] { "nextpnr_seed2.log", "nextpnr_seed2_report.json", "nextpnr_report.json", FpgaShim.Module + ".asc" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        Assert.Empty(Directory.GetFiles(outDir, "nextpnr_seed*.asc"));
        // Each seed's progress: its start, and its end with its Fmax; the ends are counted.
        foreach (var s in sweep)
        {
            int seed = s.GetProperty("seed").GetInt32();
            Assert.Contains($"{FpgaShim.Module} for 12 MHz, seed {seed} ({seed} of 2)", result.Stderr);
            Assert.Matches(string.Create(CultureInfo.InvariantCulture, $@"seed {seed} done: {s.GetProperty("fmaxMhz").GetDouble():F2} MHz \([12] of 2\)"), result.Stderr);
        }
        Assert.Matches(@"done: .* \(1 of 2\)", result.Stderr);
        Assert.Matches(@"done: .* \(2 of 2\)", result.Stderr);
        var png = File.ReadAllBytes(scratch["up5k.png"]);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        // Two panels: resources, and Fmax by seed.
        Assert.Equal(2 * 360, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        var bitstream = new FileInfo(Path.Combine(outDir, pnr.GetProperty("bitstream").GetString()!));
        Assert.True(bitstream.Exists && bitstream.Length > 100_000, $"{bitstream.FullName} missing or short");

        // Hard blocks: every SRAM in EBR, one SB_MAC16 per PE.
        var res = r.GetProperty("resources");
        Assert.Equal(2, res.GetProperty("dsps").GetInt32());
        // 11 EBR a PE (spmat 4, ptr banks 4, act halves 2, codebook 1) and the CCU's codebook.
        Assert.Equal(23, res.GetProperty("blockRams").GetDouble());
        var hard = r.GetProperty("hardBlocks");
        Assert.Empty(hard.GetProperty("sramsInFlipFlops").EnumerateArray());
        Assert.True(hard.GetProperty("multipliersInDsp").GetBoolean());

        foreach (var log in new[] { "yosys.log", "yosys_wrapped.log", "nextpnr.log", SynthFlow.ReportFile, "synth_report.txt" })
            Assert.True(File.Exists(Path.Combine(outDir, log)), log);
        var again = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(Path.Combine(outDir, SynthFlow.ReportFile)));
        Assert.Equal(lcs, again.GetProperty("placeAndRoute").GetProperty("logicCells").GetInt32());
    }
}
