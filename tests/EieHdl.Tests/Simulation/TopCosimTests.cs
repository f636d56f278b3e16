using EieHdl.Arithmetic;
using EieHdl.Compression;
using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Golden;
using EieHdl.Hardware;
using EieHdl.Simulation;
using Xunit.Abstractions;

namespace EieHdl.Tests.Simulation;

/// <summary>The whole generated accelerator, verilated, against the golden model: every output bit.</summary>
[Collection(nameof(SimCollection))]
public class TopCosimTests(ITestOutputHelper output)
{
    internal static EieConfig SmallConfig(int pes) => new EieConfig
    {
        Pes = pes, PtrDepth = 256, SpmatDepth = 512, ActSramDepth = 128, ActRegEntries = 32, MaxLayers = 3,
    }.Validate();

    private static CompressedLayer RandomLayer(EieConfig config, Random random, string name, int inputs, int outputs, double density, bool relu)
    {
        var w = Enumerable.Range(0, inputs * outputs).Select(_ => (random.NextDouble() - 0.5) * 2).ToArray();
        var b = Enumerable.Range(0, outputs).Select(_ => (random.NextDouble() - 0.5) * 0.5).ToArray();
        return LayerCompressor.Compress(config, name, w, outputs, inputs, b, density, relu);
    }

    [Theory]
    [InlineData(1, 11)]
    [InlineData(3, 12)]
    [InlineData(4, 13)]
    public void AChainOfThreeLayersIsBitExact(int pes, int seed)
    {
        var config = SmallConfig(pes);
        var random = new Random(seed);
        int[] sizes = [37, 29, 23, 11];
        var layers = Enumerable.Range(0, 3)
            .Select(l => RandomLayer(config, random, $"fc{l}", sizes[l], sizes[l + 1], 0.3 + 0.2 * l, relu: l < 2).Layer)
            .ToArray();
        var image = ModelImage.Build(config, layers);
        var fp = new FixedPoint(config);
        var input = Enumerable.Range(0, sizes[0]).Select(j => j % 3 == 1 ? 0 : fp.QuantizeActivation(random.NextDouble() * 3)).ToArray();
        int[] expected = new GoldenModel(image).RunChain(input);

        var library = EieTopSim.Build(config);
        using var sim = new EieTopSim(config, library);
        var run = sim.Run(image, input);
        output.WriteLine($"{pes} PEs: {run.Cycles} cycles, {sim.Ticks} ticks with host transfers");
        Assert.False(run.Error);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i] == run.Outputs[i], $"output {i} (PE {i % pes}): RTL {run.Outputs[i]}, golden {expected[i]}");
        Assert.Contains(expected, v => v < 0);
        Assert.Equal(new global::EieHdl.CycleModel.EieCycleModel(image).Run(input).Cycles, run.Cycles);
    }
}
