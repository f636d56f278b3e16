using CsCheck;
using EieHdl.Arithmetic;
using EieHdl.Compression;
using EieHdl.Config;

namespace EieHdl.Tests.Compression;

public class KMeansCodebookTests
{
    [Fact]
    public void WeightsClusteredAroundFourValuesRecoverThem()
    {
        double[] centres = [-0.6, -0.1, 0.2, 0.9];
        var rng = new Random(7);
        var w = new double[40_000];
        for (int i = 0; i < w.Length; i++) w[i] = centres[i % 4] + (rng.NextDouble() - 0.5) * 0.02;
        var codebook = KMeansCodebook.Fit(w, 5);
        Assert.Equal(0.0, codebook.Centroids[0]);
        Assert.Equal(centres, codebook.Centroids.Skip(1).Order(), new ToleranceComparer(0.002));
        Assert.True(codebook.Iterations >= 1);
    }

    [Fact]
    public void LinearInitialisationSpansMinToMaxAndZeroIterationsKeepsIt()
    {
        var codebook = KMeansCodebook.Fit([-1.0, 0.3, 2.0], 5, maxIterations: 0);
        Assert.Equal([0.0, -1.0, 0.0, 1.0, 2.0], codebook.Centroids);
        Assert.Equal(0, codebook.Iterations);
    }

    [Fact]
    public void EverySurvivingWeightGetsTheNearestNonZeroIndexWithTiesToTheLowerIndex()
    {
        var codebook = KMeansCodebook.Fit([-1.0, 1.0], 3);
        Assert.Equal([0.0, -1.0, 1.0], codebook.Centroids);
        Assert.Equal(1, codebook.IndexOf(0.0));
        Assert.Equal(2, codebook.IndexOf(1e-9));
        Assert.Equal(1, codebook.IndexOf(-0.4));
        Assert.Equal(2, codebook.IndexOf(5));
    }

    [Fact]
    public void FewerDistinctWeightsThanCentroidsWork()
    {
        var codebook = KMeansCodebook.Fit([0.5, 0.5, 0.5, -0.25], 16);
        Assert.Equal(16, codebook.Centroids.Length);
        Assert.Equal(0.5, codebook.Centroids[codebook.IndexOf(0.5)]);
        Assert.Equal(-0.25, codebook.Centroids[codebook.IndexOf(-0.25)]);

        var single = KMeansCodebook.Fit([0.125, 0.125], 16);
        Assert.All(single.Centroids.Skip(1), c => Assert.Equal(0.125, c));
        Assert.Equal(1, single.IndexOf(0.125));

        var none = KMeansCodebook.Fit([], 16);
        Assert.All(none.Centroids, c => Assert.Equal(0.0, c));
    }

    [Fact]
    public void ClustersLeftEmptyTakeTheDistinctValuesACrowdedClusterHeld()
    {
        // Linear initialisation over [-1, 1] puts -1, -0.99 and -0.98 in one cluster and leaves
        // four clusters empty; splitting the crowded cluster gives each value its own entry.
        double[] w = [-1, -1, -0.99, -0.98, -0.98, -0.98, 0.5, 1, 1];
        var codebook = KMeansCodebook.Fit(w, 8);
        foreach (double x in w) Assert.Equal(x, codebook.Centroids[codebook.IndexOf(x)]);
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(256, 2)]
    [InlineData(256, 3)]
    public void EveryEntryServesSomeWeight(int size, int seed)
    {
        // Pruned weights: two heavy-tailed lobes with a gap around 0, where linear
        // initialisation leaves many centroids with no weight nearer to them than to another.
        var rng = new Random(seed);
        var w = Enumerable.Range(0, 20_000)
            .Select(_ => (rng.Next(2) * 2 - 1) * (0.05 - 0.02 * Math.Log(1 - rng.NextDouble())))
            .ToArray();
        var codebook = KMeansCodebook.Fit(w, size);
        Assert.Equal(Enumerable.Range(1, size - 1), w.Select(codebook.IndexOf).Distinct().Order());
        Assert.Equal(codebook.Centroids, KMeansCodebook.Fit(w, size).Centroids);
    }

    [Fact]
    public void AssignmentIsNearestAndFitIsDeterministic()
    {
        Gen.Select(Gen.Int[1, 3000], Gen.Int[2, 16], Gen.Int)
            .Sample((n, size, seed) =>
            {
                var rng = new Random(seed);
                var w = new double[n];
                for (int i = 0; i < n; i++) w[i] = Math.Round((rng.NextDouble() - 0.5) * 4, rng.Next(1, 6));
                var a = KMeansCodebook.Fit(w, size);
                var b = KMeansCodebook.Fit(w, size);
                Assert.Equal(a.Centroids, b.Centroids);
                Assert.Equal(a.Iterations, b.Iterations);
                foreach (double x in w)
                {
                    int v = a.IndexOf(x);
                    Assert.InRange(v, 1, size - 1);
                    for (int c = 1; c < size; c++)
                        Assert.True(Math.Abs(x - a.Centroids[v]) <= Math.Abs(x - a.Centroids[c]) + 1e-12);
                }
            }, iter: 200);
    }

    [Fact]
    public void ConvergedCentroidsAreTheMeansOfTheirClusters()
    {
        var rng = new Random(3);
        var w = Enumerable.Range(0, 5000).Select(_ => rng.NextDouble() * rng.NextDouble() - 0.3).ToArray();
        var codebook = KMeansCodebook.Fit(w, 16, maxIterations: 10_000);
        Assert.True(codebook.Iterations < 10_000);
        foreach (var cluster in w.GroupBy(codebook.IndexOf))
            Assert.Equal(cluster.Average(), codebook.Centroids[cluster.Key], 1e-9);
    }

    [Fact]
    public void CentroidOutsideTheWeightRangeIsRefused()
    {
        var fixedPoint = new FixedPoint(new EieConfig());
        var codebook = KMeansCodebook.Fit([9.31, -1.0], 3);
        var e = Assert.Throws<EieInputException>(() => codebook.ToFixed("fc7", fixedPoint));
        Assert.Equal("layer fc7: codebook value 9.31 exceeds the range of WeightWidth 16 / WeightFracBits 12 ([-8, 7.99976]); lower WeightFracBits", e.Message);
    }

    [Fact]
    public void FixedCodebookRoundsHalfAwayFromZero()
    {
        var fixedPoint = new FixedPoint(new EieConfig());
        int[] q = KMeansCodebook.Quantize("t", fixedPoint, [0.0, 1.0, -0.5, 1.5 / 4096, -1.5 / 4096]);
        Assert.Equal([0, 4096, -2048, 2, -2], q);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
