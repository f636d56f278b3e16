using EieHdl.Arithmetic;

namespace EieHdl.Golden;

/// <summary>Distance of the golden fixed-point outputs from a float reference, in the act's real units.</summary>
public sealed record ErrorReport(int Count, double MaxAbsError, double MeanAbsError, double Rms, double MaxAbsReference)
{
    /// <summary>Compares golden outputs (fixed point, converted with ActFracBits) with reference outputs.</summary>
    public static ErrorReport Compare(FixedPoint fp, ReadOnlySpan<int> golden, ReadOnlySpan<double> reference)
    {
        if (golden.Length != reference.Length)
            throw new ArgumentException($"golden has {golden.Length} outputs, reference has {reference.Length}");
        double max = 0, sumAbs = 0, sumSquares = 0, maxRef = 0;
        for (int i = 0; i < golden.Length; i++)
        {
            double error = Math.Abs(fp.ActivationToDouble(golden[i]) - reference[i]);
            max = Math.Max(max, error);
            sumAbs += error;
            sumSquares += error * error;
            maxRef = Math.Max(maxRef, Math.Abs(reference[i]));
        }
        int n = golden.Length;
        return new ErrorReport(n, max, n == 0 ? 0 : sumAbs / n, n == 0 ? 0 : Math.Sqrt(sumSquares / n), maxRef);
    }
}

/// <summary>
/// Golden outputs against the float layer with the quantised (codebook) weights, and, when
/// the original unquantised weights are known, against those too.
/// </summary>
public sealed record LayerErrorReport(ErrorReport VsQuantised, ErrorReport? VsOriginal)
{
    /// <param name="quantisedWeights">Row-major outputs x columns, bias column included when hasBias.</param>
    /// <param name="originalWeights">Same shape, before codebook quantisation; empty when unknown.</param>
    /// <param name="inputs">Float inputs (bias excluded) of which the golden inputs are the quantisation.</param>
    public static LayerErrorReport Build(
        FixedPoint fp, ReadOnlySpan<int> golden, ReadOnlySpan<double> inputs,
        ReadOnlySpan<double> quantisedWeights, ReadOnlySpan<double> originalWeights, bool hasBias, bool relu)
    {
        int outputs = golden.Length;
        var vsQuantised = ErrorReport.Compare(fp, golden,
            FloatReference.Layer(quantisedWeights, outputs, inputs, hasBias, relu));
        var vsOriginal = originalWeights.IsEmpty
            ? null
            : ErrorReport.Compare(fp, golden, FloatReference.Layer(originalWeights, outputs, inputs, hasBias, relu));
        return new LayerErrorReport(vsQuantised, vsOriginal);
    }
}
