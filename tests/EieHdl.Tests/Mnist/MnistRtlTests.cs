using EieHdl.Config;
using EieHdl.Golden;
using EieHdl.Hardware;
using EieHdl.Mnist;
using EieHdl.Simulation;
using Xunit.Abstractions;

namespace EieHdl.Tests.Mnist;

/// <summary>The trained, Deep-Compressed LeNet-300-100 through the verilated RTL: every output bit must be the golden model's.</summary>
[Collection(MnistCollection.Name)]
public class MnistRtlTests(MnistFixture data, ITestOutputHelper output)
{
    /// <summary>The first 200 test images, a fixed subset; the whole set runs with `eiehdl mnist --rtl`.</summary>
    private const int Images = 200;

    [Fact]
    public void RtlOutputsEqualTheGoldenModelsBitForBitOnAFixedSubset()
    {
        var config = MnistFlow.ConfigFor(new EieConfig { Pes = 8 }, [784, 300, 100, 10]);
        var model = MnistFlow.Compress(config, data.Quick);
        var subset = data.Test.Take(Images);
        var inputs = MnistFlow.QuantizeInputs(model.Config, subset);
        int[] golden = MnistFlow.GoldenPredictions(model, inputs, out _);
        var goldenModel = new GoldenModel(model.Image);

        var library = EieTopSim.Build(model.Config);
        using var sim = new EieTopSim(model.Config, library);
        sim.LoadModel(model.Image);
        int correct = 0;
        long cycles = 0;
        for (int k = 0; k < Images; k++)
        {
            var run = sim.RunInput(model.Image, inputs[k]);
            Assert.False(run.Error);
            var expected = goldenModel.RunChain(inputs[k]);
            Assert.Equal(expected.Length, run.Outputs.Length);
            int first = GoldenModel.FirstMismatch(expected, run.Outputs);
            Assert.True(first < 0, $"image {k}: output {first} is {(first < 0 ? 0 : run.Outputs[first])} from the RTL, {(first < 0 ? 0 : expected[first])} from the golden model");
            int predicted = Mlp.ArgMax(run.Outputs);
            Assert.True(predicted == golden[k], $"image {k}: RTL predicts {predicted}, golden {golden[k]}");
            if (predicted == subset.Labels[k]) correct++;
            cycles += run.Cycles;
        }
        output.WriteLine($"{Images} images through the RTL at 8 PEs: {correct} correct, {cycles / Images} cycles per image");
        Assert.True(correct > Images * 0.75, $"{correct} of {Images} correct");   // the quick network: one epoch on 5,000 images
    }
}
