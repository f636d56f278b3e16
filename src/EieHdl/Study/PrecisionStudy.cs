using EieHdl.Config;
using EieHdl.Mnist;

namespace EieHdl.Study;

/// <summary>Fig. 10: LeNet-300-100's test accuracy at one arithmetic precision.</summary>
/// <param name="Label">"float" or e.g. "fixed 16".</param>
/// <param name="Bits">Act and weight width; 0 for float.</param>
/// <param name="Overflows">Accumulator wraps over the test set (fixed point only).</param>
public sealed record PrecisionPoint(string Label, int Bits, int ActFracBits, int WeightFracBits, int AccWidth, double Accuracy, long Overflows);

/// <summary>
/// Fig. 10 on the MNIST flow: the trained, pruned and weight-shared LeNet-300-100 (the `mnist`
/// command's network, from its cache) run over the 10,000 test images in float and on the
/// golden model with acts and weights of each width. A width W scales EIE's 16-bit formats
/// (acts Q7.8, weights Q3.12, 32-bit accumulator): W/2 act fraction bits, 3W/4 weight
/// fraction bits, a 2W-bit accumulator (at most 62 bits), so 16 gives exactly the default.
/// </summary>
public static class PrecisionStudy
{
    /// <summary>[P] Fig. 10's precisions (32, 16, 8 bits) and one narrower.</summary>
    public static readonly int[] Widths = [32, 16, 8, 6];

    public static EieConfig ConfigFor(EieConfig baseConfig, int bits) => (baseConfig with
    {
        ActWidth = bits,
        ActFracBits = bits / 2,
        WeightWidth = bits,
        WeightFracBits = 3 * bits / 4,
        AccWidth = Math.Min(62, 2 * bits),
        ProductShift = 0,
    }).Validate($"precision {bits} bits");

    public static PrecisionPoint[] Run(EieConfig baseConfig, TrainedLeNet trained, MnistSet test, IReadOnlyList<int> widths)
    {
        var points = new List<PrecisionPoint> { new("float", 0, 0, 0, 0, trained.SharedAccuracy, 0) };
        foreach (int bits in widths)
        {
            var config = ConfigFor(baseConfig, bits);
            var model = MnistFlow.Compress(config, trained);
            var predictions = MnistFlow.GoldenPredictions(model, MnistFlow.QuantizeInputs(model.Config, test), out long overflows);
            int correct = 0;
            for (int n = 0; n < test.Count; n++)
                if (predictions[n] == test.Labels[n]) correct++;
            points.Add(new PrecisionPoint($"fixed {bits}", bits, config.ActFracBits, config.WeightFracBits, config.AccWidth,
                (double)correct / test.Count, overflows));
        }
        return points.ToArray();
    }
}
