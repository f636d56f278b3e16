using System.Globalization;
using System.Runtime.InteropServices;
using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.Encoding;

namespace EieHdl.Compression;

/// <summary>
/// A layer after Deep Compression's pruning and weight sharing, in EIE's storage format.
/// </summary>
/// <param name="Layer">The encoded layer (codebook and per-PE spmat slices).</param>
/// <param name="QuantizedWeights">Row-major Outputs x Columns: the float centroid each kept
/// weight (and bias value) shares, 0 elsewhere; the float reference of what the layer computes.</param>
/// <param name="KeptWeights">Weights kept by pruning, bias values not counted.</param>
/// <param name="Density">KeptWeights / (Outputs x Inputs).</param>
/// <param name="KMeansIterations">Lloyd iterations the codebook took.</param>
public sealed record CompressedLayer(
    EncodedLayer Layer, double[] QuantizedWeights, long KeptWeights, double Density, int KMeansIterations)
{
    public int Columns => Layer.Columns;
}

/// <summary>
/// Deep Compression for one fully-connected layer: prune by magnitude, share weights through
/// a k-means codebook, then encode for EIE. The bias is the last column (activation 1.0); it
/// is never pruned, so every non-zero bias value gets an entry and joins the codebook fit.
/// </summary>
public static class LayerCompressor
{
    public static CompressedLayer Compress(
        EieConfig config, string name, double[] weights, int outputs, int inputs, double[]? bias,
        double density, bool relu, int maxIterations = KMeansCodebook.DefaultMaxIterations)
    {
        config.Validate();
        CheckShape(name, "outputs", outputs);
        CheckShape(name, "inputs", inputs);
        if (weights.LongLength != (long)outputs * inputs)
            throw new EieInputException(
                $"layer {name}: weights must have outputs x inputs = {outputs} x {inputs} = {(long)outputs * inputs} values, got {weights.LongLength}");
        if (bias is not null && bias.Length != outputs)
            throw new EieInputException($"layer {name}: bias must have outputs = {outputs} values, got {bias.Length}");

        bool[] keep = MagnitudePruner.Prune(name, weights, inputs, density);
        if (bias is not null) MagnitudePruner.CheckFinite(name, "bias", bias, 1);

        var surviving = new List<double>();
        long kept = 0;
        for (int i = 0; i < weights.Length; i++)
            if (keep[i]) { surviving.Add(weights[i]); kept++; }
        if (bias is not null)
            foreach (double b in bias)
                if (b != 0) surviving.Add(b);

        var codebook = KMeansCodebook.Fit(CollectionsMarshal.AsSpan(surviving),
            config.CodebookSize, maxIterations);
        int[] codebookFixed = codebook.ToFixed(name, new FixedPoint(config));

        int columns = inputs + (bias is null ? 0 : 1);
        var indices = new byte[(long)outputs * columns];
        var quantized = new double[indices.LongLength];
        for (int r = 0; r < outputs; r++)
        {
            for (int c = 0; c < inputs; c++)
            {
                int i = r * inputs + c;
                if (keep[i]) Share(codebook, weights[i], indices, quantized, (long)r * columns + c);
            }
            if (bias is not null && bias[r] != 0) Share(codebook, bias[r], indices, quantized, (long)r * columns + inputs);
        }

        var layer = new EncodedLayer
        {
            Name = name, Inputs = inputs, Outputs = outputs, HasBias = bias is not null, Relu = relu,
            Codebook = codebookFixed, CodebookFloat = codebook.Centroids,
            Pes = SpmatEncoder.Encode(config, indices, outputs, columns),
        };
        return new CompressedLayer(layer, quantized, kept, (double)kept / ((long)outputs * inputs), codebook.Iterations);
    }

    /// <summary>
    /// A layer from a ready index matrix (Outputs x Columns, 0 = no weight) and a float
    /// codebook whose entry 0 is 0.0; for layers that were compressed elsewhere and for tests
    /// that need entries in exact places.
    /// </summary>
    public static CompressedLayer FromIndices(
        EieConfig config, string name, byte[] indices, int outputs, int inputs, bool hasBias,
        double[] codebookFloat, bool relu)
    {
        config.Validate();
        CheckShape(name, "outputs", outputs);
        CheckShape(name, "inputs", inputs);
        int columns = inputs + (hasBias ? 1 : 0);
        if (indices.LongLength != (long)outputs * columns)
            throw new EieInputException(
                $"layer {name}: index matrix must have outputs x columns = {outputs} x {columns} = {(long)outputs * columns} values, got {indices.LongLength}");
        if (codebookFloat.Length != config.CodebookSize)
            throw new EieInputException(
                $"layer {name}: codebook must have CodebookSize = {config.CodebookSize} values, got {codebookFloat.Length}");
        if (codebookFloat[0] != 0)
            throw new EieInputException(
                $"layer {name}: codebook entry 0 must be 0, got {codebookFloat[0].ToString(CultureInfo.InvariantCulture)}");
        MagnitudePruner.CheckFinite(name, "codebook value", codebookFloat, codebookFloat.Length);

        int[] codebookFixed = KMeansCodebook.Quantize(name, new FixedPoint(config), codebookFloat);

        var quantized = new double[indices.LongLength];
        long kept = 0;
        for (long i = 0; i < indices.LongLength; i++)
        {
            int v = indices[i];
            if (v >= config.CodebookSize)
                throw new EieInputException(
                    $"layer {name}: codebook index at row {i / columns}, column {i % columns} must be below CodebookSize {config.CodebookSize}, got {v}");
            quantized[i] = codebookFloat[v];
            if (v != 0 && i % columns < inputs) kept++;
        }

        var layer = new EncodedLayer
        {
            Name = name, Inputs = inputs, Outputs = outputs, HasBias = hasBias, Relu = relu,
            Codebook = codebookFixed, CodebookFloat = (double[])codebookFloat.Clone(),
            Pes = SpmatEncoder.Encode(config, indices, outputs, columns),
        };
        return new CompressedLayer(layer, quantized, kept, (double)kept / ((long)outputs * inputs), 0);
    }

    private static void Share(KMeansCodebook codebook, double w, byte[] indices, double[] quantized, long at)
    {
        int v = codebook.IndexOf(w);
        indices[at] = (byte)v;
        quantized[at] = codebook.Centroids[v];
    }

    private static void CheckShape(string name, string what, int value)
    {
        if (value < 1) throw new EieInputException($"layer {name}: {what} must be at least 1, got {value}");
    }
}
