using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.CycleModel;
using EieHdl.Flows;
using EieHdl.Golden;
using EieHdl.Tests.Cli;
using Xunit.Abstractions;

namespace EieHdl.Tests.Flows;

public class CompressedModelTests(ITestOutputHelper output)
{
    /// <summary>A chain of dense random layers (sizes[l] inputs, sizes[l + 1] outputs), pruned to <paramref name="density"/>.</summary>
    private static LayerSource[] DenseChain(int[] sizes, double density, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, sizes.Length - 1).Select(l => new LayerSource(
            $"fc{l}",
            Enumerable.Range(0, sizes[l] * sizes[l + 1]).Select(_ => random.NextDouble() * 2 - 1).ToArray(),
            sizes[l + 1], sizes[l],
            Enumerable.Range(0, sizes[l + 1]).Select(_ => (random.NextDouble() - 0.5) * 0.5).ToArray(),
            density, Relu: l < sizes.Length - 2)).ToArray();
    }

    [Theory]
    [InlineData(8, 0.1, 1)]
    [InlineData(8, 0.3, 2)]
    [InlineData(16, 0.2, 3)]
    public void BalancingADenseRandomChainAfterPruningSavesCyclesAndKeepsEveryOutput(int pes, double density, int seed)
    {
        var config = new EieConfig { Pes = pes, PtrDepth = 4096, SpmatDepth = 4096 }.Validate();
        var sources = DenseChain([200, 160, 96], density, seed);
        var plain = CompressedModel.Compress(config, sources);
        var balanced = CompressedModel.Compress(config, sources, balance: true);

        var order = balanced.OutputOrder!;
        Assert.NotEqual(Enumerable.Range(0, order.Length), order);
        // Pruning and sharing ran in the original order: the same weights, codebooks and entries.
        for (int l = 0; l < sources.Length; l++)
        {
            Assert.Equal(plain.Layers[l].KeptWeights, balanced.Layers[l].KeptWeights);
            Assert.Equal(plain.Layers[l].Layer.Codebook, balanced.Layers[l].Layer.Codebook);
        }

        var fp = new FixedPoint(config);
        var random = new Random(seed);
        var input = Enumerable.Range(0, 200).Select(_ => fp.QuantizeActivation(random.NextDouble() * 2)).ToArray();
        int[] y = new GoldenModel(plain.Image).RunChain(input);
        int[] rows = new GoldenModel(balanced.Image).RunChain(input);
        for (int p = 0; p < rows.Length; p++)
            Assert.True(rows[p] == y[order[p]], $"hardware row {p} is output {order[p]}: balanced {rows[p]}, plain {y[order[p]]}");

        var plainRun = new EieCycleModel(plain.Image).Run(input);
        var balancedRun = new EieCycleModel(balanced.Image).Run(input);
        output.WriteLine($"{pes} PEs, density {density}: interleaved {plainRun.Cycles} cycles (ideal {string.Join(" + ", plainRun.Layers.Select(s => s.IdealCycles))}), " +
            $"balanced {balancedRun.Cycles} (ideal {string.Join(" + ", balancedRun.Layers.Select(s => s.IdealCycles))})");
        Assert.True(balancedRun.Cycles < plainRun.Cycles, $"balanced {balancedRun.Cycles} cycles, interleaved {plainRun.Cycles}");
        Assert.Equal(rows, balancedRun.Outputs);
    }

    [Fact]
    public void HardwareRowPIsModelOutputOutputOrderP()
    {
        // 6 rows over 3 PEs; rows 0 and 3 hold five weights, the others one. Interleaving puts
        // both heavy rows on PE 0; largest first deals 0 to PE 0, 3 to PE 1, then the light
        // rows 1, 2 to PE 2, 4 to PE 0 and 5 to PE 1. Position p = local * 3 + pe, so the order
        // is [0, 3, 1, 4, 5, 2], which is not its own inverse: reading it the wrong way round
        // puts outputs in the wrong places.
        double[] weights =
        [
            0.5, 0.5, 0.5, 0.5, 0.5,
            0, 0, 0.25, 0, 0,
            0, 0, 0, 0, -0.5,
            0.25, 0.25, 0.25, 0.25, 0.25,
            1, 0, 0, 0, 0,
            0, -0.25, 0, 0, 0,
        ];
        double[] rowSums = [2.5, 0.25, -0.5, 1.25, 1, -0.25];
        var config = new EieConfig { Pes = 3 }.Validate();
        var model = CompressedModel.Compress(config,
            [new LayerSource("fc", weights, 6, 5, null, 1.0, Relu: false)], balance: true);
        Assert.Equal([0, 3, 1, 4, 5, 2], model.OutputOrder!);

        var fp = new FixedPoint(config);
        int[] ones = Enumerable.Repeat(fp.QuantizeActivation(1.0), 5).ToArray();
        int[] rows = new GoldenModel(model.Image).RunChain(ones);
        Assert.Equal([2.5, 1.25, 0.25, 1, -0.25, -0.5], rows.Select(fp.ActivationToDouble));

        using var dir = new ScratchFolder();
        model.Write(dir.Path);
        var loaded = ModelFolder.Load(dir.Path);
        Assert.Equal(model.OutputOrder, loaded.Manifest.OutputOrder);
        int[] final = loaded.InOutputOrder(rows);
        for (int p = 0; p < rows.Length; p++) Assert.Equal(rows[p], final[model.OutputOrder![p]]);
        Assert.Equal(rowSums, final.Select(fp.ActivationToDouble));
    }
}
