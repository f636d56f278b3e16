using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.Golden;
using EieHdl.Workloads;

namespace EieHdl.Tests.Workloads;

public class WorkloadTests
{
    [Fact]
    public void NineLayersWithThePapersNumbers()
    {
        Assert.Equal(["alex6", "alex7", "alex8", "vgg6", "vgg7", "vgg8", "nt-we", "nt-wd", "nt-lstm"], BenchmarkLayers.Keys);
        var alex7 = BenchmarkLayers.Get("alex7");
        Assert.Equal((4096, 4096, 0.09, 0.353, 12.2, 11.7), (alex7.Inputs, alex7.Outputs, alex7.WeightDensity, alex7.ActDensity, alex7.PaperActualUs, alex7.PaperTheoreticalUs));
        Assert.Equal(12.2 * 800, alex7.PaperActualCycles, 9);
        Assert.Equal((25088, 4096), (BenchmarkLayers.Vgg6.Inputs, BenchmarkLayers.Vgg6.Outputs));
        Assert.Equal((600, 8791, 13.9, 13.0), (BenchmarkLayers.NtWd.Inputs, BenchmarkLayers.NtWd.Outputs, BenchmarkLayers.NtWd.PaperActualUs, BenchmarkLayers.NtWd.PaperTheoreticalUs));
        Assert.Equal(1446, alex7.ActiveInputs);
    }

    [Theory]
    [InlineData("ALEX7", "Alex-7")]
    [InlineData("Nt-Lstm", "NT-LSTM")]
    [InlineData(" vgg6 ", "VGG-6")]
    public void LookupIgnoresCase(string key, string name) => Assert.Equal(name, BenchmarkLayers.Get(key).Name);

    [Fact]
    public void UnknownNameListsTheValidOnes()
    {
        var error = Assert.Throws<EieInputException>(() => BenchmarkLayers.Get("alex9"));
        Assert.Contains("alex9", error.Message);
        Assert.Contains("alex6, alex7, alex8, vgg6, vgg7, vgg8, nt-we, nt-wd, nt-lstm", error.Message);
    }

    [Fact]
    public void SameSeedSameLayerOtherSeedOtherLayer()
    {
        var a = SyntheticLayer.Generate(BenchmarkLayers.NtLstm, 42);
        var b = SyntheticLayer.Generate(BenchmarkLayers.NtLstm, 42);
        var c = SyntheticLayer.Generate(BenchmarkLayers.NtLstm, 43);
        Assert.Equal(a.Weights, b.Weights);
        Assert.Equal(a.Bias, b.Bias);
        Assert.Equal(a.Inputs, b.Inputs);
        Assert.NotEqual(a.Weights, c.Weights);
        Assert.NotEqual(a.Bias, c.Bias);
        Assert.NotEqual(a.Inputs, c.Inputs);
    }

    [Fact]
    public void GenerationIsPinnedToTheseBits()
    {
        // Determinism across runtimes and machines: these values must never change.
        var random = new DeterministicRandom(1);
        Assert.Equal(0xB3F2AF6D0FC710C5UL, random.NextULong());
        var layer = SyntheticLayer.Generate(BenchmarkLayers.NtLstm, 7);
        ulong hash = 14695981039346656037UL;
        foreach (double w in layer.Weights.Concat(layer.Bias).Concat(layer.Inputs))
            hash = (hash ^ (ulong)BitConverter.DoubleToInt64Bits(w)) * 1099511628211UL;
        Assert.Equal(11977230832816707905UL, hash);
    }

    [Fact]
    public void PortableMathAgreesWithTheRuntime()
    {
        var random = new DeterministicRandom(3);
        for (int k = 0; k < 10000; k++)
        {
            double x = Math.ScaleB(random.NextDouble() + 0.5, random.NextInt(200) - 100);
            Assert.Equal(Math.Log(x), PortableMath.Log(x), Math.Abs(Math.Log(x)) * 1e-14 + 1e-15);
            double y = (random.NextDouble() - 0.5) * 80;
            Assert.Equal(1.0, PortableMath.Exp(y) / Math.Exp(y), 1e-14);
            Assert.Equal(Math.Tanh(y / 10), PortableMath.Tanh(y / 10), 1e-14);
        }
        Assert.Equal(0.0, PortableMath.Log(1.0));
        Assert.Equal(Math.Log(double.Epsilon), PortableMath.Log(double.Epsilon), 1e-12);
    }

