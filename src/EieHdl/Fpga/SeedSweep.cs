using System.Globalization;
using System.Runtime.ExceptionServices;

namespace EieHdl.Fpga;

/// <summary>What every seed of a sweep shares: one netlist placed on one iCE40 device for one clock.</summary>
/// <param name="Module">The netlist's top: the kept placement is <c>Module.asc</c>.</param>
/// <param name="Pcf">The pin file, or null to let nextpnr choose the pins.</param>
/// <param name="Netlist">yosys's JSON netlist, in the sweep's folder.</param>
/// <param name="TargetMhz">The clock nextpnr places for (--freq) and that a seed's Fmax meets or not.</param>
/// <param name="TimingAllowFail">Each seed writes its placement even when it misses the clock;
/// without it a miss fails nextpnr, and so the sweep.</param>
public sealed record NextpnrRun(FpgaTarget Target, string Module, string? Pcf, string Netlist, double TargetMhz, bool TimingAllowFail, TimeSpan Timeout);

/// <summary>One seed's placement: its log and report (in the sweep's folder), Fmax and nextpnr's utilisation.</summary>
public sealed record SeedPlacement(int Seed, string Log, string Report, double FmaxMhz, IReadOnlyDictionary<string, (int Used, int Available)> Utilisation)
{
    /// <summary>This placement's figures, for a flow whose bitstream it gave.</summary>
    public PlaceAndRoute ToPlaceAndRoute(FpgaTarget target, double targetMhz, string bitstream)
    {
        int Used(string bel) => Utilisation.TryGetValue(bel, out var u) ? u.Used : 0;
        return new PlaceAndRoute(
            Used("ICESTORM_LC"), Utilisation.TryGetValue("ICESTORM_LC", out var lc) ? lc.Available : target.Device.Luts,
            Used("ICESTORM_RAM"), Used("ICESTORM_SPRAM"), Used("ICESTORM_DSP"), Used("SB_IO"),
            FmaxMhz, targetMhz, bitstream, Seed);
    }
}

/// <summary>Every seed of one sweep in seed order, placed for <paramref name="TargetMhz"/>.</summary>
public sealed record SeedSweepResult(IReadOnlyList<SeedPlacement> Seeds, double TargetMhz)
{
    /// <summary>Each seed's Fmax and whether it meets the target, in seed order.</summary>
    public IReadOnlyList<SeedFmax> Fmax => Seeds.Select(p => new SeedFmax(p.Seed, p.FmaxMhz, p.FmaxMhz >= TargetMhz)).ToArray();

    /// <summary>The seed <see cref="SeedSweep.Fastest"/> chooses: its placement is the one kept.</summary>
    public SeedPlacement Fastest
    {
        get
        {
            int seed = SeedSweep.Fastest(Fmax).Seed;
            return Seeds.Single(p => p.Seed == seed);
        }
    }
}

/// <summary>
/// nextpnr-ice40 on one netlist with the placement seeds seed .. seed+N-1, the sweep of both
/// <c>eiehdl synth --target</c> and <c>--board</c>. Each seed's placement is deterministic and
/// nextpnr-ice40 is single-threaded, so up to <see cref="Environment.ProcessorCount"/> seeds run
/// at once and give what they give one after another. Every nextpnr is a tracked child of
/// <see cref="Processes.ProcessCleanup.Current"/>, so an interrupt stops all that are running.
/// The first seed writes <c>nextpnr.log</c> and <c>nextpnr_report.json</c>, each other seed s
/// <c>nextpnr_seed{s}.log</c> and <c>nextpnr_seed{s}_report.json</c>; the fastest seed's
/// placement becomes <c>Module.asc</c> and the others' are deleted.
/// </summary>
public static class SeedSweep
{
    /// <summary>Places <paramref name="run"/>'s netlist with <paramref name="seeds"/> seeds from <paramref name="seed"/> on.</summary>
    /// <param name="progress">Told as each seed starts and ends (from several threads).</param>
    /// <exception cref="FpgaFlowException">A seed's nextpnr failed: the lowest such seed's error,
    /// once the seeds already running have ended (no further seed starts after a failure).</exception>
    public static SeedSweepResult Run(NextpnrRun run, string folder, int seed, int seeds, Action<string> progress)
    {
        var placed = new SeedPlacement?[seeds];
        var failures = new Exception?[seeds];
        int next = -1, done = 0, failed = 0;
        string Asc(int s) => seeds == 1 ? run.Module + ".asc" : string.Create(CultureInfo.InvariantCulture, $"nextpnr_seed{s}_{run.Module}.asc");

        void Worker()
        {
            while (Volatile.Read(ref failed) == 0)
            {
                int k = Interlocked.Increment(ref next);
                if (k >= seeds) return;
                int s = seed + k;
                try
                {
                    progress(string.Create(CultureInfo.InvariantCulture,
                        $"nextpnr-ice40 {run.Target.NextpnrDevice}: placing and routing {run.Module} for {run.TargetMhz} MHz, seed {s}{(seeds > 1 ? $" ({k + 1} of {seeds})" : "")}"));
                    placed[k] = Place(run, folder, s, LogFile(s, seed), ReportFile(s, seed), Asc(s));
                    progress(string.Create(CultureInfo.InvariantCulture,
                        $"seed {s} done: {placed[k]!.FmaxMhz:F2} MHz ({Interlocked.Increment(ref done)} of {seeds})"));
                }
                catch (Exception e)
                {
                    failures[k] = e;
                    Volatile.Write(ref failed, 1);
                }
            }
        }

        var workers = Enumerable.Range(0, Math.Min(seeds, Environment.ProcessorCount))
            .Select(_ => new Thread(Worker) { IsBackground = true, Name = "nextpnr seed" })
            .ToArray();
        foreach (var w in workers) w.Start();
        foreach (var w in workers) w.Join();

        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            if (seeds > 1)
                for (int k = 0; k < seeds; k++) File.Delete(Path.Combine(folder, Asc(seed + k)));
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
        var result = new SeedSweepResult(placed.Select(p => p!).ToArray(), run.TargetMhz);
        if (seeds > 1)
        {
            int fastest = result.Fastest.Seed;
            File.Move(Path.Combine(folder, Asc(fastest)), Path.Combine(folder, run.Module + ".asc"), overwrite: true);
            foreach (var p in result.Seeds.Where(p => p.Seed != fastest)) File.Delete(Path.Combine(folder, Asc(p.Seed)));
        }
        return result;
    }

