using System.Diagnostics;
using System.Globalization;
using System.Text;
using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Processes;

namespace EieHdl.Fpga;

/// <summary>A tool of the flow failed; the message quotes its own error lines and names its log.</summary>
public sealed class FpgaFlowException(string message) : Exception(message);

/// <summary>Resource counts of one synthesis result (yosys cells) on a target, or their share per PE.</summary>
public sealed record FpgaResources(double Luts, double FlipFlops, double BlockRams, double Sprams, double LutRams, double Dsps, double Carries)
{
    /// <summary>Total / PEs (the CCU and the top's glue included), to two decimals.</summary>
    public FpgaResources Per(int pes)
    {
        static double R(double v, int n) => Math.Round(v / n, 2);
        return new(R(Luts, pes), R(FlipFlops, pes), R(BlockRams, pes), R(Sprams, pes), R(LutRams, pes), R(Dsps, pes), R(Carries, pes));
    }

    public static FpgaResources From(FpgaTarget target, YosysStat stat) => new(
        stat.Sum(target.LutCells, target.LutWeights),
        stat.SumPrefixed(target.FlipFlopPrefixes),
        stat.Sum(target.BramCells.Keys, target.BramCells),
        stat.Sum(target.SpramCells),
        stat.Sum(target.LutRamCells),
        stat.Sum(target.DspCells),
        stat.Count("SB_CARRY"));
}

/// <summary>nextpnr-ice40's figures for the wrapped design.</summary>
public sealed record PlaceAndRoute(
    int LogicCells, int LogicCellsAvailable, int BlockRams, int Sprams, int Dsps, int Ios,
    double FmaxMhz, double TargetMhz, string Bitstream, int Seed)
{
    public bool MeetsTarget => FmaxMhz >= TargetMhz;
}

/// <summary>The memories and multipliers yosys saw before mapping, and where they went.</summary>
public sealed record HardBlockCheck(
    IReadOnlyList<MemoryMapping> Memories, int Multipliers, double Dsps)
{
    /// <summary>eie_sram_sp arrays that became flip-flops: each is a failure of the mapping.</summary>
    public IReadOnlyList<string> SramsInFlipFlops => Memories.Where(m => m.IsSram && m.InFlipFlops).Select(m => m.Memory).ToArray();

    /// <summary>Small tables (CCU layer table fields) yosys chose to keep in flip-flops.</summary>
    public IReadOnlyList<string> TablesInFlipFlops => Memories.Where(m => !m.IsSram && m.InFlipFlops).Select(m => m.Memory).ToArray();

    public bool SramsInRam => Memories.Any(m => m.IsSram) && SramsInFlipFlops.Count == 0;

    /// <summary>Every multiplier took at least one DSP (counts, as yosys keeps no per-multiplier trace).</summary>
    public bool MultipliersInDsp => Multipliers == 0 || Dsps >= Multipliers;
}

/// <summary>Fmax of one nextpnr placement seed of a seed sweep.</summary>
public sealed record SeedFmax(int Seed, double FmaxMhz, bool MeetsTarget);

/// <summary>The report of one <c>eiehdl synth</c> run.</summary>
public sealed record SynthReport(
    string Target,
    string Device,
    string Family,
    int Pes,
    EieConfig Config,
    FpgaResources Resources,
    FpgaResources PerPe,
    FpgaDevice Capacity,
    MemoryBudget MemoryPlan,
    HardBlockCheck HardBlocks,
    PlaceAndRoute? PlaceAndRoute,
    string Timing,
    IReadOnlyList<string> Logs,
    double Seconds)
{
    /// <summary>The eiehdl build, tool versions and command behind the report; set by the command that ran the flow.</summary>
    public Integration.Provenance? Provenance { get; init; }

    /// <summary>
    /// With <c>--seeds N</c>: Fmax of each of the N placement seeds from --seed on; the bitstream
    /// and <see cref="PlaceAndRoute"/> are the fastest seed's.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<SeedFmax>? SeedSweep { get; init; }
}

