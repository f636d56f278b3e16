namespace EieHdl.Energy;

/// <summary>
/// The events of one run (one layer, one inference), each summed over all PEs of the chip, as
/// the units count them. The energy model charges each event its energy from the technology;
/// cycles set the run time, over which static power (leakage and clock) is charged.
/// </summary>
public sealed record UnitActivity
{
    /// <summary>Clock cycles of the run.</summary>
    public long Cycles { get; init; }

    // ---- sparse matrix read unit ----
    /// <summary>Spmat SRAM word reads (one word holds EntriesPerWord entries).</summary>
    public long SpmatWordReads { get; init; }
    /// <summary>Entries handed to the arithmetic unit, padding included.</summary>
    public long SpmatEntryReads { get; init; }
    /// <summary>Spmat SRAM word writes (loading a model in I/O mode).</summary>
    public long SpmatWordWrites { get; init; }

    // ---- pointer read unit ----
    public long PtrEvenReads { get; init; }
    public long PtrOddReads { get; init; }
    /// <summary>Pointer writes, both banks together (I/O mode).</summary>
    public long PtrWrites { get; init; }

    // ---- arithmetic unit ----
    public long CodebookReads { get; init; }
    /// <summary>Codebook entry writes (loading a layer's codebook).</summary>
    public long CodebookWrites { get; init; }
    public long Multiplies { get; init; }
    /// <summary>Accumulations (the adder after the multiplier).</summary>
    public long Adds { get; init; }
    /// <summary>Row address accumulations (x = x + z + 1), one per entry.</summary>
    public long AddressAdds { get; init; }
    public long AccumulatorReads { get; init; }
    public long AccumulatorWrites { get; init; }

    // ---- act read/write unit ----
    public long ActSramReads { get; init; }
    public long ActSramWrites { get; init; }
    /// <summary>Non-zero acts the scan put into its offer buffer for the LNZD tree.</summary>
    public long ActOffers { get; init; }

    // ---- act queue ----
    public long ActQueuePushes { get; init; }
    public long ActQueuePops { get; init; }

    // ---- chip level: LNZD tree and CCU ----
    /// <summary>Offers taken by LNZD nodes, all levels (each selects among its fan-in inputs once).</summary>
    public long LnzdGrants { get; init; }
    /// <summary>(a_j, j) pairs the CCU broadcast to all PEs.</summary>
    public long Broadcasts { get; init; }
    /// <summary>Reads of the CCU's codebook memory, each entry then broadcast to every PE's codebook.</summary>
    public long CcuCodebookReads { get; init; }

    /// <summary>Throws if a count is negative or the run has no cycles.</summary>
    public UnitActivity Validate()
    {
        if (Cycles < 1) throw new ArgumentException($"a run needs at least one cycle, got {Cycles}");
        foreach (var (name, value) in Counts())
            if (value < 0) throw new ArgumentException($"event count {name} must be >= 0, got {value}");
        return this;
    }

    /// <summary>Every event count by name, for reports and checks.</summary>
    public IEnumerable<(string Name, long Value)> Counts()
    {
        yield return (nameof(SpmatWordReads), SpmatWordReads);
        yield return (nameof(SpmatEntryReads), SpmatEntryReads);
        yield return (nameof(SpmatWordWrites), SpmatWordWrites);
        yield return (nameof(PtrEvenReads), PtrEvenReads);
        yield return (nameof(PtrOddReads), PtrOddReads);
        yield return (nameof(PtrWrites), PtrWrites);
        yield return (nameof(CodebookReads), CodebookReads);
        yield return (nameof(CodebookWrites), CodebookWrites);
        yield return (nameof(Multiplies), Multiplies);
        yield return (nameof(Adds), Adds);
        yield return (nameof(AddressAdds), AddressAdds);
        yield return (nameof(AccumulatorReads), AccumulatorReads);
        yield return (nameof(AccumulatorWrites), AccumulatorWrites);
        yield return (nameof(ActSramReads), ActSramReads);
        yield return (nameof(ActSramWrites), ActSramWrites);
        yield return (nameof(ActOffers), ActOffers);
        yield return (nameof(ActQueuePushes), ActQueuePushes);
        yield return (nameof(ActQueuePops), ActQueuePops);
        yield return (nameof(LnzdGrants), LnzdGrants);
        yield return (nameof(Broadcasts), Broadcasts);
        yield return (nameof(CcuCodebookReads), CcuCodebookReads);
    }
}

/// <summary>A dense layer's shape: the operations an uncompressed layer would take, 2 per weight.</summary>
public sealed record DenseLayer(int Inputs, int Outputs)
{
    public long DenseOperations => 2L * Inputs * Outputs;
}
