using EieHdl.Config;
using EieHdl.Workloads;

namespace EieHdl.Study;

/// <summary>One point of the design-space sweeps.</summary>
public sealed record SweepPoint(string Layer, int Pes, int QueueDepth, bool Balanced, PointResult Result);

/// <summary>One layer's curve over a swept parameter; Values[k] belongs to X[k].</summary>
public sealed record Series(string Layer, string Rows, int[] X, double[] Values);

/// <summary>
/// Figs. 8, 11, 12 and 13 from the cycle model: every (layer, PE count, rows interleaved or
/// balanced) is encoded once and run at each act-queue depth it needs, in parallel.
/// </summary>
public sealed record SweepResults(IReadOnlyList<SweepPoint> Points, int BasePes, int BaseDepth)
{
    /// <summary>One unit of parallel work: a layer encoded for one PE count, run at several depths.</summary>
    private sealed record Task(StudyLayer Layer, int Pes, bool Balanced, int[] Depths);

    public static SweepResults Run(EieConfig config, StudyPlan plan, IReadOnlyList<StudyLayer> layers, int jobs, Action<string> log)
    {
        var tasks = new List<Task>();
        foreach (var layer in layers)
            foreach (bool balanced in new[] { false, true })
                foreach (int pes in plan.PeCounts.Append(config.Pes).Distinct().Order())
                {
                    var depths = new SortedSet<int> { config.ActQueueDepth };
                    if (pes == config.Pes && !balanced) depths.UnionWith(plan.QueueDepths);
                    tasks.Add(new Task(layer, pes, balanced, depths.ToArray()));
                }
        var results = SweepRunner.Run("sweep", tasks, t =>
            {
                var encoded = t.Layer.Encode(config, t.Pes, t.Balanced);
                return t.Depths.Select(d => new SweepPoint(t.Layer.Spec.Key, t.Pes, d, t.Balanced,
                    PointResult.Of(t.Layer.Image(config, encoded, d), t.Layer.Input))).ToArray();
            }, jobs, log,
            // A run costs about its entries per PE times the PEs' overhead; the 1-PE runs are the longest.
            cost: t => (double)t.Layer.Spec.KeptWeights * t.Layer.Spec.ActDensity * t.Depths.Length / Math.Sqrt(t.Pes),
            label: t => $"{t.Layer.Spec.Key} {t.Pes} PEs {(t.Balanced ? "balanced" : "interleaved")}");
        return new SweepResults(results.SelectMany(r => r).ToArray(), config.Pes, config.ActQueueDepth);
    }

    public PointResult At(string layer, int pes, int depth, bool balanced) =>
        Points.First(p => p.Layer == layer && p.Pes == pes && p.QueueDepth == depth && p.Balanced == balanced).Result;

    private IEnumerable<string> LayerKeys => Points.Select(p => p.Layer).Distinct();

    private static string RowsName(bool balanced) => balanced ? "balanced" : "interleaved";

    /// <summary>Fig. 8: load efficiency versus act-queue depth at the configured PE count, interleaved rows.</summary>
    public IReadOnlyList<Series> LoadEfficiency(IReadOnlyList<int> depths) => LayerKeys.Select(l => new Series(l, RowsName(false),
        depths.ToArray(), depths.Select(d => At(l, BasePes, d, false)).Select(r => StudyMetrics.LoadEfficiency(r.IdealCycles, r.Cycles)).ToArray())).ToArray();

    /// <summary>Fig. 11: speed-up over 1 PE versus PEs, at the configured act-queue depth.</summary>
    public IReadOnlyList<Series> SpeedUp(IReadOnlyList<int> pes, bool balanced) => LayerKeys.Select(l => new Series(l, RowsName(balanced),
        pes.ToArray(), pes.Select(n => StudyMetrics.SpeedUp(At(l, 1, BaseDepth, balanced).Cycles, At(l, n, BaseDepth, balanced).Cycles)).ToArray())).ToArray();

    /// <summary>Fig. 12: padding entries' share of the entries processed versus PEs.</summary>
    public IReadOnlyList<Series> Padding(IReadOnlyList<int> pes, bool balanced) => PerPe(pes, balanced,
        r => StudyMetrics.PaddingShare(r.PaddingEntries, r.Entries));

    /// <summary>Fig. 13: load balance (mean / max entries per PE) versus PEs.</summary>
    public IReadOnlyList<Series> LoadBalance(IReadOnlyList<int> pes, bool balanced) => PerPe(pes, balanced, r => r.LoadBalance);

    private IReadOnlyList<Series> PerPe(IReadOnlyList<int> pes, bool balanced, Func<PointResult, double> metric) =>
        LayerKeys.Select(l => new Series(l, RowsName(balanced), pes.ToArray(),
            pes.Select(n => metric(At(l, n, BaseDepth, balanced))).ToArray())).ToArray();
}