    [Theory]
    [InlineData(16, 8)]
    [InlineData(8, 4)]
    [InlineData(8, 0)]
    public void QuantisedInputsHaveExactlyTheRequiredNonZeros(int actWidth, int actFracBits)
    {
        var fp = new FixedPoint(new EieConfig { ActWidth = actWidth, ActFracBits = actFracBits }.Validate());
        foreach (var spec in new[] { BenchmarkLayers.Alex8, BenchmarkLayers.NtWe })
        {
            var layer = SyntheticLayer.Generate(spec, 5);
            Assert.Equal(spec.ActiveInputs, layer.Inputs.Count(a => a != 0));
            Assert.Equal(spec.ActiveInputs, layer.QuantisedInputs(fp).Count(a => a != 0));
        }
    }

    [Fact]
    public void AllNineHaveTheirShapesAndDensitiesAndFitTheDefaultArithmetic()
    {
        var fp = new FixedPoint(new EieConfig());
        foreach (var spec in BenchmarkLayers.All)
        {
            var layer = SyntheticLayer.Generate(spec, 1);
            Assert.Equal((long)spec.Inputs * spec.Outputs, layer.Weights.LongLength);
            Assert.Equal(spec.Outputs, layer.Bias.Length);
            Assert.Equal(spec.Inputs, layer.Inputs.Length);
            Assert.Equal(spec.KeptWeights, layer.Weights.LongCount(w => w != 0));
            Assert.Equal(spec.ActiveInputs, layer.Inputs.Count(a => a != 0));
            if (spec.ActDensity < 1) Assert.All(layer.Inputs, a => Assert.True(a >= 0));
            else Assert.All(layer.Inputs, a => Assert.InRange(a, -1.0, 1.0));
            Assert.All(layer.Weights, w => Assert.True(fp.WeightFits(w)));

            // Outputs stay far from Q7.8's 128 and so from the accumulator's 2048; wrapping depends only on the final sum.
            var outputs = FloatReference.Layer(layer.Weights, spec.Outputs, layer.Inputs, false, false);
            Assert.All(outputs.Select((o, i) => Math.Abs(o + layer.Bias[i])), o => Assert.True(o < 32, $"{spec.Name}: output {o}"));
        }
    }

    [Fact]
    public void PrunedRowsAreUnevenLikeTrainedLayers()
    {
        var spec = BenchmarkLayers.NtWe;
        var layer = SyntheticLayer.Generate(spec, 2);
        var rowCounts = Enumerable.Range(0, spec.Outputs)
            .Select(i => (double)layer.Weights.AsSpan(i * spec.Inputs, spec.Inputs).ToArray().Count(w => w != 0))
            .ToArray();
        double mean = rowCounts.Average();
        double cv = Math.Sqrt(rowCounts.Average(c => (c - mean) * (c - mean))) / mean;
        // Uniform pruning would give a binomial spread, cv = sqrt(0.9 / 409.6) = 0.05.
        Assert.True(cv > 0.15, $"row density coefficient of variation {cv}");
    }

    [Fact]
    public void WeightsWithBiasAppendTheBiasColumn()
    {
        var layer = SyntheticLayer.Generate(BenchmarkLayers.NtWe, 3);
        var withBias = layer.WeightsWithBias();
        int columns = layer.Spec.Inputs + 1;
        Assert.Equal((long)layer.Spec.Outputs * columns, withBias.LongLength);
        Assert.Equal(layer.Bias[17], withBias[17 * columns + layer.Spec.Inputs]);
        Assert.Equal(layer.Weights[17 * layer.Spec.Inputs + 5], withBias[17 * columns + 5]);
    }
}
