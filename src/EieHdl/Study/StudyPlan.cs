using EieHdl.Workloads;

namespace EieHdl.Study;

/// <summary>
/// What one study sweeps: the layers, the PE counts and act-queue depths, the break-even
/// layer and its sparsities, and how long each CPU kernel is timed. <see cref="Full"/> is the
/// paper's evaluation; <see cref="Quick"/> keeps every figure and series kind on a reduced
/// set, so a test can run the whole study in well under a minute.
/// </summary>
/// <param name="Name">"full" or "quick", recorded in the outputs.</param>
/// <param name="Layers">Benchmark layers of Figs. 8, 11-13 and Table IV.</param>
/// <param name="PeCounts">Fig. 11-13's x axis; must hold 1, the speed-up reference.</param>
/// <param name="QueueDepths">Fig. 8's x axis.</param>
/// <param name="BreakEvenLayer">The layer of the break-even sweep (its shape, act density and seed).</param>
/// <param name="Sparsities">Weight sparsities of the break-even sweep, ascending, in [0.5, 1).</param>
/// <param name="MinRepetitions">Timed repetitions of a CPU kernel at least.</param>
/// <param name="MinSeconds">Seconds a CPU kernel is repeated for at least.</param>
public sealed record StudyPlan(
    string Name, IReadOnlyList<BenchmarkLayer> Layers, IReadOnlyList<int> PeCounts, IReadOnlyList<int> QueueDepths,
    BenchmarkLayer BreakEvenLayer, IReadOnlyList<double> Sparsities, int MinRepetitions, double MinSeconds)
{
    /// <summary>Seed of every synthetic layer (the `bench` and `workload` default).</summary>
    public const ulong Seed = 1;

    /// <summary>EIE's clock [P], at which cycles become microseconds.</summary>
    public const double ClockMhz = 800;

    /// <summary>Fig. 11's x axis: 1, 2, 4, ..., 256 PEs.</summary>
    public static readonly int[] AllPeCounts = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    /// <summary>Fig. 8's x axis: act-queue depths 1, 2, 4, ..., 256.</summary>
    public static readonly int[] AllQueueDepths = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    /// <summary>The break-even sweep: 50% to 99.5% weight sparsity, denser near the paper's 91% and near the seed slides' 95%.</summary>
    public static readonly double[] AllSparsities = [0.50, 0.60, 0.70, 0.80, 0.85, 0.90, 0.91, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995];

    /// <summary>An Alex-7-sized layer (4096 x 4096, Alex-7's act density) whose weight density the sweep sets.</summary>
    public static readonly BenchmarkLayer Alex7Sized = BenchmarkLayers.Alex7 with { Key = "alex7-sized", Name = "Alex-7-sized" };

    public static StudyPlan Full { get; } = new("full", BenchmarkLayers.All, AllPeCounts, AllQueueDepths,
        Alex7Sized, AllSparsities, MinRepetitions: 10, MinSeconds: 0.25);

    /// <summary>
    /// Two of the smaller layers (one ReLU-sparse, one dense-input NeuralTalk layer), five PE
    /// counts, five depths, a 1024 x 1024 break-even layer at three sparsities, short timings.
    /// </summary>
    public static StudyPlan Quick { get; } = new("quick", [BenchmarkLayers.Alex8, BenchmarkLayers.NtLstm],
        [1, 4, 16, 64, 256], [1, 2, 8, 32, 256],
        BenchmarkLayers.Alex7 with { Key = "small", Name = "Small Alex-7-like", Inputs = 1024, Outputs = 1024 },
        [0.50, 0.90, 0.99], MinRepetitions: 3, MinSeconds: 0.02);
}
