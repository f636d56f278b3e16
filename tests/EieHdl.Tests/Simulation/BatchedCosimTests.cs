using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Golden;
using EieHdl.Simulation;
using Xunit.Abstractions;

namespace EieHdl.Tests.Simulation;

/// <summary>
/// Output batching through the verilated accelerator: layers with more rows per PE than
/// accumulators, alone and in the middle of a chain, against the golden model (every bit),
/// the unbatched golden model, and the cycle model (every cycle).
/// </summary>
[Collection(nameof(SimCollection))]
public class BatchedCosimTests(ITestOutputHelper output)
{
    /// <summary>4 PEs with 3 accumulators each: a layer of more than 12 outputs runs in batches.</summary>
    private static readonly EieConfig Config = new EieConfig
    {
        Pes = 4, PtrDepth = 512, SpmatDepth = 512, ActSramDepth = 64, ActRegEntries = 3, MaxLayers = 8,
    }.Validate();

    public static TheoryData<int[], int[]> Chains => new()
    {
        // 29 outputs: 8 rows per PE, 3 batches of 3, 3 and 2 rows.
        { [37, 29], [3] },
        // 11 -> 29 (3 batches) -> 13 (2 batches of 2): the batched layers in the middle and last.
        { [37, 11, 29, 13], [1, 3, 2] },
    };

    [Theory]
    [MemberData(nameof(Chains))]
    public void BatchedLayersAreBitAndCycleExact(int[] sizes, int[] batches)
    {
        var random = new Random(sizes.Length * 31 + sizes[^1]);
        var layers = RandomModels.Layers(Config, random, sizes, _ => 0.5, l => l < sizes.Length - 2);
        var image = ModelImage.Build(Config, layers);
        Assert.Equal(batches, image.Layers.Select(l => l.Batches));
        var input = RandomModels.Input(Config, random, sizes[0], 0, 3);
        int[] expected = new GoldenModel(image).RunChain(input);
        var unbatched = ModelImage.Build(Config with { ActRegEntries = 16 }, layers);
        Assert.Equal(new GoldenModel(unbatched).RunChain(input), expected);

        var library = EieTopSim.Build(Config);
        using var sim = new EieTopSim(Config, library);
        var run = sim.Run(image, input);
        var model = new global::EieHdl.CycleModel.EieCycleModel(image).Run(input);
        output.WriteLine($"{image.Rows.Count} table rows: RTL {run.Cycles} cycles, cycle model {model.Cycles}");
        Assert.False(run.Error);
        Assert.Equal(expected.Length, run.Outputs.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i] == run.Outputs[i], $"output {i} (PE {i % Config.Pes}): RTL {run.Outputs[i]}, golden {expected[i]}");
        Assert.Contains(expected, v => v < 0);
        Assert.Equal(model.Cycles, run.Cycles);
        Assert.Equal(expected, model.Outputs);
        Assert.Equal(layers.Length, model.Layers.Count);
    }
}
