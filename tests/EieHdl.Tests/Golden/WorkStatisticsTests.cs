using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Golden;
using EieHdl.Workloads;

namespace EieHdl.Tests.Golden;

public class WorkStatisticsTests
{
    /// <summary>
    /// Entries a PE spends on one column, counted from the dense matrix: one per weight of the
    /// PE's rows, plus one padding per MaxRun + 1 zero rows bridged before a weight.
    /// </summary>
    private static (int Entries, int Padding) PlainCount(EieConfig config, DenseLayer layer, int pe, int column)
    {
        int entries = 0, padding = 0, run = 0;
        for (int row = pe; row < layer.Outputs; row += config.Pes)
        {
            if (layer.Indices[row * layer.Columns + column] == 0) { run++; continue; }
            padding += run / (config.MaxRun + 1);
            entries++;
            run = 0;
        }
        return (entries + padding, padding);
    }

    private static void CheckAgainstPlainCount(EieConfig config, DenseLayer layer, int[] acts, LayerWork work)
    {
        var active = Enumerable.Range(0, layer.Inputs).Where(j => acts[j] != 0).ToList();
        if (layer.HasBias) active.Add(layer.Inputs);
        Assert.Equal(active, work.ActiveColumns);

        var peEntries = new long[config.Pes];
        var pePadding = new long[config.Pes];
        for (int k = 0; k < active.Count; k++)
            for (int pe = 0; pe < config.Pes; pe++)
            {
                var (entries, padding) = PlainCount(config, layer, pe, active[k]);
                Assert.Equal(entries, work.Entries(k, pe));
                peEntries[pe] += entries;
                pePadding[pe] += padding;
            }
        Assert.Equal(peEntries, work.PeEntries);
        Assert.Equal(pePadding, work.PePadding);
        Assert.Equal(peEntries.Sum(), work.TotalEntries);
        Assert.Equal(pePadding.Sum(), work.PaddingEntries);
        Assert.Equal(peEntries.Max(), work.IdealCycles);
        double expectedEfficiency = peEntries.Max() == 0 ? 1.0 : peEntries.Average() / peEntries.Max();
        Assert.Equal(expectedEfficiency, work.LoadBalanceEfficiency, 12);
    }

    [Fact]
    public void ChainStatisticsMatchAPlainCountOfTheDenseMatrices() =>
        GoldenCases.SampleChains(maxLayers: 3, maxSize: 120, reluLastAlways: true, maxDensity: 0.4, iter: 200, (config, layers, golden, input) =>
        {
            var work = WorkStatistics.ForChain(golden, input);
            var runs = golden.RunChainLayers(input);
            Assert.Equal(layers.Length, work.Length);
            for (int l = 0; l < layers.Length; l++)
            {
                Assert.Equal(l, work[l].LayerIndex);
                CheckAgainstPlainCount(config, layers[l], l == 0 ? input : runs[l - 1].Outputs, work[l]);
            }
        });

    [Fact]
    public void BusiestPeSetsIdealCyclesAndBalance()
    {
        var config = new EieConfig { Pes = 2 };
        // PE 0 owns rows 0, 2, 4; PE 1 owns rows 1, 3, 5. Column 0 is dense, column 1 only in
        // PE 0, column 2 is never active (act 0). Bias column: one entry in PE 1.
        byte[] indices =
        [
            1, 1, 1, 0,
            1, 0, 1, 1,
            1, 1, 1, 0,
            1, 0, 1, 0,
            1, 1, 1, 0,
            1, 0, 1, 0,
        ];
        var codebook = new int[16];
        codebook[1] = 1;
        var layer = new DenseLayer(3, 6, true, true, indices, codebook);
        var image = ModelImage.Build(config, [layer.Encode(config, "fc")]);

        var work = WorkStatistics.ForLayer(image, 0, [5, -3, 0]);
        Assert.Equal(new[] { 0, 1, 3 }, work.ActiveColumns);
        Assert.Equal(new long[] { 6, 4 }, work.PeEntries);
        Assert.Equal(6, work.IdealCycles);
        Assert.Equal(10, work.TotalEntries);
        Assert.Equal(0, work.PaddingEntries);
        Assert.Equal(5.0 / 6.0, work.LoadBalanceEfficiency, 12);

        var idle = WorkStatistics.ForLayer(image, 0, [0, 0, 0]);
        Assert.Equal(new[] { 3 }, idle.ActiveColumns);
        Assert.Equal(new long[] { 0, 1 }, idle.PeEntries);
        Assert.Equal(0.5, idle.LoadBalanceEfficiency, 12);
    }

    [Fact]
    public void NoWorkIsPerfectlyBalanced()
    {
        var config = new EieConfig { Pes = 4 };
        var layer = new DenseLayer(5, 8, false, true, new byte[40], new int[16]);
        var work = WorkStatistics.ForLayer(ModelImage.Build(config, [layer.Encode(config, "fc")]), 0, new int[5]);
        Assert.Empty(work.ActiveColumns);
        Assert.Equal(0, work.IdealCycles);
        Assert.Equal(1.0, work.LoadBalanceEfficiency);
    }
}
