using EieHdl.Encoding;

namespace EieHdl.Golden;

/// <summary>
/// The work one layer run gives the PEs, from which a cycle model's bounds follow. Each PE
/// spends one cycle per entry of every active column (padding included), so the busiest PE
/// sets the ideal cycle count and mean/max of the per-PE totals is the load balance.
/// </summary>
/// <param name="ActiveColumns">Columns with a non-zero act, ascending; the bias column is always active.</param>
/// <param name="ColumnEntries">Entries (padding included) per active column and PE, at [k * Pes + pe] for ActiveColumns[k].</param>
/// <param name="PeEntries">Per PE, entries summed over the active columns.</param>
/// <param name="PePadding">Per PE, padding entries (v = 0) in the active columns.</param>
public sealed record LayerWork(
    int LayerIndex,
    string Name,
    int Pes,
    int[] ActiveColumns,
    int[] ColumnEntries,
    long[] PeEntries,
    long[] PePadding)
{
    public int Entries(int activeIndex, int pe) => ColumnEntries[activeIndex * Pes + pe];
    public long TotalEntries => PeEntries.Sum();
    public long PaddingEntries => PePadding.Sum();

    /// <summary>Entries of the busiest PE: no schedule finishes the layer in fewer cycles.</summary>
    public long IdealCycles => PeEntries.Length == 0 ? 0 : PeEntries.Max();

    /// <summary>Mean over max of the per-PE entries; 1 when there is no work, as no PE waits on another.</summary>
    public double LoadBalanceEfficiency => IdealCycles == 0 ? 1.0 : PeEntries.Average() / IdealCycles;
}

/// <summary>
/// Computes <see cref="LayerWork"/> apart from the golden model, so the golden model's fast
/// path carries no counting.
/// </summary>
public static class WorkStatistics
{
    /// <summary>Work of one layer for the given acts (length Inputs, bias excluded).</summary>
    public static LayerWork ForLayer(ModelImage image, int layerIndex, ReadOnlySpan<int> inputs)
    {
        if ((uint)layerIndex >= (uint)image.Layers.Count)
            throw new ArgumentOutOfRangeException(nameof(layerIndex), layerIndex, $"model has {image.Layers.Count} layers");
        var placement = image.Layers[layerIndex];
        if (inputs.Length != placement.Inputs)
            throw new EieInputException(
                $"layer {placement.Name}: input vector must have {placement.Inputs} acts, got {inputs.Length}");

        var active = new List<int>();
        for (int j = 0; j < placement.Inputs; j++)
            if (inputs[j] != 0) active.Add(j);
        if (placement.HasBias) active.Add(placement.Inputs);

        int n = image.Config.Pes, vMask = (1 << image.Config.IndexBits) - 1;
        var columnEntries = new int[active.Count * n];
        var peEntries = new long[n];
        var pePadding = new long[n];
        for (int pe = 0; pe < n; pe++)
        {
            var peImage = image.Pes[pe];
            // A batched layer's column is its entries in every output batch.
            foreach (var batch in image.RowsOf(layerIndex))
                for (int k = 0; k < active.Count; k++)
                {
                    int ptr = batch.PtrBase + active[k];
                    int p0 = peImage.Pointers[ptr], p1 = peImage.Pointers[ptr + 1];
                    columnEntries[k * n + pe] += p1 - p0;
                    peEntries[pe] += p1 - p0;
                    for (int p = p0; p < p1; p++)
                        if ((peImage.Entries[p] & vMask) == 0) pePadding[pe]++;
                }
        }
        return new LayerWork(layerIndex, placement.Name, n, active.ToArray(), columnEntries, peEntries, pePadding);
    }

    /// <summary>Work of every layer of a chain run; each layer's acts are the golden outputs of the previous one.</summary>
    public static LayerWork[] ForChain(GoldenModel model, ReadOnlySpan<int> inputs)
    {
        var runs = model.RunChainLayers(inputs);
        var work = new LayerWork[runs.Length];
        for (int l = 0; l < runs.Length; l++)
            work[l] = ForLayer(model.Image, l, l == 0 ? inputs : runs[l - 1].Outputs);
        return work;
    }
}
