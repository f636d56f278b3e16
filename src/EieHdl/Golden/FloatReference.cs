using EieHdl.Config;
using EieHdl.Encoding;

namespace EieHdl.Golden;

/// <summary>
/// The layer in double precision, dense, the way a framework would evaluate it: what the
/// fixed-point golden model approximates. Its distance to the golden outputs is the cost of
/// EIE's arithmetic; its distance between quantised and original weights is the cost of the
/// codebook.
/// </summary>
public static class FloatReference
{
    /// <summary>
    /// b_i = sum_j W_ij a_j (+ W_i,Inputs when hasBias, the bias column's act being 1.0), then
    /// ReLU if asked. weights is row-major outputs x (inputs.Length + bias column).
    /// </summary>
    public static double[] Layer(ReadOnlySpan<double> weights, int outputs, ReadOnlySpan<double> inputs, bool hasBias, bool relu)
    {
        int columns = inputs.Length + (hasBias ? 1 : 0);
        if (outputs < 0 || weights.Length != (long)outputs * columns)
            throw new ArgumentException($"weight matrix has {weights.Length} elements, expected {outputs} x {columns}");
        var result = new double[outputs];
        for (int i = 0; i < outputs; i++)
        {
            var row = weights.Slice(i * columns, columns);
            double sum = hasBias ? row[inputs.Length] : 0.0;
            for (int j = 0; j < inputs.Length; j++) sum += row[j] * inputs[j];
            result[i] = relu && sum < 0 ? 0.0 : sum;
        }
        return result;
    }

    /// <summary>Runs <see cref="Layer(ReadOnlySpan{double}, int, ReadOnlySpan{double}, bool, bool)"/> with the layer's own bias and ReLU settings.</summary>
    public static double[] Layer(EncodedLayer layer, ReadOnlySpan<double> weights, ReadOnlySpan<double> inputs)
    {
        if (inputs.Length != layer.Inputs)
            throw new ArgumentException($"layer {layer.Name}: expected {layer.Inputs} inputs, got {inputs.Length}");
        return Layer(weights, layer.Outputs, inputs, layer.HasBias, layer.Relu);
    }

    /// <summary>
    /// The quantised float weights of an encoded layer (row-major, bias column included):
    /// each weight is its codebook entry, either the float centroid or, with
    /// fixedPointCodebook, the fixed-point entry the hardware multiplies by.
    /// </summary>
    public static double[] QuantisedWeights(EieConfig config, EncodedLayer layer, bool fixedPointCodebook = false)
    {
        var indices = SpmatEncoder.Decode(config, layer.Pes, layer.Outputs, layer.Columns);
        var values = fixedPointCodebook
            ? layer.Codebook.Select(w => Math.ScaleB(w, -config.WeightFracBits)).ToArray()
            : layer.CodebookFloat;
        var weights = new double[indices.Length];
        for (long k = 0; k < indices.Length; k++) weights[k] = values[indices[k]];
        return weights;
    }
}