/// <summary>
/// The FPGA flow of one config on one target. Before any tool runs, the memory plan is checked
/// against the device (iCE40 targets refuse a config that cannot fit). Then yosys synthesises
/// eie_top out of context for the resource figures; on iCE40, a second yosys run synthesises
/// the pin-light wrapper <see cref="FpgaShim"/> (in parallel), nextpnr-ice40 places and routes
/// it and icepack writes the bitstream. Everything, logs included, lands in the output folder.
/// </summary>
public static class SynthFlow
{
    public const string ReportFile = "synth_report.json";
    /// <summary>The iCEBreaker's oscillator: the default nextpnr target, which any useful result meets.</summary>
    public const double DefaultTargetMhz = 12;
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromHours(2);

    /// <summary>Throws <see cref="EieInputException"/> when the config's memories cannot fit a place-and-route target.</summary>
    public static MemoryBudget CheckFits(FpgaTarget target, EieConfig config)
    {
        var plan = MemoryBudget.Plan(target, config);
        if (target.HasPlaceAndRoute && !plan.Fits)
            throw new EieInputException(plan.Refusal());
        return plan;
    }

    /// <param name="targetMhz">nextpnr's clock target: it optimises placement for this, so a
    /// higher target usually gives a higher Fmax; the run never fails for missing it.</param>
    /// <param name="seed">nextpnr's placement seed: placement, and so Fmax, moves with it by a few
    /// MHz; each seed is reproducible, so a seed sweep finds a placement that closes timing.</param>
    /// <param name="seeds">iCE40: place and route with this many seeds, <paramref name="seed"/> and the ones after it,
    /// reporting each one's Fmax (<see cref="SynthReport.SeedSweep"/>) when above 1; the bitstream is the fastest seed's
    /// (<see cref="SeedSweep"/>).</param>
    /// <param name="progress">Told each phase as it starts or ends (the phases run in parallel), after the input checks.</param>
    public static SynthReport Run(FpgaTarget target, EieConfig config, string folder, double targetMhz = DefaultTargetMhz, int seed = 1,
        Action<string>? progress = null, int seeds = 1)
    {
        progress ??= _ => { };
        if (!(targetMhz > 0 && targetMhz <= 1000))
            throw new EieInputException($"--freq must be in (0, 1000] MHz, not {targetMhz.ToString(CultureInfo.InvariantCulture)}");
        if (seed < 0)
            throw new EieInputException(string.Create(CultureInfo.InvariantCulture, $"--seed must be >= 0, not {seed}"));
        CheckSeeds(target, seed, seeds);
        var plan = CheckFits(target, config);
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(folder);
        // A re-used folder: results of an earlier run must not pass for this one's.
        foreach (var stale in new[] { "stat.json", "stat_pre.json", "stat.txt", "nextpnr_report.json", ReportFile, "synth_report.txt",
                     FpgaShim.Module + ".json", FpgaShim.Module + ".asc", FpgaShim.Module + ".bin" })
            File.Delete(Path.Combine(folder, stale));
        foreach (var stale in Directory.GetFiles(folder, "nextpnr_seed*"))
            File.Delete(stale);
        string rtlFolder = Path.Combine(folder, "rtl");
        progress($"generating the RTL of {config.Pes} PEs");
        var rtl = RtlGenerator.GenerateForSynthesis(config, plan.SramBuild);
        rtl.WriteTo(rtlFolder);
        var sources = rtl.Modules.Select(m => "rtl/" + m.Name).ToArray();
        var logs = new List<string>();

        // Out of context: eie_top itself, for the resource figures every target reports.
        string ooc = string.Join("\n",
        [
            .. PrimitiveReads(plan.SpramBlocks > 0),
            $"read_verilog {string.Join(' ', sources)}",
            "hierarchy -check -top eie_top",
            "proc; flatten; opt_expr; opt_clean",
            "tee -q -o stat_pre.json stat -json",
            $"{target.SynthCommand} -top eie_top",
            "tee -q -o stat.json stat -json",
            "tee -q -o stat.txt stat",
            "",
        ]);
        File.WriteAllText(Path.Combine(folder, "synth.ys"), ooc);
        progress($"yosys {target.SynthCommand}: eie_top out of context, for the resource figures");
        var oocRun = Task.Run(() =>
        {
            var result = Tool("yosys", ["-q", "-l", "yosys.log", "-s", "synth.ys"], folder, "yosys.log");
            progress("yosys out of context done");
            return result;
        });
        logs.Add("yosys.log");

        Task<(PlaceAndRoute Placed, IReadOnlyList<SeedFmax> Sweep)>? pnr = null;
        if (target.HasPlaceAndRoute)
        {
            File.WriteAllText(Path.Combine(folder, FpgaShim.FileName),
                FpgaShim.Verilog(FpgaShim.HostAddrWidth(rtl.Modules.Single(m => m.Name == "eie_top.v").Text)));
            File.WriteAllText(Path.Combine(folder, FpgaShim.Module + ".pcf"), FpgaShim.Pcf(target));
            string wrapped = string.Join("\n",
            [
                $"read_verilog {string.Join(' ', sources)} {FpgaShim.FileName}",
                $"{target.SynthCommand} -top {FpgaShim.Module} -json {FpgaShim.Module}.json",
                "",
            ]);
            File.WriteAllText(Path.Combine(folder, "synth_wrapped.ys"), wrapped);
            logs.AddRange(["yosys_wrapped.log", "nextpnr.log", "icepack.log"]);
            for (int k = 1; k < seeds; k++) logs.Add(SeedSweep.LogFile(seed + k, seed));
            pnr = Task.Run(() => PlaceAndRouteIce40(target, folder, targetMhz, seed, seeds, progress));
        }

        try
        {
            oocRun.Wait();
            pnr?.Wait();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            throw e.InnerExceptions[0];
        }

        List<SeedFmax>? sweep = pnr is not null && seeds > 1 ? pnr.Result.Sweep.ToList() : null;

        var stat = YosysStat.Parse(File.ReadAllText(Path.Combine(folder, "stat.json")));
        var pre = YosysStat.Parse(File.ReadAllText(Path.Combine(folder, "stat_pre.json")));
        var resources = FpgaResources.From(target, stat);
        var hard = new HardBlockCheck(
            ToolLogs.Memories(File.ReadAllText(Path.Combine(folder, "yosys.log"))),
            pre.Count("$mul"), resources.Dsps);
        string timing = pnr is null
            ? $"no place-and-route for {target.Name} on this machine (no nextpnr for this family in Debian, no vendor tools): resource figures are yosys's, there is no Fmax"
            : string.Create(CultureInfo.InvariantCulture,
                $"nextpnr-ice40 {target.NextpnrDevice} --package {target.Package}: Fmax {pnr.Result.Placed.FmaxMhz:F2} MHz (target {targetMhz} MHz {(pnr.Result.Placed.MeetsTarget ? "met" : "NOT met")}, seed {pnr.Result.Placed.Seed})");
        clock.Stop();
        var report = new SynthReport(target.Name, target.Device.Name, target.Family, config.Pes, config,
            resources, resources.Per(config.Pes), target.Device, plan, hard, pnr?.Result.Placed, timing, logs,
            Math.Round(clock.Elapsed.TotalSeconds, 1)) { SeedSweep = sweep };
        return report;
    }

