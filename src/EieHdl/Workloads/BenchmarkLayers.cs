namespace EieHdl.Workloads;

/// <summary>
/// One of EIE's nine benchmark layers (ISCA 2016, Tables III and IV): shape, densities and
/// the paper's measured and theoretical times on 64 PEs at 800 MHz, batch 1.
/// </summary>
/// <param name="Key">Command-line name, e.g. "alex7".</param>
/// <param name="Name">The paper's name, e.g. "Alex-7".</param>
/// <param name="WeightDensity">Fraction of weights kept by pruning.</param>
/// <param name="ActDensity">Fraction of non-zero input acts.</param>
/// <param name="PaperActualUs">EIE's time with load imbalance (Table IV, "actual").</param>
/// <param name="PaperTheoreticalUs">EIE's workload over peak throughput (Table IV, "theoretical").</param>
public sealed record BenchmarkLayer(
    string Key, string Name, int Inputs, int Outputs, double WeightDensity, double ActDensity,
    double PaperActualUs, double PaperTheoreticalUs)
{
    /// <summary>The paper's clock, for converting its times to cycles.</summary>
    public const double PaperClockMhz = 800.0;

    public double PaperActualCycles => PaperActualUs * PaperClockMhz;
    public double PaperTheoreticalCycles => PaperTheoreticalUs * PaperClockMhz;

    /// <summary>Non-zero input acts: round(ActDensity x Inputs).</summary>
    public int ActiveInputs => (int)Math.Round(ActDensity * Inputs, MidpointRounding.AwayFromZero);

    /// <summary>Weights kept by pruning: round(WeightDensity x Inputs x Outputs).</summary>
    public long KeptWeights => (long)Math.Round(WeightDensity * Inputs * (double)Outputs, MidpointRounding.AwayFromZero);
}

/// <summary>The nine benchmark layers of the EIE paper, looked up by command-line name.</summary>
public static class BenchmarkLayers
{
    public static readonly BenchmarkLayer Alex6 = new("alex6", "Alex-6", 9216, 4096, 0.09, 0.351, 30.3, 28.1);
    public static readonly BenchmarkLayer Alex7 = new("alex7", "Alex-7", 4096, 4096, 0.09, 0.353, 12.2, 11.7);
    public static readonly BenchmarkLayer Alex8 = new("alex8", "Alex-8", 4096, 1000, 0.25, 0.375, 9.9, 8.9);
    public static readonly BenchmarkLayer Vgg6 = new("vgg6", "VGG-6", 25088, 4096, 0.04, 0.183, 34.4, 28.1);
    public static readonly BenchmarkLayer Vgg7 = new("vgg7", "VGG-7", 4096, 4096, 0.04, 0.375, 8.7, 7.9);
    public static readonly BenchmarkLayer Vgg8 = new("vgg8", "VGG-8", 4096, 1000, 0.23, 0.411, 8.4, 7.3);
    public static readonly BenchmarkLayer NtWe = new("nt-we", "NT-We", 4096, 600, 0.10, 1.0, 8.0, 5.2);
    public static readonly BenchmarkLayer NtWd = new("nt-wd", "NT-Wd", 600, 8791, 0.11, 1.0, 13.9, 13.0);
    public static readonly BenchmarkLayer NtLstm = new("nt-lstm", "NT-LSTM", 1201, 2400, 0.10, 1.0, 7.5, 6.5);

    /// <summary>In the paper's table order.</summary>
    public static IReadOnlyList<BenchmarkLayer> All { get; } =
        [Alex6, Alex7, Alex8, Vgg6, Vgg7, Vgg8, NtWe, NtWd, NtLstm];

    public static IEnumerable<string> Keys => All.Select(b => b.Key);

    /// <summary>Case-insensitive lookup by command-line name.</summary>
    public static BenchmarkLayer Get(string key) =>
        All.FirstOrDefault(b => string.Equals(b.Key, key.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new EieInputException(
            $"workload: unknown benchmark layer '{key}', valid names are {string.Join(", ", Keys)}");
}
