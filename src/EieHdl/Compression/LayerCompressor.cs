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
/// <param name="QuantizedWeights">Row-major Outputs x Columns: the float centroid each stored
/// weight (and bias value) shares, 0 elsewhere; the float reference of what the layer computes.</param>
/// <param name="KeptWeights">Weights stored (kept by pruning, shared value not 0), bias values not counted.</param>
/// <param name="Density">KeptWeights / (Outputs x Inputs).</param>
/// <param name="KMeansIterations">Lloyd iterations the codebook took.</param>
public sealed record CompressedLayer(
    EncodedLayer Layer, double[] QuantizedWeights, long KeptWeights, double Density, int KMeansIterations)
{
    public int Columns => Layer.Columns;
}

/// <summary>
/// A layer after pruning and weight sharing, before EIE's encoding: a codebook index per
/// weight, row-major Outputs x Columns with the bias last, 0 where nothing is stored. Its rows
/// (and its weight columns, when the previous layer's rows moved) can still be reordered; the
/// stored entries, and so the work of each row, are already final.
/// </summary>
/// <param name="Indices">Codebook index per weight; 0 = no entry.</param>
/// <param name="Quantized">The float centroid of each stored entry, 0 elsewhere.</param>
/// <param name="CodebookFloat">The float codebook; entry 0 is 0.0.</param>
/// <param name="CodebookFixed">The codebook in fixed point (rule W1).</param>
/// <param name="KMeansIterations">Lloyd iterations the codebook took (0 when it came ready).</param>
public sealed record SharedLayer(
    string Name, int Outputs, int Inputs, bool HasBias, byte[] Indices, double[] Quantized,
    double[] CodebookFloat, int[] CodebookFixed, int KMeansIterations)
{
    public int Columns => Inputs + (HasBias ? 1 : 0);

    /// <summary>Stored weight entries, bias values not counted.</summary>
    public long KeptWeights
    {
        get
        {
            long kept = 0;
            for (long i = 0; i < Indices.LongLength; i++)
                if (Indices[i] != 0 && i % Columns < Inputs) kept++;
            return kept;
        }
    }

    /// <summary>Stored entries of each row, its bias entry included (padding excluded: it depends on the row's PE).</summary>
    public long[] RowEntries()
    {
        var entries = new long[Outputs];
        for (int r = 0; r < Outputs; r++)
            foreach (byte v in Indices.AsSpan(r * Columns, Columns))
                if (v != 0) entries[r]++;
        return entries;
    }

    /// <summary>Row p of the result is row order[p] of this layer.</summary>
    public SharedLayer PermuteRows(int[] order) => this with
    {
        Indices = RowBalancer.PermuteRows<byte>(Indices, Columns, order),
        Quantized = RowBalancer.PermuteRows<double>(Quantized, Columns, order),
    };

    /// <summary>Input p of the result is input order[p] of this layer; the bias column stays last.</summary>
    public SharedLayer PermuteInputs(int[] order)
    {
        if (order.Length != Inputs)
            throw new ArgumentException($"layer {Name}: an input order needs {Inputs} values, got {order.Length}", nameof(order));
        return this with
        {
            Indices = RowBalancer.PermuteColumns<byte>(Indices, Columns, order),
            Quantized = RowBalancer.PermuteColumns<double>(Quantized, Columns, order),
        };
    }

    /// <summary>EIE's encoding of the layer: the codebook and the per-PE spmat slices.</summary>
    public CompressedLayer Encode(EieConfig config, bool relu)
    {
        var layer = new EncodedLayer
        {
            Name = Name, Inputs = Inputs, Outputs = Outputs, HasBias = HasBias, Relu = relu,
            Codebook = CodebookFixed, CodebookFloat = CodebookFloat,
            Pes = SpmatEncoder.Encode(config, Indices, Outputs, Columns),
        };
        long kept = KeptWeights;
        return new CompressedLayer(layer, Quantized, kept, (double)kept / ((long)Outputs * Inputs), KMeansIterations);
    }
}

/// <summary>
/// Deep Compression for one fully-connected layer: prune by magnitude, share weights through
/// a k-means codebook, then encode for EIE. The bias is the last column (activation 1.0); it
/// is never pruned, so every non-zero bias value joins the codebook fit. An entry whose
/// shared value is 0 in fixed point (typically small biases sharing a centroid near 0) adds
/// nothing to any output, so it is not stored, exactly as a pruned weight is not.
/// </summary>
public static class LayerCompressor
{
    public static CompressedLayer Compress(
        EieConfig config, string name, double[] weights, int outputs, int inputs, double[]? bias,
        double density, bool relu, int maxIterations = KMeansCodebook.DefaultMaxIterations) =>
        Share(config, name, weights, outputs, inputs, bias, density, maxIterations).Encode(config, relu);

    /// <summary>Pruning and weight sharing: the layer up to, not including, EIE's encoding.</summary>
    public static SharedLayer Share(
        EieConfig config, string name, double[] weights, int outputs, int inputs, double[]? bias,
        double density, int maxIterations = KMeansCodebook.DefaultMaxIterations)
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
        for (int i = 0; i < weights.Length; i++)
            if (keep[i]) surviving.Add(weights[i]);
        if (bias is not null)
            foreach (double b in bias)
                if (b != 0) surviving.Add(b);

        var codebook = KMeansCodebook.Fit(CollectionsMarshal.AsSpan(surviving),
            config.CodebookSize, maxIterations);
        int[] codebookFixed = codebook.ToFixed(name, new FixedPoint(config));

        int columns = inputs + (bias is null ? 0 : 1);
        var indices = new byte[(long)outputs * columns];
        for (int r = 0; r < outputs; r++)
        {
            for (int c = 0; c < inputs; c++)
            {
                int i = r * inputs + c;
                if (keep[i]) indices[(long)r * columns + c] = (byte)codebook.IndexOf(weights[i]);
            }
            if (bias is not null && bias[r] != 0) indices[(long)r * columns + inputs] = (byte)codebook.IndexOf(bias[r]);
        }
        return Shared(name, outputs, inputs, bias is not null, indices, codebook.Centroids, codebookFixed, codebook.Iterations);
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
        for (long i = 0; i < indices.LongLength; i++)
            if (indices[i] >= config.CodebookSize)
                throw new EieInputException(
                    $"layer {name}: codebook index at row {i / columns}, column {i % columns} must be below CodebookSize {config.CodebookSize}, got {indices[i]}");

        return Shared(name, outputs, inputs, hasBias, (byte[])indices.Clone(), (double[])codebookFloat.Clone(), codebookFixed, 0)
            .Encode(config, relu);
    }

    /// <summary>
    /// The shared layer of an index matrix, which it takes over, with the entries whose fixed-point
    /// value is 0 removed: their products are 0 for every act, so storing them would only cost cycles.
    /// </summary>
    private static SharedLayer Shared(
        string name, int outputs, int inputs, bool hasBias, byte[] indices, double[] codebookFloat, int[] codebookFixed, int iterations)
    {
        var quantized = new double[indices.LongLength];
        for (long i = 0; i < indices.LongLength; i++)
        {
            int v = indices[i];
            if (codebookFixed[v] == 0) indices[i] = 0;
            else quantized[i] = codebookFloat[v];
        }
        return new SharedLayer(name, outputs, inputs, hasBias, indices, quantized, codebookFloat, codebookFixed, iterations);
    }

    private static void CheckShape(string name, string what, int value)
    {
        if (value < 1) throw new EieInputException($"layer {name}: {what} must be at least 1, got {value}");
    }
}