    /// <summary>
    /// An RTL that instantiates iCE40 primitives (SB_SPRAM256KA, SB_PLL40_PAD) needs them known
    /// to <c>hierarchy -check</c> before synth_ice40 reads its cell library (reading it first is
    /// harmless: synth_ice40's own read replaces the blackboxes).
    /// </summary>
    internal static IReadOnlyList<string> PrimitiveReads(bool instantiatesPrimitives) =>
        instantiatesPrimitives ? ["read_verilog -D ICE40_U -lib -specify +/ice40/cells_sim.v"] : [];

    /// <summary>The wrapped design's yosys run, then nextpnr-ice40 with every seed and icepack on the fastest seed's placement.</summary>
    private static (PlaceAndRoute Placed, IReadOnlyList<SeedFmax> Sweep) PlaceAndRouteIce40(
        FpgaTarget target, string folder, double targetMhz, int seed, int seeds, Action<string> progress)
    {
        string m = FpgaShim.Module;
        progress($"yosys {target.SynthCommand}: {m} (eie_top behind a 9-pin shim), in parallel, for place-and-route");
        Tool("yosys", ["-q", "-l", "yosys_wrapped.log", "-s", "synth_wrapped.ys"], folder, "yosys_wrapped.log");
        var run = new NextpnrRun(target, m, m + ".pcf", m + ".json", targetMhz, TimingAllowFail: true, ToolTimeout);
        var placed = SeedSweep.Run(run, folder, seed, seeds, progress);
        progress("nextpnr-ice40 done; icepack");
        var packed = Tool("icepack", [m + ".asc", m + ".bin"], folder, null);
        File.WriteAllText(Path.Combine(folder, "icepack.log"), packed.ToString());
        return (placed.Fastest.ToPlaceAndRoute(target, targetMhz, m + ".bin"), placed.Fmax);
    }

