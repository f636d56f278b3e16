using EieHdl.Arithmetic;
using EieHdl.Compression;
using EieHdl.CycleModel;
using EieHdl.Encoding;
using EieHdl.Golden;
using EieHdl.Simulation;
using EieHdl.Tests.Simulation;
using Xunit.Abstractions;

namespace EieHdl.Tests.Compression;

/// <summary>
/// Bias columns with entries left out because their shared value is 0, through the verilated
/// eie_top: bit for bit against the golden model, cycle for cycle against the cycle model.
/// </summary>
[Collection(SimCollection.Name)]
public class ZeroBiasCosimTests(ITestOutputHelper output)
{
    [Fact]
    public void PartlyAndWhollyEmptyBiasColumnsRunBitExact()
    {
        var config = TopCosimTests.SmallConfig(3);
        var random = new Random(21);
        int[] sizes = [24, 30, 12];
        double[] Weights(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        // Layer 0: a real bias on rows 0, 3, 6, ... (PE 0 only); layer 1: every bias far below
        // the weight step, so its bias column is empty in every PE.
        double Tiny(int r) => r % 2 == 0 ? 1e-5 : -1e-5;
        var bias0 = Enumerable.Range(0, sizes[1]).Select(r => r % 3 == 0 ? (r % 2 == 0 ? 1 : -1) * (0.4 + 0.02 * r) : Tiny(r)).ToArray();
        var bias1 = Enumerable.Range(0, sizes[2]).Select(Tiny).ToArray();
        var layers = new[]
        {
            LayerCompressor.Compress(config, "fc0", Weights(sizes[0] * sizes[1]), sizes[1], sizes[0], bias0, 0.4, relu: true).Layer,
            LayerCompressor.Compress(config, "fc1", Weights(sizes[1] * sizes[2]), sizes[2], sizes[1], bias1, 0.5, relu: false).Layer,
        };
        int BiasEntries(EncodedLayer l, PeSlice s) => s.Pointers[l.Inputs + 1] - s.Pointers[l.Inputs];
        Assert.Equal(sizes[1] / 3, layers[0].Pes.Sum(s => BiasEntries(layers[0], s)));
        Assert.All(layers[0].Pes.Skip(1), s => Assert.Equal(0, BiasEntries(layers[0], s)));
        Assert.All(layers[1].Pes, s => Assert.Equal(0, BiasEntries(layers[1], s)));

        var image = ModelImage.Build(config, layers);
        var fp = new FixedPoint(config);
        var input = Enumerable.Range(0, sizes[0]).Select(j => j % 4 == 1 ? 0 : fp.QuantizeActivation(random.NextDouble() * 2)).ToArray();
        int[] expected = new GoldenModel(image).RunChain(input);
        var model = new EieCycleModel(image).Run(input);

        var library = EieTopSim.Build(config);
        using var sim = new EieTopSim(config, library);
        var run = sim.Run(image, input);
        output.WriteLine($"RTL {run.Cycles} cycles, cycle model {model.Cycles}");
        Assert.False(run.Error);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i] == run.Outputs[i], $"output {i}: RTL {run.Outputs[i]}, golden {expected[i]}");
        Assert.Equal(model.Cycles, run.Cycles);
        Assert.Equal(expected, model.Outputs);
    }
}
