using EieHdl.Config;
using EieHdl.Mnist;
using EieHdl.Study;
using EieHdl.Tests.Mnist;

namespace EieHdl.Tests.Study;

/// <summary>Fig. 10's precision rule and its accuracies on the quick MNIST network.</summary>
[Collection(MnistCollection.Name)]
public class PrecisionStudyTests(MnistFixture mnist)
{
    [Fact]
    public void SixteenBitsIsTheDefaultFormatAndOtherWidthsScaleIt()
    {
        var d = new EieConfig();
        var c16 = PrecisionStudy.ConfigFor(d, 16);
        Assert.Equal((d.ActWidth, d.ActFracBits, d.WeightWidth, d.WeightFracBits, d.AccWidth), (c16.ActWidth, c16.ActFracBits, c16.WeightWidth, c16.WeightFracBits, c16.AccWidth));
        var c8 = PrecisionStudy.ConfigFor(d, 8);
        Assert.Equal((8, 4, 8, 6, 16), (c8.ActWidth, c8.ActFracBits, c8.WeightWidth, c8.WeightFracBits, c8.AccWidth));
        var c32 = PrecisionStudy.ConfigFor(d, 32);
        Assert.Equal((32, 16, 32, 24, 62), (c32.ActWidth, c32.ActFracBits, c32.WeightWidth, c32.WeightFracBits, c32.AccWidth));
    }

    [Fact]
    public void SixteenBitAccuracyIsTheMnistFlowsGoldenAccuracy()
    {
        var points = PrecisionStudy.Run(new EieConfig(), mnist.Quick, mnist.Test, [16, 8]);
        Assert.Equal(["float", "fixed 16", "fixed 8"], points.Select(p => p.Label));
        Assert.Equal(mnist.Quick.SharedAccuracy, points[0].Accuracy);
        var model = MnistFlow.Compress(new EieConfig(), mnist.Quick);
        var predictions = MnistFlow.GoldenPredictions(model, MnistFlow.QuantizeInputs(model.Config, mnist.Test), out _);
        double expected = (double)predictions.Where((p, n) => p == mnist.Test.Labels[n]).Count() / mnist.Test.Count;
        Assert.Equal(expected, points[1].Accuracy);
        Assert.InRange(points[2].Accuracy, 0.0, 1.0);
    }
}
