using EieHdl.Config;
using EieHdl.Workloads;

namespace EieHdl.Tests.Workloads;

public class BenchmarkChainTests
{
    [Fact]
    public void LayersThatDoNotChainAreRefusedWithBothShapes()
    {
        var e = Assert.Throws<EieInputException>(() =>
            BenchmarkChain.Build(new EieConfig { Pes = 64 }, [BenchmarkLayers.Alex8, BenchmarkLayers.Alex7], seed: 1));
        Assert.Equal("--layers: Alex-7 must take the 1000 outputs of Alex-8 as inputs in a chain, got 4096", e.Message);
    }

    [Fact]
    public void TheLastLayerHasNoReluAndTheInputIsTheFirstLayersInput()
    {
        var config = new EieConfig { Pes = 64, PtrDepth = 32768 }.Validate();
        var (model, input, order) = BenchmarkChain.Build(config, [BenchmarkLayers.NtWe], seed: 3);
        Assert.Single(model.Layers);
        Assert.False(model.Image.Layers[0].Relu);
        Assert.Equal(BenchmarkLayers.NtWe.Inputs, input.Length);
        Assert.Equal(SyntheticLayer.Generate(BenchmarkLayers.NtWe, 3).QuantisedInputs(new global::EieHdl.Arithmetic.FixedPoint(config)), input);
        Assert.Equal(Enumerable.Range(0, BenchmarkLayers.NtWe.Outputs), order);
    }

    [Fact]
    public void ABalancedChainComputesTheSameFunctionWithItsOutputsReordered()
    {
        var config = new EieConfig { Pes = 16, PtrDepth = 32768, ActRegEntries = 256 }.Validate();
        BenchmarkLayer[] layers = [BenchmarkLayers.NtWd with { Outputs = 4096 }, BenchmarkLayers.Vgg8];
        var plain = BenchmarkChain.Build(config, layers, seed: 2);
        var balanced = BenchmarkChain.Build(config, layers, seed: 2, balance: true);
        Assert.Equal(plain.Input, balanced.Input);
        var y = new global::EieHdl.Golden.GoldenModel(plain.Model.Image).RunChain(plain.Input);
        var yb = new global::EieHdl.Golden.GoldenModel(balanced.Model.Image).RunChain(balanced.Input);
        Assert.NotEqual(Enumerable.Range(0, y.Length), balanced.OutputOrder);
        // The hidden layer's outputs were reordered too; its next layer's columns followed, so
        // each final output is the same number, at its new place.
        for (int p = 0; p < yb.Length; p++)
            Assert.True(yb[p] == y[balanced.OutputOrder[p]], $"output {p} (row {balanced.OutputOrder[p]}): balanced {yb[p]}, plain {y[balanced.OutputOrder[p]]}");
        var work = (global::EieHdl.Encoding.ModelImage image) => global::EieHdl.Golden.WorkStatistics.ForLayer(image, 1, new global::EieHdl.Golden.GoldenModel(image).RunLayer(0, plain.Input)).IdealCycles;
        Assert.True(work(balanced.Model.Image) < work(plain.Model.Image), "balancing did not lower the busiest PE's entries of the second layer");
    }
}
