using EieHdl.Encoding;

namespace EieHdl.Tests.Encoding;

public class RowBalancerTests
{
    private static long[] Loads(int[] work, int[] order, int pes)
    {
        var load = new long[pes];
        for (int p = 0; p < order.Length; p++) load[p % pes] += work[order[p]];
        return load;
    }

    [Theory]
    [InlineData(1000, 64, 1)]
    [InlineData(37, 4, 2)]
    [InlineData(3, 8, 3)]
    [InlineData(64, 64, 4)]
    public void TheOrderIsAPermutationThatKeepsEachPesRowCountAndNeverRaisesTheBusiestPe(int rows, int pes, int seed)
    {
        var random = new Random(seed);
        // Uneven rows: most light, a few heavy, as magnitude pruning with row scales gives.
        var work = Enumerable.Range(0, rows).Select(_ => random.Next(10) == 0 ? 40 + random.Next(20) : random.Next(12)).ToArray();
        var order = RowBalancer.LargestFirst(work.Select(w => (long)w).ToArray(), pes);
        Assert.Equal(Enumerable.Range(0, rows), order.Order());
        var interleaved = Loads(work, Enumerable.Range(0, rows).ToArray(), pes);
        var balanced = Loads(work, order, pes);
        Assert.True(balanced.Max() <= interleaved.Max(), $"balanced max {balanced.Max()} > interleaved {interleaved.Max()}");
        // Largest-first bound: the busiest PE exceeds the mean by at most one row's work.
        Assert.True(balanced.Max() <= Math.Ceiling(balanced.Average()) + work.Max(), $"max {balanced.Max()}, mean {balanced.Average()}");
        Assert.Equal(order, RowBalancer.LargestFirst(work.Select(w => (long)w).ToArray(), pes));
        // Within a PE the rows keep their relative order.
        for (int k = 0; k < pes; k++)
        {
            var local = Enumerable.Range(0, rows).Where(p => p % pes == k).Select(p => order[p]).ToArray();
            Assert.Equal(local.Order(), local);
        }
    }

    [Fact]
    public void SkewedRowsAreSpreadEvenly()
    {
        // Interleaving puts every heavy row (0, 4, 8, ...) on PE 0.
        var work = Enumerable.Range(0, 16).Select(i => i % 4 == 0 ? 30 : 2).ToArray();
        var order = RowBalancer.LargestFirst(work.Select(w => (long)w).ToArray(), 4);
        Assert.Equal([120, 8, 8, 8], Loads(work, Enumerable.Range(0, 16).ToArray(), 4));
        Assert.Equal([36, 36, 36, 36], Loads(work, order, 4));
    }

    [Fact]
    public void PermutationsMoveRowsColumnsAndValues()
    {
        double[] m = [1, 2, 3, 4, 5, 6]; // 2 x 3
        Assert.Equal([4, 5, 6, 1, 2, 3], RowBalancer.PermuteRows<double>(m, 3, [1, 0]));
        Assert.Equal([3, 1, 2, 6, 4, 5], RowBalancer.PermuteColumns<double>(m, 3, [2, 0, 1]));
        // A bias column after the permuted inputs stays last.
        Assert.Equal([2, 1, 3, 5, 4, 6], RowBalancer.PermuteColumns<double>(m, 3, [1, 0]));
        Assert.Equal(["c", "a"], RowBalancer.Permute<string>(["a", "b", "c"], [2, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RowBalancer.LargestFirst([1L, 2L], 0));
    }
}
