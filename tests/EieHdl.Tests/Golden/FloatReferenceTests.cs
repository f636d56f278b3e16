using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Golden;
using EieHdl.Workloads;

namespace EieHdl.Tests.Golden;

public class FloatReferenceTests
{
    [Fact]
    public void DenseLayerWithBiasAndRelu()
    {
        // 2 outputs x (2 inputs + bias).
        double[] weights = [1.0, 2.0, 0.5, -1.0, 0.25, -3.0];
        double[] inputs = [2.0, -4.0];
        Assert.Equal(new[] { -5.5, -6.0 }, FloatReference.Layer(weights, 2, inputs, true, false));
        Assert.Equal(new[] { 0.0, 0.0 }, FloatReference.Layer(weights, 2, inputs, true, true));
        Assert.Equal(new[] { -6.0, 5.0 }, FloatReference.Layer(weights.AsSpan(0, 4), 2, inputs, false, false));
        Assert.Throws<ArgumentException>(() => FloatReference.Layer(weights, 3, inputs, true, false));
    }

    [Fact]
    public void QuantisedWeightsAreTheCodebookEntriesOfTheIndices()
    {
        var config = new EieConfig { Pes = 3 };
        var layer = GoldenCases.RandomLayer(config, new DeterministicRandom(9), 7, 11, true, true, 0.4);
        var encoded = layer.Encode(config, "fc") with { CodebookFloat = Enumerable.Range(0, 16).Select(v => v * 0.125).ToArray() };
        var centroids = FloatReference.QuantisedWeights(config, encoded);
        var fixedPoint = FloatReference.QuantisedWeights(config, encoded, fixedPointCodebook: true);
        for (int k = 0; k < layer.Indices.Length; k++)
        {
            Assert.Equal(layer.Indices[k] * 0.125, centroids[k]);
            Assert.Equal(Math.ScaleB(layer.Codebook[layer.Indices[k]], -config.WeightFracBits), fixedPoint[k]);
        }
    }

    [Fact]
    public void ErrorReportSummarisesTheDifferences()
    {
        var fp = new FixedPoint(new EieConfig());
        int[] golden = [256, -128, 0, 512];
        double[] reference = [1.5, -0.5, 0.25, -2.0];
        var report = ErrorReport.Compare(fp, golden, reference);
        Assert.Equal(4, report.Count);
        Assert.Equal(4.0, report.MaxAbsError);
        Assert.Equal((0.5 + 0 + 0.25 + 4.0) / 4, report.MeanAbsError, 12);
        Assert.Equal(Math.Sqrt((0.25 + 0.0625 + 16) / 4), report.Rms, 12);
        Assert.Equal(2.0, report.MaxAbsReference);
    }

    [Fact]
    public void GoldenIsWithinHalfAnLsbOfTheFloatLayerWhenNothingSaturates()
    {
        // ProductShift 0 makes every sum exact, so the only error is the final rounding.
        var config = new EieConfig { Pes = 4 };
        var fp = new FixedPoint(config);
        var random = new DeterministicRandom(11);
        var layer = GoldenCases.RandomLayer(config, random, 50, 40, true, false, 0.3) with
        {
            Codebook = [0, .. Enumerable.Range(1, 15).Select(v => (v - 8) * 97)],
        };
        var encoded = layer.Encode(config, "fc");
        var golden = new GoldenModel(ModelImage.Build(config, [encoded]));
        var acts = Enumerable.Range(0, 50).Select(_ => random.NextInt(512) - 256).ToArray();
        var outputs = golden.RunLayer(0, acts);

        var floatInputs = acts.Select(fp.ActivationToDouble).ToArray();
        var quantised = FloatReference.QuantisedWeights(config, encoded, fixedPointCodebook: true);
        var original = quantised.Select(w => w * 1.01).ToArray();
        var report = LayerErrorReport.Build(fp, outputs, floatInputs, quantised, original, true, false);
        Assert.Equal(40, report.VsQuantised.Count);
        Assert.InRange(report.VsQuantised.MaxAbsError, 0, Math.ScaleB(1.0, -config.ActFracBits - 1));
        Assert.True(report.VsQuantised.MaxAbsReference > 0);
        Assert.NotNull(report.VsOriginal);
        Assert.True(report.VsOriginal.MaxAbsError > report.VsQuantised.MaxAbsError);
        Assert.Null(LayerErrorReport.Build(fp, outputs, floatInputs, quantised, [], true, false).VsOriginal);
    }
}