    /// <summary>Most seeds one run may sweep: each is a full place-and-route.</summary>
    public const int MaxSeeds = 32;

    /// <summary>Refuses a seed count that is not in [1, <see cref="MaxSeeds"/>], or above 1 on a target without place-and-route.</summary>
    public static void CheckSeeds(FpgaTarget target, int seed, int seeds)
    {
        if (seeds < 1 || seeds > MaxSeeds)
            throw new EieInputException(string.Create(CultureInfo.InvariantCulture, $"--seeds: must be in [1, {MaxSeeds}], got {seeds}"));
        if (seeds > 1 && !target.HasPlaceAndRoute)
            throw new EieInputException($"--seeds: needs a target with place-and-route ({string.Join(", ", FpgaTarget.All.Where(t => t.HasPlaceAndRoute).Select(t => t.Name))}), got {seeds} seeds on {target.Name}");
        if ((long)seed + seeds - 1 > int.MaxValue)
            throw new EieInputException(string.Create(CultureInfo.InvariantCulture, $"--seeds: --seed + --seeds - 1 must be at most {int.MaxValue}, got {(long)seed + seeds - 1}"));
    }

    /// <summary>Runs a tool; a non-zero exit throws with the tool's own error lines and its log's name.</summary>
    private static ToolResult Tool(string tool, IReadOnlyList<string> args, string folder, string? log) =>
        FlowTool.Run(tool, args, folder, log, ToolTimeout, FpgaShim.Module);

