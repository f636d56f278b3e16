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
        for (int i = 0; i < sorted.Length; i++) prefix[i + 1] = prefix[i] + sorted[i];

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
            {
                int from = runs.From[c], to = runs.To[c];
                // An empty cluster keeps its centroid. The clamp keeps a mean inside its own run
                // when prefix-sum rounding would push it past the run's ends.
                if (to > from)
                    centroids[c] = Math.Clamp((prefix[to] - prefix[from]) / (to - from), sorted[from], sorted[to - 1]);
            }
            var next = ClusterRuns(centroids, sorted);
            bool stable = next.From.AsSpan().SequenceEqual(runs.From) && next.To.AsSpan().SequenceEqual(runs.To);
            runs = next;
            if (stable) break;
        }
        return new KMeansCodebook(centroids, iterations);
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
            from[index[d]] = d == 0 ? 0 : FirstAbove(sorted, mids[d - 1]);
            to[index[d]] = d == mids.Length ? sorted.Length : FirstAbove(sorted, mids[d]);
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

    private static int FirstAbove(double[] sorted, double x)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= x) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
