using System.Diagnostics;
using System.Globalization;
using System.Text;
using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Processes;

namespace EieHdl.Fpga;

/// <summary>The result of building one board top: resources, and on iCE40 the placed design's figures.</summary>
public sealed record BoardBuildReport(
    string Board,
    string Module,
    string Device,
    int Pes,
    long ClockHz,
    long Baud,
    int Divisor,
    EieConfig Config,
    FpgaResources Resources,
    PlaceAndRoute? PlaceAndRoute,
    string Timing,
    IReadOnlyList<string> Files,
    double Seconds)
{
    /// <summary>The eiehdl build, tool versions and command behind the report; set by the command that ran the flow.</summary>
    public Integration.Provenance? Provenance { get; init; }

    /// <summary>
    /// With <c>--seeds N</c>: Fmax of each placement seed, from --seed on; the bitstream is the
    /// fastest seed's (<see cref="PlaceAndRoute"/>).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SeedFmax>? SeedSweep { get; init; }
}

/// <summary>
/// A board top through the open tools with its real pin file: yosys (the target's synth
/// command) on the board top, then for the iCE40 boards nextpnr-ice40 on the board's package
/// with its .pcf at the board clock, and icepack. Unlike <see cref="SynthFlow"/>'s measurement
/// shim, this is the design a board runs: the bitstream can be loaded with iceprog. Timing is
/// required: a design that misses the board clock fails the flow (exit 1).
/// </summary>
public static class BoardFlow
{
    public const string ReportFile = "board_report.json";
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromHours(1);

