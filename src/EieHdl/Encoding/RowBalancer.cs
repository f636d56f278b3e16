namespace EieHdl.Encoding;

/// <summary>
/// Which output row goes to which PE. EIE interleaves (row i to PE i mod N, local row i / N),
/// so a PE's work is the non-zeros of whichever rows fall to it; with few rows per PE (1000
/// outputs over 64 PEs: 15 or 16 each) or rows of uneven density the busiest PE sets the
/// layer's cycles. <see cref="LargestFirst"/> deals the rows out largest first to the PE
/// with the least work so far, keeping each PE's row count what interleaving gives it, so the
/// hardware, the act SRAM layout and the write-back are unchanged: only the order of the rows
/// (and so of the layer's outputs) changes. A chained layer's outputs are the next layer's
/// inputs, so permuting the next layer's columns the same way makes the chain compute the same
/// function; only the last layer's outputs come out permuted: model output order[p] is
/// hardware row p.
/// </summary>
public static class RowBalancer
{
    /// <summary>
    /// The balanced order: <c>order[p]</c> is the row placed at position p (PE p mod N, local
    /// row p / N), so hardware row p computes row order[p]. <paramref name="work"/> is each
    /// row's cost: the entries the encoder will store for it after pruning and weight sharing
    /// (known when the model is compiled; the acts are not). Deterministic: ties go to the
    /// lower row and the lower PE; within a PE the rows keep their relative order.
    /// </summary>
    public static int[] LargestFirst(ReadOnlySpan<long> work, int pes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pes, 1);
        int outputs = work.Length;
        var cost = work.ToArray();
        var rows = Enumerable.Range(0, outputs).OrderByDescending(i => cost[i]).ThenBy(i => i).ToArray();
        var capacity = Enumerable.Range(0, pes).Select(k => k < outputs ? (outputs - k + pes - 1) / pes : 0).ToArray();
        var load = new long[pes];
        var assigned = Enumerable.Range(0, pes).Select(_ => new List<int>()).ToArray();
        foreach (var row in rows)
        {
            int best = -1;
            for (int k = 0; k < pes; k++)
                if (assigned[k].Count < capacity[k] && (best < 0 || load[k] < load[best])) best = k;
            assigned[best].Add(row);
            load[best] += cost[row];
        }
        var order = new int[outputs];
        for (int k = 0; k < pes; k++)
        {
            assigned[k].Sort();
            for (int local = 0; local < assigned[k].Count; local++) order[local * pes + k] = assigned[k][local];
        }
        return order;
    }

    /// <summary>Row p of the result is row order[p] of <paramref name="matrix"/> (rows x columns, row-major).</summary>
    public static T[] PermuteRows<T>(ReadOnlySpan<T> matrix, int columns, int[] order)
    {
        var result = new T[matrix.Length];
        for (int p = 0; p < order.Length; p++)
            matrix.Slice(order[p] * columns, columns).CopyTo(result.AsSpan(p * columns, columns));
        return result;
    }

    /// <summary>
    /// Column p (below order.Length) of the result is column order[p] of <paramref name="matrix"/>
    /// (row-major, <paramref name="columns"/> wide); the columns after order.Length stay in place.
    /// </summary>
    public static T[] PermuteColumns<T>(ReadOnlySpan<T> matrix, int columns, int[] order)
    {
        var result = matrix.ToArray();
        for (int r = 0; r < matrix.Length / columns; r++)
            for (int p = 0; p < order.Length; p++)
                result[r * columns + p] = matrix[r * columns + order[p]];
        return result;
    }

    /// <summary>Element p of the result is element order[p].</summary>
    public static T[] Permute<T>(ReadOnlySpan<T> values, int[] order)
    {
        var result = new T[order.Length];
        for (int p = 0; p < order.Length; p++) result[p] = values[order[p]];
        return result;
    }
}
