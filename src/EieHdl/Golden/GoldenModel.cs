using System.Buffers;
using System.Numerics;
using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.Encoding;

namespace EieHdl.Golden;

/// <summary>One layer's outputs from a chain run, with the number of outputs whose accumulator wrapped.</summary>
public sealed record LayerRun(int[] Outputs, int Overflows);

/// <summary>
/// The bit-exact golden model: what the EIE hardware computes from a <see cref="ModelImage"/>.
/// Only columns whose act is non-zero are processed (the bias column always, with act 1.0),
/// and each entry adds ShiftedProduct(a_j, codebook[v]) to its PE's accumulator for row x;
/// each output is Requantize(Wrap(acc), relu).
/// <para>
/// The constructor decodes every PE's relative (v, z) entries once into one stream per column
/// holding (global row, v), so a run is one flat loop per active column rather than a loop
/// per PE with a few entries each. Entries whose codebook value is 0 (padding included) are
/// dropped there: they add exactly 0, and the cycles they cost are the cycle model's business
/// (<see cref="WorkStatistics"/>), not this model's. Sums are exact (64-bit, or 128-bit when
/// a layer's worst case could exceed 64 bits) and wrapped once per output, which rule C1 says
/// equals wrapping after every add in hardware order.
/// </para>
/// </summary>
public sealed class GoldenModel
{
    /// <summary>Bits of a decoded entry holding v; the global row sits above them.</summary>
    private const int VBits = 8;
    private const uint VMask = (1u << VBits) - 1;

    private readonly FixedPoint fp;
    private readonly DecodedLayer[] layers;

    /// <param name="Columns">Column j's decoded entries are Entries[Columns[j] .. Columns[j+1]-1].</param>
    /// <param name="Entries">Per entry (global row &lt;&lt; VBits) | v, sorted by row within a column.</param>
    /// <param name="Wide">True when the exact sum of a row may not fit 64 bits, so Int128 is needed.</param>
    private sealed record DecodedLayer(LayerPlacement Placement, int[] Columns, uint[] Entries, long[] Codebook, bool Wide);

    public GoldenModel(ModelImage image)
    {
        Image = image;
        fp = new FixedPoint(image.Config);
        layers = new DecodedLayer[image.Layers.Count];
        for (int l = 0; l < layers.Length; l++) layers[l] = Decode(image, l);
    }

    public ModelImage Image { get; }
    public FixedPoint FixedPoint => fp;

    /// <summary>Runs one layer; inputs are acts in global order (length Inputs, bias excluded).</summary>
    public int[] RunLayer(int layerIndex, ReadOnlySpan<int> inputs)
    {
        var outputs = new int[Layer(layerIndex).Placement.Outputs];
        RunLayer(layerIndex, inputs, outputs);
        return outputs;
    }

    /// <summary>
    /// Runs one layer into the caller's span (length Outputs) without allocating.
    /// Returns the number of outputs whose exact sum did not fit AccWidth bits (they wrapped).
    /// </summary>
    public int RunLayer(int layerIndex, ReadOnlySpan<int> inputs, Span<int> outputs)
    {
        var layer = Layer(layerIndex);
        var placement = layer.Placement;
        if (inputs.Length != placement.Inputs)
            throw new EieInputException(
                $"layer {placement.Name}: input vector must have {placement.Inputs} acts, got {inputs.Length}");
        if (outputs.Length != placement.Outputs)
            throw new ArgumentException(
                $"layer {placement.Name}: output span must have {placement.Outputs} elements, got {outputs.Length}");
        for (int j = 0; j < inputs.Length; j++)
            if (inputs[j] < fp.ActMin || inputs[j] > fp.ActMax)
                throw new EieInputException(
                    $"layer {placement.Name}: act {j} must be in [{fp.ActMin}, {fp.ActMax}] (ActWidth {fp.Config.ActWidth}), got {inputs[j]}");
        return layer.Wide
            ? Run<Int128>(layer, inputs, outputs)
            : Run<long>(layer, inputs, outputs);
    }

