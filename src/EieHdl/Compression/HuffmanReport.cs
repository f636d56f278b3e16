using System.Globalization;
using EieHdl.Config;
using EieHdl.Encoding;

namespace EieHdl.Compression;

/// <summary>
/// Storage cost of one encoded layer in the manner of Deep Compression's Table 4: the fixed
/// v and z widths EIE uses, and what Huffman coding of the v stream and the z stream
/// (separately, padding entries included) would save. EIE itself stores the fixed widths;
/// the Huffman columns only show how far the encoding is from the entropy limit.
/// Sizes are in bits and bytes; the dense reference is float32 over Outputs x Columns, so a
/// bias counts as weights on both sides. Pointers are reported apart from the payload,
/// as the paper does.
/// </summary>
/// <param name="DenseWeights">Outputs x Columns, bias column included.</param>
/// <param name="KeptWeights">Entries that carry a weight (not padding), bias values included.</param>
/// <param name="HuffmanVBits">Average Huffman-coded bits per entry of the v stream.</param>
/// <param name="PayloadBits">Entries x (v + z bits) plus the codebook: what EIE stores, pointers aside.</param>
/// <param name="HuffmanPayloadBits">The v and z streams Huffman coded, plus the codebook.</param>
/// <param name="PointerBitsPerPe">(Columns + 1) x PtrWidth: one PE's pointer array for this layer.</param>
public sealed record HuffmanReport(
    string Name,
    long DenseWeights,
    long KeptWeights,
    long Entries,
    long PaddingEntries,
    int VBits,
    int ZBits,
    double HuffmanVBits,
    double HuffmanZBits,
    long CodebookBits,
    long PayloadBits,
    long HuffmanPayloadBits,
    long PointerBitsPerPe,
    long PointerBits)
{
    public long DenseBytes => DenseWeights * 4;
    public long PayloadBytes => (PayloadBits + 7) / 8;
    public long HuffmanPayloadBytes => (HuffmanPayloadBits + 7) / 8;
    public long PointerBytes => (PointerBits + 7) / 8;
    public double PayloadPercent => Percent(PayloadBytes);
    public double HuffmanPayloadPercent => Percent(HuffmanPayloadBytes);
    public double CompressionRatio => Ratio(PayloadBytes);
    public double HuffmanCompressionRatio => Ratio(HuffmanPayloadBytes);

    public static HuffmanReport Of(EieConfig config, EncodedLayer layer)
    {
        int vMask = (1 << config.IndexBits) - 1;
        var vFrequencies = new long[1 << config.IndexBits];
        var zFrequencies = new long[1 << config.RunBits];
        long entries = 0, padding = 0;
        foreach (var slice in layer.Pes)
            foreach (ushort e in slice.Entries)
            {
                int v = e & vMask;
                vFrequencies[v]++;
                zFrequencies[e >> config.IndexBits]++;
                entries++;
                if (v == 0) padding++;
            }
        long vHuffman = EncodedBits(vFrequencies), zHuffman = EncodedBits(zFrequencies);
        long codebookBits = (long)config.CodebookSize * config.WeightWidth;
        long pointerBitsPerPe = (long)(layer.Columns + 1) * config.PtrWidth;
        return new HuffmanReport(
            layer.Name,
            (long)layer.Outputs * layer.Columns,
            entries - padding,
            entries,
            padding,
            config.IndexBits,
            config.RunBits,
            entries == 0 ? 0 : (double)vHuffman / entries,
            entries == 0 ? 0 : (double)zHuffman / entries,
            codebookBits,
            entries * config.EntryBits + codebookBits,
            vHuffman + zHuffman + codebookBits,
            pointerBitsPerPe,
            pointerBitsPerPe * layer.Pes.Length);
    }

    /// <summary>
    /// Huffman code length of each symbol (0 for a symbol that never occurs). The two lightest
    /// trees are merged first; among equal weights the tree created first (leaves in symbol
    /// order, then merged trees in merge order) goes first, which makes the lengths
    /// deterministic. A stream of a single symbol still costs one bit per symbol.
    /// </summary>
    public static int[] CodeLengths(IReadOnlyList<long> frequencies)
    {
        var lengths = new int[frequencies.Count];
        var queue = new PriorityQueue<int, (long Weight, int Order)>();
        var parent = new List<int>();
        var leafNode = new int[frequencies.Count];
        for (int s = 0; s < frequencies.Count; s++)
        {
            if (frequencies[s] < 0) throw new ArgumentOutOfRangeException(nameof(frequencies));
            if (frequencies[s] == 0) { leafNode[s] = -1; continue; }
            leafNode[s] = parent.Count;
            queue.Enqueue(parent.Count, (frequencies[s], parent.Count));
            parent.Add(-1);
        }
        if (queue.Count == 1)
        {
            lengths[Array.FindIndex(leafNode, n => n >= 0)] = 1;
            return lengths;
        }
        while (queue.Count > 1)
        {
            queue.TryDequeue(out int a, out var wa);
            queue.TryDequeue(out int b, out var wb);
            int merged = parent.Count;
            parent.Add(-1);
            parent[a] = merged;
            parent[b] = merged;
            queue.Enqueue(merged, (wa.Weight + wb.Weight, merged));
        }
        for (int s = 0; s < lengths.Length; s++)
            for (int node = leafNode[s]; node >= 0 && parent[node] >= 0; node = parent[node])
                lengths[s]++;
        return lengths;
    }

    /// <summary>Total bits of a stream with these symbol frequencies under its Huffman code.</summary>
    public static long EncodedBits(IReadOnlyList<long> frequencies)
    {
        int[] lengths = CodeLengths(frequencies);
        long bits = 0;
        for (int s = 0; s < lengths.Length; s++) bits += frequencies[s] * lengths[s];
        return bits;
    }

    public static string TableHeader =>
        "layer        |     weights |        kept | entries     | padding    | v bits     | z bits     | P+Q bytes (%)         | P+Q+H bytes (%)       | ratio P+Q / +H  | ptr bytes";

    /// <summary>One row of the Table-4-style summary, aligned under <see cref="TableHeader"/>.</summary>
    public string TableRow() => string.Create(CultureInfo.InvariantCulture,
        $"{Name,-12} | {DenseWeights,11} | {KeptWeights,11} | {Entries,11} | {PaddingEntries,10} | {VBits,2} ({HuffmanVBits,5:F2}) | {ZBits,2} ({HuffmanZBits,5:F2}) | {PayloadBytes,11} ({PayloadPercent,6:F2}%) | {HuffmanPayloadBytes,11} ({HuffmanPayloadPercent,6:F2}%) | {CompressionRatio,6:F1}x {HuffmanCompressionRatio,6:F1}x | {PointerBytes}");

    private double Percent(long bytes) => DenseBytes == 0 ? 0 : 100.0 * bytes / DenseBytes;
    private double Ratio(long bytes) => bytes == 0 ? 0 : (double)DenseBytes / bytes;
}