    /// <summary>The human table of one or more reports.</summary>
    public static string Table(SynthReport r)
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var d = r.Capacity;
        var t = r.Resources;
        var p = r.PerPe;
        s.AppendLine(inv, $"eie_top, {r.Pes} PEs, on {r.Target} ({r.Device}); yosys {TargetSynth(r)} out of context");
        s.AppendLine(inv, $"  {"resource",-22} {"total",10} {"per PE",10} {"device",10} {"use",6}");
        void Row(string name, double total, double perPe, int device)
        {
            string use = device > 0 ? (100 * total / device).ToString("F0", inv) + "%" : "-";
            s.AppendLine(inv, $"  {name,-22} {total,10:0.##} {perPe,10:0.##} {(device > 0 ? device.ToString(inv) : "-"),10} {use,6}");
        }
        Row(r.Family == "xilinx" ? "LUTs" : "LUT4s", t.Luts, p.Luts, d.Luts);
        if (r.Family == "ice40") Row("carry cells", t.Carries, p.Carries, 0);
        Row("flip-flops", t.FlipFlops, p.FlipFlops, d.FlipFlops);
        Row($"block RAMs ({d.BramBits / 1024} Kbit)", t.BlockRams, p.BlockRams, d.BramBlocks);
        if (d.Sprams > 0) Row("SPRAM (256 Kbit)", t.Sprams, p.Sprams, d.Sprams);
        if (t.LutRams > 0) Row("LUT RAM cells", t.LutRams, p.LutRams, 0);
        Row("DSPs", t.Dsps, p.Dsps, d.Dsps);
        s.AppendLine(inv, $"  memory plan: {r.MemoryPlan.Bits:N0} bits, {r.MemoryPlan.BramBlocks} block RAMs{(r.MemoryPlan.SpramBlocks > 0 ? $" + {r.MemoryPlan.SpramBlocks} SPRAM" : "")} estimated; {(r.MemoryPlan.Fits ? "fits" : "does NOT fit")} {r.Device}");
        var h = r.HardBlocks;
        int srams = h.Memories.Count(m => m.IsSram);
        string inFfs = h.SramsInFlipFlops.Count > 0 ? "; IN FLIP-FLOPS: " + string.Join(", ", h.SramsInFlipFlops) : "";
        int inBram = h.Memories.Count(m => m.IsSram && m.InBlockRam), inLutRam = h.Memories.Count(m => m.IsSram && m.InLutRam);
        s.AppendLine(inv, $"  SRAMs (spmat, ptr, act, codebook): {srams}: {inBram} in block RAM, {inLutRam} in LUT RAM, {h.SramsInFlipFlops.Count} in flip-flops{inFfs}");
        foreach (var m in h.Memories.Where(m => m.IsSram))
            s.AppendLine(inv, $"    {m.Memory,-60} {m.Kind} ({m.MappedTo})");
        var inSpram = r.MemoryPlan.Memories.Where(m => m.InSpram).ToArray();
        if (inSpram.Length > 0)
            s.AppendLine(inv, $"  in SPRAM (SB_SPRAM256KA instances, {r.MemoryPlan.SpramBlocks} blocks): {string.Join(", ", inSpram.Select(m => $"{m.Use} {m.Width}x{m.Depth} x{m.Count}"))}");
        if (h.TablesInFlipFlops.Count > 0)
            s.AppendLine(inv, $"  small tables kept in flip-flops: {string.Join(", ", h.TablesInFlipFlops.Select(Leaf))}");
        string? dspNote = FpgaTarget.Find(r.Target).DspNote;
        string mulWhere = h.MultipliersInDsp ? "every multiplier in a DSP" : dspNote is null ? "MULTIPLIERS IN LUTS" : "in LUTs: " + dspNote;
        s.AppendLine(inv, $"  multipliers: {h.Multipliers}, DSP cells: {h.Dsps}; {mulWhere}");
        if (r.PlaceAndRoute is { } pr)
        {
            s.AppendLine(inv, $"place-and-route ({FpgaShim.Module}: eie_top behind a 9-pin serial shim):");
            s.AppendLine(inv, $"  logic cells {pr.LogicCells}/{pr.LogicCellsAvailable} ({100.0 * pr.LogicCells / pr.LogicCellsAvailable:F0}%), block RAMs {pr.BlockRams}, SPRAM {pr.Sprams}, DSPs {pr.Dsps}, IOs {pr.Ios}");
            s.AppendLine(inv, $"  Fmax {pr.FmaxMhz:F2} MHz (target {pr.TargetMhz} MHz {(pr.MeetsTarget ? "met" : "NOT met")}, seed {pr.Seed}); bitstream {pr.Bitstream}");
            if (r.SeedSweep is { Count: > 1 } sweep)
                s.AppendLine(inv, $"  Fmax by seed: {SeedSweep.Text(sweep)}, the bitstream's");
        }
        else
        {
            s.AppendLine(inv, $"timing: {r.Timing}");
        }
        s.AppendLine(inv, $"logs: {string.Join(", ", r.Logs)}; {r.Seconds:F0} s");
        if (r.Provenance is { } made) s.AppendLine(made.Line());
        return s.ToString();
    }

    private static string TargetSynth(SynthReport r) => FpgaTarget.Find(r.Target).SynthCommand;

    private static string Leaf(string memory) => memory[(memory.LastIndexOf('.') + 1)..];
}