    /// <summary>Runs all layers, the outputs of each being the inputs of the next; returns the last layer's outputs.</summary>
    public int[] RunChain(ReadOnlySpan<int> inputs) => RunChainLayers(inputs)[^1].Outputs;

    /// <summary>The first output where hardware's <paramref name="got"/> differs from the golden outputs
    /// (a missing or extra output counts as different), or -1.</summary>
    public static int FirstMismatch(int[] golden, int[] got)
    {
        int common = Math.Min(golden.Length, got.Length);
        for (int i = 0; i < common; i++)
            if (golden[i] != got[i]) return i;
        return golden.Length == got.Length ? -1 : common;
    }

    /// <summary>Runs all layers and returns every layer's outputs and overflow count, in layer order.</summary>
    public LayerRun[] RunChainLayers(ReadOnlySpan<int> inputs)
    {
        var runs = new LayerRun[layers.Length];
        ReadOnlySpan<int> current = inputs;
        for (int l = 0; l < layers.Length; l++)
        {
            var outputs = new int[layers[l].Placement.Outputs];
            int overflows = RunLayer(l, current, outputs);
            runs[l] = new LayerRun(outputs, overflows);
            current = outputs;
        }
        return runs;
    }

    private DecodedLayer Layer(int layerIndex)
    {
        if ((uint)layerIndex >= (uint)layers.Length)
            throw new ArgumentOutOfRangeException(nameof(layerIndex), layerIndex, $"model has {layers.Length} layers");
        return layers[layerIndex];
    }

