namespace EieHdl.Compression;

/// <summary>
/// One layer's weights as Deep Compression sees them: a histogram over their range, each bin
/// split into the weights pruning kept and those it cut, the pruning cut (the least magnitude
/// kept) and the shared values (the k-means codebook without its entry 0, which stands for
/// "no weight"). Bias values are not weights here: they are never pruned.
/// </summary>
/// <param name="BinStart">Left edge of bin 0; bin b covers [BinStart + b x BinWidth, BinStart + (b + 1) x BinWidth).</param>
/// <param name="PruneCut">The least |w| pruning kept (0 when it kept nothing): the weights in (-cut, cut) were pruned.</param>
public sealed record WeightHistogram(
    string Layer, double BinStart, double BinWidth, long[] Kept, long[] Pruned, double PruneCut, double[] SharedValues)
{
    public const int DefaultBins = 120;

    /// <param name="weights">The dense layer, row-major outputs x <paramref name="inputs"/>, before pruning.</param>
    /// <param name="density">The density it was pruned to.</param>
    /// <param name="codebookFloat">The layer's float codebook (entry 0 is the 0 of "no weight").</param>
    public static WeightHistogram Of(string layer, double[] weights, int inputs, double density, IReadOnlyList<double> codebookFloat,
        int bins = DefaultBins)
    {
        bool[] keep = MagnitudePruner.Prune(layer, weights, inputs, density);
        double lo = weights.Min(), hi = weights.Max();
        foreach (double c in codebookFloat.Skip(1)) { lo = Math.Min(lo, c); hi = Math.Max(hi, c); }
        // A layer of equal weights still gets a bin of non-zero width.
        double width = hi > lo ? (hi - lo) / bins : Math.Max(Math.Abs(lo), 1) / bins;
        var kept = new long[bins];
        var pruned = new long[bins];
        double cut = double.PositiveInfinity;
        for (int i = 0; i < weights.Length; i++)
        {
            int b = Math.Clamp((int)((weights[i] - lo) / width), 0, bins - 1);
            if (keep[i])
            {
                kept[b]++;
                cut = Math.Min(cut, Math.Abs(weights[i]));
            }
            else pruned[b]++;
        }
        return new WeightHistogram(layer, lo, width, kept, pruned, double.IsPositiveInfinity(cut) ? 0 : cut,
            codebookFloat.Skip(1).Order().ToArray());
    }
}