    /// <summary>The log of seed <paramref name="seed"/> in a sweep from <paramref name="first"/>.</summary>
    public static string LogFile(int seed, int first) => Tag(seed, first) + ".log";

    /// <summary>The --report JSON of seed <paramref name="seed"/> in a sweep from <paramref name="first"/>.</summary>
    public static string ReportFile(int seed, int first) => Tag(seed, first) + "_report.json";

    private static string Tag(int seed, int first) =>
        seed == first ? "nextpnr" : string.Create(CultureInfo.InvariantCulture, $"nextpnr_seed{seed}");

    /// <summary>The seed with the highest Fmax; of equal ones the lowest seed.</summary>
    public static SeedFmax Fastest(IEnumerable<SeedFmax> sweep) =>
        sweep.OrderByDescending(x => x.FmaxMhz).ThenBy(x => x.Seed).First();

    /// <summary>The middle Fmax of the sweep, or the mean of the two middle ones of an even count.</summary>
    public static double Median(IEnumerable<SeedFmax> sweep)
    {
        var sorted = sweep.Select(x => x.FmaxMhz).Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /// <summary>"1: 31.20, 2: 33.05, 3: 32.10 MHz; median 32.10 MHz; fastest seed 2 (33.05 MHz)", in seed order.</summary>
    public static string Text(IReadOnlyList<SeedFmax> sweep)
    {
        var fastest = Fastest(sweep);
        return string.Join(", ", sweep.Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Seed}: {x.FmaxMhz:F2}")))
            + string.Create(CultureInfo.InvariantCulture, $" MHz; median {Median(sweep):F2} MHz; fastest seed {fastest.Seed} ({fastest.FmaxMhz:F2} MHz)");
    }

    /// <summary>nextpnr-ice40 with one seed: its Fmax (0 if it reported none) and utilisation.</summary>
    private static SeedPlacement Place(NextpnrRun run, string folder, int seed, string log, string report, string asc)
    {
        var inv = CultureInfo.InvariantCulture;
        FlowTool.Run("nextpnr-ice40",
        [
            run.Target.NextpnrDevice!, "--package", run.Target.Package!,
            .. run.Pcf is null ? Array.Empty<string>() : ["--pcf", run.Pcf],
            "--json", run.Netlist, "--asc", asc,
            "--freq", run.TargetMhz.ToString(inv), "--seed", seed.ToString(inv),
            .. run.TimingAllowFail ? ["--timing-allow-fail"] : Array.Empty<string>(),
            "--report", report, "-l", log, "-q",
        ], folder, log, run.Timeout, run.Module);
        var (util, fmax) = ToolLogs.NextpnrReport(File.ReadAllText(Path.Combine(folder, report)));
        fmax ??= ToolLogs.FmaxFromLog(File.ReadAllText(Path.Combine(folder, log)));
        return new SeedPlacement(seed, log, report, Math.Round(fmax ?? 0, 2), util);
    }
}
