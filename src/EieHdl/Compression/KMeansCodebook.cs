using System.Globalization;
using EieHdl.Arithmetic;

namespace EieHdl.Compression;

/// <summary>
/// Deep Compression's weight sharing for one layer: entry 0 of the codebook is fixed at 0.0
/// (EIE's padding entries use it), the other CodebookSize - 1 centroids are fitted by 1-D
/// Lloyd k-means over the surviving weights, starting evenly spaced over [min, max].
/// The weights are sorted once; in 1-D every cluster is a contiguous run of the sorted
/// weights, bounded by the midpoints between sorted centroids and found by binary search; its
/// mean comes from prefix sums. An iteration therefore costs O(K log n), and the same
/// midpoints assign each individual weight, so the two can never disagree.
/// A cluster left empty by an iteration would be a codebook entry no weight uses; it is
/// re-seeded by splitting the cluster with the largest squared error at its mean (the lower
/// part keeps the old centroid's index, the upper part takes the empty one), so every entry
/// serves weights as long as the weights have enough distinct values. Each split lowers the
/// total squared error and Lloyd's steps never raise it, so the fit still converges, and the
/// choice (largest error, ties to the lower index) is deterministic.
/// </summary>
public sealed class KMeansCodebook
{
    public const int DefaultMaxIterations = 100;

    private readonly double[] midpoints;
    private readonly int[] distinctIndex;

    private KMeansCodebook(double[] centroids, int iterations)
    {
        Centroids = centroids;
        Iterations = iterations;
        (midpoints, distinctIndex) = Boundaries(centroids);
    }

    /// <summary>Codebook in float: entry 0 is 0.0, entries 1.. are the fitted centroids.</summary>
    public double[] Centroids { get; }

    /// <summary>Lloyd iterations run (0 when the initial centroids were already stable or there was nothing to fit).</summary>
    public int Iterations { get; }

    /// <summary>
    /// Fits the codebook to <paramref name="values"/> (the surviving non-zero weights and
    /// bias values). Stops when the assignment no longer changes or after maxIterations.
    /// </summary>
    public static KMeansCodebook Fit(ReadOnlySpan<double> values, int codebookSize, int maxIterations = DefaultMaxIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(codebookSize, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(maxIterations);
        var centroids = new double[codebookSize];
        if (values.IsEmpty) return new KMeansCodebook(centroids, 0);

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var prefix = new double[sorted.Length + 1];
        var prefixSquares = new double[sorted.Length + 1];
        for (int i = 0; i < sorted.Length; i++)
        {
            prefix[i + 1] = prefix[i] + sorted[i];
            prefixSquares[i + 1] = prefixSquares[i] + sorted[i] * sorted[i];
        }
        var sums = new PrefixSums(sorted, prefix, prefixSquares);

        int k = codebookSize - 1;
        double min = sorted[0], max = sorted[^1];
        for (int c = 0; c < k; c++)
            centroids[c + 1] = k == 1 ? min : min + (max - min) * c / (k - 1);

        var runs = ClusterRuns(centroids, sorted);
        int iterations = 0;
        while (iterations < maxIterations)
        {
            iterations++;
            for (int c = 1; c <= k; c++)
                if (runs.To[c] > runs.From[c]) centroids[c] = sums.Mean(runs.From[c], runs.To[c]);
            for (int c = 1; c <= k; c++)
                if (runs.To[c] == runs.From[c] && !SplitWorst(centroids, runs, sums, c)) break;
            var next = ClusterRuns(centroids, sorted);
            bool stable = next.From.AsSpan().SequenceEqual(runs.From) && next.To.AsSpan().SequenceEqual(runs.To);
            runs = next;
            if (stable) break;
        }
        return new KMeansCodebook(centroids, iterations);
    }

    /// <summary>
    /// Gives the empty cluster <paramref name="empty"/> the upper part of the cluster with the
    /// largest squared error, split at its mean; both parts' runs and centroids are updated so
    /// a later empty cluster of the same iteration sees the split. False when no cluster can be
    /// split (every cluster holds a single distinct value): the weights have no more distinct
    /// values to give an entry.
    /// </summary>
    private static bool SplitWorst(double[] centroids, (int[] From, int[] To) runs, PrefixSums sums, int empty)
    {
        int worst = -1;
        double worstError = 0;
        var sorted = sums.Sorted;
        for (int c = 1; c < centroids.Length; c++)
        {
            int from = runs.From[c], to = runs.To[c];
            if (to - from < 2 || sorted[from] == sorted[to - 1]) continue;
            double error = sums.SquaredError(from, to);
            if (error > worstError) { worst = c; worstError = error; }
        }
        if (worst < 0) return false;
        int first = runs.From[worst], end = runs.To[worst];
        // The run holds two or more distinct values, so its mean lies between its ends; when
        // rounding puts the mean on the largest value, the largest values alone split off.
        int at = FirstAbove(sorted, first, end, centroids[worst]);
        if (at == end) at = FirstAbove(sorted, first, end, double.BitDecrement(sorted[end - 1]));
        runs.To[worst] = at;
        runs.From[empty] = at;
        runs.To[empty] = end;
        centroids[worst] = sums.Mean(first, at);
        centroids[empty] = sums.Mean(at, end);
        return true;
    }

    /// <summary>Prefix sums of the sorted weights and of their squares: any run's mean and squared error in O(1).</summary>
    private sealed record PrefixSums(double[] Sorted, double[] Sum, double[] SumSquares)
    {
        /// <summary>Mean of [from, to), clamped into the run's range against prefix-sum rounding.</summary>
        public double Mean(int from, int to) =>
            Math.Clamp((Sum[to] - Sum[from]) / (to - from), Sorted[from], Sorted[to - 1]);

        /// <summary>Sum of squared distances of [from, to) to its mean (never negative).</summary>
        public double SquaredError(int from, int to)
        {
            double s = Sum[to] - Sum[from];
            return Math.Max(0, SumSquares[to] - SumSquares[from] - s * s / (to - from));
        }
    }

    /// <summary>
    /// Codebook index (1 .. CodebookSize-1) of a surviving weight: the nearest centroid, a
    /// weight exactly on a midpoint going to the lower index, and of equal centroids the lowest.
    /// </summary>
    public int IndexOf(double w)
    {
        int lo = 0, hi = midpoints.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (midpoints[mid] < w) lo = mid + 1; else hi = mid;
        }
        return distinctIndex[lo];
    }