    private int Run<TAcc>(DecodedLayer layer, ReadOnlySpan<int> inputs, Span<int> outputs)
        where TAcc : struct, IBinaryInteger<TAcc>
    {
        var placement = layer.Placement;
        int shift = fp.Config.ProductShift;
        ReadOnlySpan<long> codebook = layer.Codebook;
        ReadOnlySpan<int> columns = layer.Columns;
        ReadOnlySpan<uint> entries = layer.Entries;
        Span<long> products = stackalloc long[codebook.Length];

        TAcc[] rented = ArrayPool<TAcc>.Shared.Rent(placement.Outputs);
        try
        {
            Span<TAcc> acc = rented.AsSpan(0, placement.Outputs);
            acc.Clear();
            int columnCount = placement.Columns;
            for (int j = 0; j < columnCount; j++)
            {
                long a = j < placement.Inputs ? inputs[j] : fp.ActOne;
                if (a == 0) continue;
                int start = columns[j], end = columns[j + 1];
                if (start == end) continue;
                // One multiply per codebook entry instead of one per spmat entry: the product
                // of a column depends only on v.
                for (int v = 0; v < products.Length; v++) products[v] = (a * codebook[v]) >> shift;
                foreach (uint e in entries[start..end])
                    acc[(int)(e >> VBits)] += TAcc.CreateTruncating(products[(int)(e & VMask)]);
            }

            int accWidth = fp.Config.AccWidth;
            TAcc accMax = (TAcc.One << (accWidth - 1)) - TAcc.One;
            TAcc accMin = -(TAcc.One << (accWidth - 1));
            int overflows = 0;
            for (int i = 0; i < acc.Length; i++)
            {
                TAcc sum = acc[i];
                if (sum > accMax || sum < accMin) overflows++;
                outputs[i] = fp.Requantize(fp.Wrap(long.CreateTruncating(sum)), placement.Relu);
            }
            return overflows;
        }
        finally
        {
            ArrayPool<TAcc>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Walks every PE's entries of layer l exactly as the PE's address accumulator does
    /// (x = -1 at a column start, x += z + 1 per entry), checking that the image is one the
    /// hardware can run, and regroups the non-zero-weight entries by column.
    /// </summary>
    private static DecodedLayer Decode(ModelImage image, int l)
    {
        var config = image.Config;
        var placement = image.Layers[l];
        int n = config.Pes, indexBits = config.IndexBits, vMask = (1 << indexBits) - 1;
        int columns = placement.Columns, outputs = placement.Outputs;
        string where = $"model image, layer {placement.Name}";
        if (outputs > (int)(uint.MaxValue >> VBits))
            throw new EieInputException($"{where}: at most {uint.MaxValue >> VBits} outputs, got {outputs}");

        var codebook = new long[config.CodebookSize];
        for (int v = 0; v < codebook.Length; v++) codebook[v] = image.Codebooks[placement.CodebookBase + v];

        // Pass 1 checks the image and counts the kept entries of each column; pass 2 fills.
        // A batched layer is walked batch by batch: each has its own pointers, and its local
        // row x of PE pe is the layer's output FirstOutput + pe + x * N.
        var batches = image.RowsOf(l).ToArray();
        var counts = new int[columns + 1];
        var rowCounts = new int[outputs];
        foreach (var batch in batches)
            for (int pe = 0; pe < n; pe++)
            {
                var peImage = image.Pes[pe];
                int localRows = pe < batch.Outputs ? (batch.Outputs - pe + n - 1) / n : 0;
                for (int j = 0; j < columns; j++)
                {
                    int p0 = peImage.Pointers[batch.PtrBase + j], p1 = peImage.Pointers[batch.PtrBase + j + 1];
                    if (p0 < 0 || p1 < p0 || p1 > peImage.Entries.Length)
                        throw new EieInputException(
                            $"{where}: PE {pe} column {j} pointers [{p0}, {p1}) are not an ascending range within its {peImage.Entries.Length} entries");
                    int x = -1;
                    for (int p = p0; p < p1; p++)
                    {
                        int e = peImage.Entries[p], v = e & vMask;
                        x += (e >> indexBits) + 1;
                        if (x >= localRows)
                            throw new EieInputException(
                                $"{where}: PE {pe} column {j} entry {p} addresses local row {x}, the PE has {localRows} rows");
                        if (v >= codebook.Length)
                            throw new EieInputException(
                                $"{where}: PE {pe} column {j} entry {p} has codebook index {v}, codebook has {codebook.Length} entries");
                        if (codebook[v] == 0) continue;
                        counts[j + 1]++;
                        rowCounts[batch.FirstOutput + pe + x * n]++;
                    }
                }
            }
        for (int j = 0; j < columns; j++) counts[j + 1] += counts[j];

        var entries = new uint[counts[columns]];
        var fill = counts[..columns];
        foreach (var batch in batches)
            for (int pe = 0; pe < n; pe++)
            {
                var peImage = image.Pes[pe];
                for (int j = 0; j < columns; j++)
                {
                    int x = -1;
                    for (int p = peImage.Pointers[batch.PtrBase + j]; p < peImage.Pointers[batch.PtrBase + j + 1]; p++)
                    {
                        int e = peImage.Entries[p], v = e & vMask;
                        x += (e >> indexBits) + 1;
                        if (codebook[v] != 0) entries[fill[j]++] = ((uint)(batch.FirstOutput + pe + x * n) << VBits) | (uint)v;
                    }
                }
            }
        // Ascending rows within a column make the accumulator accesses a forward sweep.
        for (int j = 0; j < columns; j++) Array.Sort(entries, counts[j], counts[j + 1] - counts[j]);

        return new DecodedLayer(placement, counts, entries, codebook, NeedsWideSum(config, codebook, rowCounts));
    }

    /// <summary>True when some row's exact sum could leave the 64-bit range.</summary>
    private static bool NeedsWideSum(EieConfig config, long[] codebook, int[] rowCounts)
    {
        long maxWeight = codebook.Length == 0 ? 0 : codebook.Max(w => Math.Abs(w));
        long maxAct = 1L << (config.ActWidth - 1);
        // |product| <= 2^31 * 2^31 = 2^62, so it always fits; the sum of many may not.
        long maxProduct = (long)Math.Min((double)maxAct * maxWeight, Math.ScaleB(1.0, 62)) >> config.ProductShift;
        int maxTerms = rowCounts.Length == 0 ? 0 : rowCounts.Max();
        return (double)maxProduct * maxTerms >= Math.ScaleB(1.0, 62);
    }
}
