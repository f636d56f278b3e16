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
/// <param name="Events">What the units did in the layer, summed over the PEs (for an energy model).</param>
public sealed record LayerCycleStats(
    string Name, long Cycles, long CodebookCycles, long ComputeCycles, long WriteBackCycles,
    long StallCycles, long Broadcasts, long[] PeEntries, LayerEvents Events)
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

/// <summary>
/// Events of one layer, each summed over the PEs (or the LNZD nodes), as the units count them.
/// </summary>
/// <param name="SpmatReads">Spmat SRAM word reads.</param>
/// <param name="PtrReads">Ptr read requests; each reads one word of the even bank and one of the odd bank.</param>
/// <param name="ActReads">Act SRAM reads of the scan (source half).</param>
/// <param name="ActWrites">Act SRAM writes of the write-back (destination half).</param>
/// <param name="CodebookReads">Reads of the PEs' codebook RAMs (one per entry, in S1).</param>
/// <param name="CodebookWrites">Writes into the PEs' codebook RAMs by the CCU's codebook stream.</param>
/// <param name="CcuCodebookReads">Reads of the CCU's codebook memory (the stream).</param>
/// <param name="Macs">Multiply-accumulates (entries, padding included, through the multiplier).</param>
/// <param name="QueuePushes">Act queue pushes (every broadcast into every PE's queue).</param>
/// <param name="QueuePops">Act queue pops (columns handed to the ptr read unit).</param>
/// <param name="Offers">Non-zero acts the scans put into their offer buffers.</param>
/// <param name="LnzdGrants">Offers taken by LNZD nodes, all levels.</param>
public sealed record LayerEvents(
    long SpmatReads, long PtrReads, long ActReads, long ActWrites, long CodebookReads, long CodebookWrites,
    long CcuCodebookReads, long Macs, long QueuePushes, long QueuePops, long Offers, long LnzdGrants);

/// <summary>What the cycle model predicts for one run of eie_top.</summary>
/// <param name="Outputs">The last layer's outputs (ActWidth-bit signed fixed point), from the golden model.</param>
/// <param name="Cycles">The CCU's cycle counter at done, exactly as the RTL counts it (start to done).</param>
/// <param name="Layers">Per-layer statistics, in layer order.</param>
public sealed record CycleRun(int[] Outputs, long Cycles, IReadOnlyList<LayerCycleStats> Layers);
