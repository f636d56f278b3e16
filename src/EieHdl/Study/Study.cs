using System.Diagnostics;
using EieHdl.Config;
using EieHdl.Energy;
using EieHdl.Mnist;
using EieHdl.Workloads;

namespace EieHdl.Study;

/// <summary>What `eiehdl study` found: every figure's data, and the measured CPU times apart from the rest.</summary>
/// <param name="Plan">The plan run ("full" or "quick").</param>
/// <param name="Config">The base config (before each sweep point sets PEs, depth and memories).</param>
/// <param name="Sweeps">Figs. 8, 11-13: deterministic.</param>
/// <param name="Measured">Table IV / Fig. 6 and the break-even sweep's CPU times: measurements, not deterministic.</param>
/// <param name="BreakEvenEie">EIE's cycles at each break-even sparsity: deterministic.</param>
public sealed record StudyResult(
    StudyPlan Plan, EieConfig Config, SweepResults Sweeps, IReadOnlyList<BreakEvenEiePoint> BreakEvenEie,
    IReadOnlyList<EieLayerTime> EieTimes, MeasuredResults? Measured, double Seconds)
{
    /// <summary>Fig. 10, when the study ran the MNIST flow.</summary>
    public IReadOnlyList<PrecisionPoint>? Precision { get; init; }

    /// <summary>Figs. 9, 7, 10 (multiplier) and Table V from the energy model.</summary>
    public StudyEnergy? Energy { get; init; }

    /// <summary>The clock given with --fpga-mhz (e.g. an FPGA flow's Fmax), at which Table IV also gives EIE's time; null leaves that column out.</summary>
    public double? FpgaMhz { get; init; }
}

/// <summary>EIE's cycles for the break-even layer at one weight sparsity, at the configured PEs and depth.</summary>
public sealed record BreakEvenEiePoint(double Sparsity, long KeptWeights, long Cycles, double Us);

/// <summary>One benchmark layer on EIE at the configured PEs and depth, rows interleaved: the Table IV row of our model.</summary>
/// <param name="UsAtFpgaMhz">The same cycles at the --fpga-mhz clock; null without it.</param>
public sealed record EieLayerTime(string Layer, string Name, long Cycles, double Us, double PaperActualUs, double PaperTheoreticalUs, double? UsAtFpgaMhz);

/// <summary>
/// The study: makes the layers, sweeps the cycle model in parallel, then (alone, so nothing
/// else competes for the cores) times the CPU baselines. Progress lines go to the log.
/// </summary>
public static class StudyRunner
{
    /// <summary>Refuses a plan or job count the study cannot run, before any work.</summary>
    public static void Check(StudyPlan plan, EieConfig config, int jobs)
    {
        if (jobs < 1 || jobs > 1024)
            throw new EieInputException($"--jobs: must be in [1, 1024], got {jobs}");
        if (!plan.PeCounts.Contains(1))
            throw new EieInputException($"study plan {plan.Name}: PE counts must include 1 (the speed-up reference), got {string.Join(" ", plan.PeCounts)}");
        config.Validate();
        // Every sweep point's config must validate: checked now with a bound on the spmat
        // entries, so a config whose memories cannot grow enough is refused before any layer is made.
        foreach (var spec in plan.Layers.Append(plan.BreakEvenLayer with { WeightDensity = 1 - plan.Sparsities.Min() }))
            foreach (int pes in plan.PeCounts.Append(config.Pes))
                foreach (int depth in plan.QueueDepths.Append(config.ActQueueDepth))
                    StudyLayer.ConfigFor(spec, config, pes, depth, StudyLayer.MaxPeEntriesBound(spec, config, pes));
        StudyEnergy.Check(config, plan);
    }

    /// <summary>Highest --fpga-mhz accepted: above any FPGA's Fmax, so a larger value is a typo (Hz or kHz).</summary>
    public const double MaxFpgaMhz = 2000;

