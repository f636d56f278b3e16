namespace EieHdl.Encoding;

/// <summary>
/// One PE's share of one layer in EIE's storage format: compressed sparse columns over the
/// PE's own rows (global rows pe, pe + N, pe + 2N, ...), with relative row indices.
/// </summary>
/// <param name="Pe">PE number.</param>
/// <param name="LocalRows">Rows this PE owns: local row x is global row pe + x * N.</param>
/// <param name="Pointers">p[0..Columns]: column j's entries are Entries[p[j] .. p[j+1]-1];
/// relative to this layer's first entry.</param>
/// <param name="Entries">Packed spmat entries: v in the low IndexBits, z above it.</param>
public sealed record PeSlice(int Pe, int LocalRows, int[] Pointers, ushort[] Entries)
{
    public int PaddingEntries(int indexBits)
    {
        int count = 0, mask = (1 << indexBits) - 1;
        foreach (ushort e in Entries)
            if ((e & mask) == 0) count++;
        return count;
    }
}

/// <summary>
/// A layer as EIE stores it: codebook plus one <see cref="PeSlice"/> per PE. The bias, when
/// present, is column <see cref="Inputs"/> (the last), whose activation is always 1.0.
/// </summary>
public sealed record EncodedLayer
{
    public required string Name { get; init; }
    public required int Inputs { get; init; }
    public required int Outputs { get; init; }
    public required bool HasBias { get; init; }
    /// <summary>Apply ReLU to this layer's outputs (false for a final layer read by argmax).</summary>
    public required bool Relu { get; init; }
    /// <summary>Codebook in fixed point (WeightFracBits); entry 0 is 0.</summary>
    public required int[] Codebook { get; init; }
    /// <summary>The float centroids the fixed-point codebook was rounded from.</summary>
    public required double[] CodebookFloat { get; init; }
    public required PeSlice[] Pes { get; init; }

    public int Columns => Inputs + (HasBias ? 1 : 0);
    public long TotalEntries => Pes.Sum(p => (long)p.Entries.Length);
}