    /// <param name="progress">Told each phase as it starts, after the input checks.</param>
    /// <param name="seed">nextpnr's placement seed: each seed gives one reproducible bitstream; another
    /// seed is another placement, for a design that misses the board clock at the default.</param>
    /// <param name="seeds">iCE40: place and route with this many seeds, <paramref name="seed"/> and the ones
    /// after it (<see cref="SeedSweep"/>); the fastest gives the bitstream, and the flow fails only when
    /// none meets the board clock.</param>
    public static BoardBuildReport Run(Hardware.Board board, EieConfig config, string folder, long? baud = null, Action<string>? progress = null,
        int seed = 1, int seeds = 1)
    {
        progress ??= _ => { };
        if (seed < 0)
            throw new EieInputException(string.Create(CultureInfo.InvariantCulture, $"--seed must be >= 0, not {seed}"));
        var target = FpgaTarget.Find(board.FpgaTarget);
        SynthFlow.CheckSeeds(target, seed, seeds);
        var plan = SynthFlow.CheckFits(target, config);
        progress($"generating {board.Module} for {config.Pes} PEs");
        var output = BoardRtl.Generate(config, board, baud, plan.SramBuild);
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(folder);
        string m = board.Module;
        foreach (var stale in new[] { "stat.json", "nextpnr_report.json", ReportFile, m + ".json", m + ".asc", m + ".bin" })
            File.Delete(Path.Combine(folder, stale));
        foreach (var stale in Directory.GetFiles(folder, "nextpnr_seed*"))
            File.Delete(stale);
        output.Rtl.WriteTo(Path.Combine(folder, "rtl"));
        File.WriteAllText(Path.Combine(folder, output.Constraints.Name), output.Constraints.Text);
        var sources = output.Rtl.Modules.Select(f => "rtl/" + f.Name).ToArray();
        var files = new List<string> { "rtl/", output.Constraints.Name, "synth.ys", "yosys.log", "stat.json" };

        string script = string.Join("\n",
        [
            .. SynthFlow.PrimitiveReads(plan.SpramBlocks > 0 || board.Pll is not null),
            $"read_verilog {string.Join(' ', sources)}",
            $"hierarchy -check -top {m}",
            // Flat, so that stat -json totals one module (yosys 0.23 garbles a hierarchical one).
            "proc; flatten; opt_expr; opt_clean",
            $"{target.SynthCommand} -top {m}" + (target.HasPlaceAndRoute ? $" -json {m}.json" : ""),
            "tee -q -o stat.json stat -json",
            "",
        ]);
        File.WriteAllText(Path.Combine(folder, "synth.ys"), script);
        progress($"yosys {target.SynthCommand}: {m}");
        FlowTool.Run("yosys", ["-q", "-l", "yosys.log", "-s", "synth.ys"], folder, "yosys.log", ToolTimeout, m);
        var resources = FpgaResources.From(target, YosysStat.Parse(File.ReadAllText(Path.Combine(folder, "stat.json"))));

        PlaceAndRoute? pnr = null;
        List<SeedFmax>? sweep = null;
        string mhz = (board.ClockHz / 1e6).ToString("0.###", CultureInfo.InvariantCulture);
        string timing = $"no place-and-route for {target.Name} here (no Xilinx place-and-route in Debian): resources are yosys's; {board.ConstraintFile} is for Vivado";
        if (target.HasPlaceAndRoute)
        {
            // One seed must meet the board clock (nextpnr fails otherwise); of several, each may
            // miss it, and the flow fails only when none meets it.
            var run = new NextpnrRun(target, m, board.ConstraintFile, m + ".json", board.ClockHz / 1e6, TimingAllowFail: seeds > 1, ToolTimeout);
            var placed = SeedSweep.Run(run, folder, seed, seeds, progress);
            var best = placed.Fastest;
            if (seeds > 1)
            {
                sweep = placed.Fmax.ToList();
                if (!sweep.Any(x => x.MeetsTarget))
                {
                    // Its placement misses the clock: nothing is left to pack and load.
                    File.Delete(Path.Combine(folder, m + ".asc"));
                    throw new FpgaFlowException(string.Create(CultureInfo.InvariantCulture,
                        $"nextpnr-ice40: no seed meets the board clock {mhz} MHz: Fmax by seed {SeedSweep.Text(sweep)} (logs: {Path.Combine(folder, "nextpnr*.log")})"));
                }
            }
            progress("nextpnr-ice40 done; icepack");
            FlowTool.Run("icepack", [m + ".asc", m + ".bin"], folder, null, ToolTimeout, m);
            pnr = best.ToPlaceAndRoute(target, run.TargetMhz, m + ".bin");
            timing = string.Create(CultureInfo.InvariantCulture,
                $"nextpnr-ice40 {target.NextpnrDevice} --package {target.Package} --pcf {board.ConstraintFile} --seed {best.Seed}: Fmax {pnr.FmaxMhz:F2} MHz, board clock {mhz} MHz met");
            files.AddRange(["nextpnr.log", "nextpnr_report.json", m + ".asc", m + ".bin"]);
            files.AddRange(placed.Seeds.Skip(1).SelectMany(p => new[] { p.Log, p.Report }));
        }
        clock.Stop();
        var t = output.Top.Timing;
        return new BoardBuildReport(board.Name, m, board.Device, config.Pes, t.ClockHz, t.Baud, t.Divisor, config,
            resources, pnr, timing, files, Math.Round(clock.Elapsed.TotalSeconds, 1)) { SeedSweep = sweep };
    }

    public static string Table(BoardBuildReport r)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        var x = r.Resources;
        s.AppendLine(inv, $"{r.Module}: {r.Pes} PEs on {r.Device}, {r.Baud} baud ({r.Divisor} clocks per bit at {r.ClockHz / 1e6:0.###} MHz)");
        s.AppendLine(inv, $"  yosys: {x.Luts:0} LUTs, {x.FlipFlops:0} flip-flops, {x.BlockRams:0} block RAMs, {x.Sprams:0} SPRAM, {x.Dsps:0} DSPs");
        if (r.PlaceAndRoute is { } p)
            s.AppendLine(inv, $"  nextpnr: {p.LogicCells}/{p.LogicCellsAvailable} logic cells ({100.0 * p.LogicCells / p.LogicCellsAvailable:F0}%), {p.BlockRams} EBR, {p.Sprams} SPRAM, {p.Dsps} DSP, {p.Ios} IOs; Fmax {p.FmaxMhz:F2} MHz; bitstream {p.Bitstream}");
        if (r.SeedSweep is { Count: > 1 } sweep)
            s.AppendLine(inv, $"  Fmax by seed: {SeedSweep.Text(sweep)}, the bitstream's");
        s.AppendLine(inv, $"  {r.Timing}; {r.Seconds:F0} s");
        if (r.Provenance is { } made) s.AppendLine("  " + made.Line());
        return s.ToString();
    }
}