    /// <summary>Reads --fpga-mhz, refusing anything but a positive finite number up to <see cref="MaxFpgaMhz"/>.</summary>
    public static double ParseFpgaMhz(string text)
    {
        if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double mhz))
            mhz = double.NaN;
        CheckFpgaMhz(mhz, text);
        return mhz;
    }

    private static void CheckFpgaMhz(double mhz, string shown)
    {
        if (!double.IsFinite(mhz) || mhz <= 0 || mhz > MaxFpgaMhz)
            throw new EieInputException($"--fpga-mhz: must be a positive finite clock in MHz, at most {MaxFpgaMhz}, got {shown}");
    }

    /// <param name="tech">The technology of the energy figures; null leaves them out.</param>
    /// <param name="mnist">Fig. 10's trained network and test set, made on demand; null leaves Fig. 10 out.</param>
    public static StudyResult Run(EieConfig config, StudyPlan plan, int jobs, bool measureCpu, Action<string> log,
        TechModel? tech, Func<(TrainedLeNet Trained, MnistSet Test)>? mnist = null, double? fpgaMhz = null)
    {
        Check(plan, config, jobs);
        if (fpgaMhz is double given) CheckFpgaMhz(given, given.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        var clock = Stopwatch.StartNew();
        var layers = SweepRunner.Run("layer", plan.Layers, spec => StudyLayer.Make(config, spec, StudyPlan.Seed), jobs, log,
            cost: spec => (double)spec.Inputs * spec.Outputs, label: spec => $"{spec.Key} made and compressed");
        var sweeps = SweepResults.Run(config, plan, layers, jobs, log);
        var eie = plan.Layers.Select(spec =>
        {
            long cycles = sweeps.At(spec.Key, config.Pes, config.ActQueueDepth, false).Cycles;
            return new EieLayerTime(spec.Key, spec.Name, cycles, StudyMetrics.Microseconds(cycles, StudyPlan.ClockMhz),
                spec.PaperActualUs, spec.PaperTheoreticalUs, fpgaMhz is double f ? StudyMetrics.Microseconds(cycles, f) : null);
        }).ToArray();
        var breakEven = BreakEvenLayers(config, plan, jobs, log);
        var breakEvenEie = SweepRunner.Run("break-even EIE", Enumerable.Range(0, breakEven.Length).ToArray(), k =>
            {
                var l = breakEven[k];
                var encoded = l.Encode(config, config.Pes, balanced: false);
                long cycles = PointResult.Of(l.Image(config, encoded, config.ActQueueDepth), l.Input).Cycles;
                return new BreakEvenEiePoint(plan.Sparsities[k], l.Spec.KeptWeights, cycles, StudyMetrics.Microseconds(cycles, StudyPlan.ClockMhz));
            }, jobs, log, label: k => $"sparsity {plan.Sparsities[k]:P1}");
        PrecisionPoint[]? precision = null;
        if (mnist is not null)
        {
            var (trained, test) = mnist();
            log($"fig10: LeNet-300-100 at {string.Join(", ", PrecisionStudy.Widths)} bits over {test.Count} test images");
            precision = PrecisionStudy.Run(config, trained, test, PrecisionStudy.Widths);
        }
        var energy = tech is null ? null : StudyEnergy.Run(config, tech, plan, jobs, log);
        MeasuredResults? measured = measureCpu ? CpuStudy.Measure(config, plan, layers, breakEven, log) : null;
        return new StudyResult(plan, config, sweeps, breakEvenEie, eie, measured, clock.Elapsed.TotalSeconds) { Precision = precision, Energy = energy, FpgaMhz = fpgaMhz };
    }

    /// <summary>The break-even layer generated once unpruned, then pruned and shared at each sparsity.</summary>
    private static StudyLayer[] BreakEvenLayers(EieConfig config, StudyPlan plan, int jobs, Action<string> log)
    {
        var dense = SyntheticLayer.Generate(plan.BreakEvenLayer with { WeightDensity = 1.0 }, StudyPlan.Seed);
        return SweepRunner.Run("break-even layer", plan.Sparsities, s => StudyLayer.Share(config, plan.BreakEvenLayer, dense, 1 - s), jobs, log,
            cost: s => 1 - s, label: s => $"sparsity {s:P1} compressed");
    }
}
