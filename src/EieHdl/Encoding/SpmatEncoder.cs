using EieHdl.Config;

namespace EieHdl.Encoding;

/// <summary>
/// Turns a weight-shared matrix (a codebook index per weight, 0 = pruned) into EIE's per-PE
/// relative-index compressed sparse columns, and back. Rows are interleaved over the PEs
/// (row i to PE i mod N); within a PE, z counts the PE's own zero rows since the previous
/// entry of the column (or the column start). A run longer than MaxRun is bridged by padding
/// entries (v = 0, z = MaxRun), each of which advances the row by MaxRun + 1.
/// </summary>
public static class SpmatEncoder
{
    /// <param name="indices">Row-major Outputs x Columns codebook indices; 0 means no weight.</param>
    public static PeSlice[] Encode(EieConfig config, ReadOnlySpan<byte> indices, int outputs, int columns)
    {
        if (indices.Length != (long)outputs * columns)
            throw new ArgumentException($"index matrix has {indices.Length} elements, expected {outputs} x {columns}");
        int n = config.Pes, maxRun = config.MaxRun, indexBits = config.IndexBits;
        var slices = new PeSlice[n];
        var entries = new List<ushort>();
        for (int pe = 0; pe < n; pe++)
        {
            int localRows = pe < outputs ? (outputs - pe + n - 1) / n : 0;
            var pointers = new int[columns + 1];
            entries.Clear();
            for (int j = 0; j < columns; j++)
            {
                pointers[j] = entries.Count;
                int run = 0;
                for (int x = 0; x < localRows; x++)
                {
                    byte v = indices[(pe + x * n) * columns + j];
                    if (v == 0) { run++; continue; }
                    for (; run > maxRun; run -= maxRun + 1)
                        entries.Add((ushort)(maxRun << indexBits));
                    entries.Add((ushort)((run << indexBits) | v));
                    run = 0;
                }
            }
            pointers[columns] = entries.Count;
            slices[pe] = new PeSlice(pe, localRows, pointers, entries.ToArray());
        }
        return slices;
    }

    /// <summary>
    /// The slice of <paramref name="slice"/>'s local rows [firstRow, firstRow + rows) as a slice
    /// of its own (local row firstRow becomes 0): what <see cref="Encode"/> gives for the
    /// batch's rows alone. Padding is dropped and laid anew, since a run may now start at the
    /// batch's first row.
    /// </summary>
    public static PeSlice SliceRows(EieConfig config, PeSlice slice, int columns, int firstRow, int rows)
    {
        int maxRun = config.MaxRun, indexBits = config.IndexBits, vMask = (1 << indexBits) - 1;
        int localRows = Math.Clamp(slice.LocalRows - firstRow, 0, rows);
        var pointers = new int[columns + 1];
        var entries = new List<ushort>();
        for (int j = 0; j < columns; j++)
        {
            pointers[j] = entries.Count;
            int x = -1, last = -1;
            for (int p = slice.Pointers[j]; p < slice.Pointers[j + 1]; p++)
            {
                int e = slice.Entries[p], v = e & vMask;
                x += (e >> indexBits) + 1;
                int local = x - firstRow;
                if (v == 0 || local < 0) continue;
                if (local >= localRows) break;
                int run = local - last - 1;
                for (; run > maxRun; run -= maxRun + 1)
                    entries.Add((ushort)(maxRun << indexBits));
                entries.Add((ushort)((run << indexBits) | v));
                last = local;
            }
        }
        pointers[columns] = entries.Count;
        return new PeSlice(slice.Pe, localRows, pointers, entries.ToArray());
    }

    /// <summary>Inverse of <see cref="Encode"/>: the dense index matrix back from the slices.</summary>
    public static byte[] Decode(EieConfig config, IReadOnlyList<PeSlice> slices, int outputs, int columns)
    {
        var indices = new byte[(long)outputs * columns];
        int n = config.Pes, indexBits = config.IndexBits, vMask = (1 << indexBits) - 1;
        foreach (var s in slices)
        {
            for (int j = 0; j < columns; j++)
            {
                int x = -1;
                for (int p = s.Pointers[j]; p < s.Pointers[j + 1]; p++)
                {
                    int e = s.Entries[p];
                    x += (e >> indexBits) + 1;
                    int v = e & vMask;
                    if (v != 0) indices[(s.Pe + (long)x * n) * columns + j] = (byte)v;
                }
            }
        }
        return indices;
    }
}
