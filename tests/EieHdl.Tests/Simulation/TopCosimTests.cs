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

    [Theory]
    [InlineData(1, 11)]
    [InlineData(3, 12)]
    [InlineData(4, 13)]
    public void AChainOfThreeLayersIsBitExact(int pes, int seed)
    {
        var config = SmallConfig(pes);
        var random = new Random(seed);
        int[] sizes = [37, 29, 23, 11];
        var image = ModelImage.Build(config, RandomModels.Layers(config, random, sizes, l => 0.3 + 0.2 * l, l => l < 2));
        var input = RandomModels.Input(config, random, sizes[0], 0, 3);
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