    /// <summary>Rounds the centroids to codebook entries; see <see cref="Quantize"/>.</summary>
    public int[] ToFixed(string layer, FixedPoint fixedPoint) => Quantize(layer, fixedPoint, Centroids);

    /// <summary>
    /// Rounds float codebook values to codebook entries (rule W1). A value that would saturate
    /// is refused: saturating it would silently change every weight that shares it.
    /// </summary>
    public static int[] Quantize(string layer, FixedPoint fixedPoint, IReadOnlyList<double> codebook)
    {
        var entries = new int[codebook.Count];
        for (int c = 0; c < codebook.Count; c++)
        {
            double w = codebook[c];
            if (!fixedPoint.WeightFits(w))
            {
                var config = fixedPoint.Config;
                throw new EieInputException(string.Create(CultureInfo.InvariantCulture,
                    $"layer {layer}: codebook value {w:G6} exceeds the range of WeightWidth {config.WeightWidth} / WeightFracBits {config.WeightFracBits} ([{fixedPoint.WeightToDouble(fixedPoint.WeightMin):G6}, {fixedPoint.WeightToDouble(fixedPoint.WeightMax):G6}]); lower WeightFracBits"));
            }
            entries[c] = fixedPoint.QuantizeWeight(w);
        }
        return entries;
    }

    /// <summary>
    /// Run [From[c], To[c]) of <paramref name="sorted"/> assigned to each centroid c (1..K);
    /// a centroid that equals a lower-indexed one gets an empty run.
    /// </summary>
    private static (int[] From, int[] To) ClusterRuns(double[] centroids, double[] sorted)
    {
        var (mids, index) = Boundaries(centroids);
        var from = new int[centroids.Length];
        var to = new int[centroids.Length];
        for (int d = 0; d < index.Length; d++)
        {
            from[index[d]] = d == 0 ? 0 : FirstAbove(sorted, 0, sorted.Length, mids[d - 1]);
            to[index[d]] = d == mids.Length ? sorted.Length : FirstAbove(sorted, 0, sorted.Length, mids[d]);
        }
        return (from, to);
    }

    /// <summary>
    /// The distinct values among centroids 1..K in increasing order, each with the lowest index
    /// holding it, and the midpoints between neighbours. Sorting here, rather than trusting
    /// Lloyd to keep the centroids in order, keeps the assignment well defined even when an
    /// empty cluster's kept centroid is overtaken by a neighbour.
    /// </summary>
    private static (double[] Midpoints, int[] DistinctIndex) Boundaries(double[] centroids)
    {
        var order = Enumerable.Range(1, centroids.Length - 1)
            .OrderBy(c => centroids[c]).ThenBy(c => c).ToArray();
        var mids = new List<double>();
        var index = new List<int> { order[0] };
        foreach (int c in order.Skip(1))
        {
            double previous = centroids[index[^1]];
            if (centroids[c] == previous) continue;
            mids.Add(previous + (centroids[c] - previous) / 2);
            index.Add(c);
        }
        return (mids.ToArray(), index.ToArray());
    }

    /// <summary>First index in [from, to) whose value is above x (to when none is).</summary>
    private static int FirstAbove(double[] sorted, int from, int to, double x)
    {
        int lo = from, hi = to;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
