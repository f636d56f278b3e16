using EieHdl.Config;
using EieHdl.Workloads;

namespace EieHdl.Tests.Workloads;

public class BenchmarkChainTests
{
    [Fact]
    public void LayersThatDoNotChainAreRefusedWithBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            BenchmarkChain.Build(new EieConfig { Pes = 64 }, [BenchmarkLayers.Alex8, BenchmarkLayers.Alex7], seed: 1));
        Assert.Contains("Alex-8 has 1000 outputs", e.Message);
        Assert.Contains("got Alex-7 with 4096", e.Message);
    }

    [Fact]
    public void TheLastLayerHasNoReluAndTheInputIsTheFirstLayersInput()
    {
        var config = new EieConfig { Pes = 64, PtrDepth = 32768 }.Validate();
        var (model, input) = BenchmarkChain.Build(config, [BenchmarkLayers.NtWe], seed: 3);
        Assert.Single(model.Layers);
        Assert.False(model.Image.Layers[0].Relu);
        Assert.Equal(BenchmarkLayers.NtWe.Inputs, input.Length);
        Assert.Equal(SyntheticLayer.Generate(BenchmarkLayers.NtWe, 3).QuantisedInputs(new global::EieHdl.Arithmetic.FixedPoint(config)), input);
    }
}
