using CsCheck;
using EieHdl.Compression;

namespace EieHdl.Tests.Compression;

public class MagnitudePrunerTests
{
    [Fact]
    public void PruningReachesTheDensityExactlyAndKeepsTheLargestMagnitudes()
    {
        Gen.Select(Gen.Int[1, 40], Gen.Int[1, 40], Gen.Double[0.001, 1.0], Gen.Int)
            .Sample((rows, cols, density, seed) =>
            {
                var rng = new Random(seed);
                var w = new double[rows * cols];
                for (int i = 0; i < w.Length; i++) w[i] = rng.NextDouble() * 2 - 1;
                bool[] keep = MagnitudePruner.Prune("t", w, cols, density);
                long k = (long)Math.Round(density * w.Length, MidpointRounding.AwayFromZero);
                Assert.Equal(k, keep.Count(b => b));
                double smallestKept = w.Where((_, i) => keep[i]).Select(Math.Abs).DefaultIfEmpty(double.PositiveInfinity).Min();
                double largestDropped = w.Where((_, i) => !keep[i]).Select(Math.Abs).DefaultIfEmpty(0).Max();
                Assert.True(largestDropped <= smallestKept);
            }, iter: 300);
    }

    [Fact]
    public void TiesAtTheThresholdKeepTheLowerFlatIndex()
    {
        double[] w = [0.5, -0.25, 0.25, 0.25, -0.75, 0.25];
        bool[] keep = MagnitudePruner.Prune("t", w, 3, 4.0 / 6);
        Assert.Equal([true, true, true, false, true, false], keep);
    }

    [Fact]
    public void ZeroWeightsAreNeverKept()
    {
        double[] w = [0, 0, 1, 0, -2, 0];
        bool[] keep = MagnitudePruner.Prune("t", w, 6, 1.0);
        Assert.Equal([false, false, true, false, true, false], keep);
    }

    [Fact]
    public void FullDensityKeepsEveryNonZeroWeightAndHandlesTheWholeExponentRange()
    {
        double[] w = [double.Epsilon, -double.MaxValue, 1e-300, 3, -1e300, double.MaxValue];
        Assert.All(MagnitudePruner.Prune("t", w, 2, 1.0), Assert.True);
        bool[] half = MagnitudePruner.Prune("t", w, 2, 0.5);
        Assert.Equal([false, true, false, false, true, true], half);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.5, "1.5")]
    [InlineData(-0.1, "-0.1")]
    [InlineData(double.NaN, "NaN")]
    public void DensityOutsideZeroOneIsRefused(double density, string shown)
    {
        var e = Assert.Throws<EieInputException>(() => MagnitudePruner.Prune("fc7", new double[4], 2, density));
        Assert.Equal($"layer fc7: density must be in (0, 1], got {shown}", e.Message);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void NonFiniteWeightIsRefusedWithItsRowAndColumn(double bad, string shown)
    {
        var w = new double[12];
        w[7] = bad;
        var e = Assert.Throws<EieInputException>(() => MagnitudePruner.Prune("fc6", w, 4, 0.5));
        Assert.Equal($"layer fc6: weight at row 1, column 3 must be finite, got {shown}", e.Message);
    }
}
