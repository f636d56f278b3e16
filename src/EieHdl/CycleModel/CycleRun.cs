namespace EieHdl.CycleModel;

/// <summary>
/// Cycle statistics of one layer of a run, as the cycle model counted them.
/// </summary>
/// <param name="Name">The layer's name.</param>
/// <param name="Cycles">CCU cycles of the layer, codebook stream to the end of write-back; the
/// layers' Cycles sum to the run's cycle counter.</param>
/// <param name="CodebookCycles">Cycles in the codebook-stream phase (CodebookSize + 1).</param>
/// <param name="ComputeCycles">Cycles in the scan, bias and drain phases (broadcast and compute).</param>
/// <param name="WriteBackCycles">Cycles in the write-back phase.</param>
/// <param name="StallCycles">Cycles in which a broadcast was held because some act queue was full.</param>
/// <param name="Broadcasts">Columns broadcast (non-zero acts plus the bias column).</param>
/// <param name="PeEntries">Per PE, spmat entries (padding included) it processed: one arithmetic-unit cycle each.</param>
public sealed record LayerCycleStats(
    string Name, long Cycles, long CodebookCycles, long ComputeCycles, long WriteBackCycles,
    long StallCycles, long Broadcasts, long[] PeEntries)
{
    /// <summary>Entries of the busiest PE: the ideal cycles of the layer (no schedule does it in fewer).</summary>
    public long IdealCycles => PeEntries.Length == 0 ? 0 : PeEntries.Max();

    public long TotalEntries => PeEntries.Sum();

    /// <summary>Fraction of PE-cycles (over the whole layer) in which an arithmetic unit took an entry.</summary>
    public double PeUtilisation => Cycles == 0 ? 0 : (double)TotalEntries / (PeEntries.Length * (double)Cycles);

    /// <summary>Same over the compute phases only (scan, bias, drain).</summary>
    public double ComputeUtilisation => ComputeCycles == 0 ? 0 : (double)TotalEntries / (PeEntries.Length * (double)ComputeCycles);

    /// <summary>Mean over max of the per-PE entries.</summary>
    public double LoadBalance => IdealCycles == 0 ? 1.0 : PeEntries.Average() / IdealCycles;
}

/// <summary>What the cycle model predicts for one run of eie_top.</summary>
/// <param name="Outputs">The last layer's outputs (ActWidth-bit signed fixed point), from the golden model.</param>
/// <param name="Cycles">The CCU's cycle counter at done, exactly as the RTL counts it (start to done).</param>
/// <param name="Layers">Per-layer statistics, in layer order.</param>
public sealed record CycleRun(int[] Outputs, long Cycles, IReadOnlyList<LayerCycleStats> Layers);
