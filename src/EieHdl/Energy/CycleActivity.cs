using EieHdl.CycleModel;

namespace EieHdl.Energy;

/// <summary>
/// The energy model's events of one layer, read from the units' own counts in a cycle-model
/// run (<see cref="LayerCycleStats.Events"/>), the same run that gives the layer's cycles.
/// Events the units do not count separately follow from one they do, as the RTL wires them:
/// every entry (padding included) is one codebook read, one multiply, one accumulation, one
/// row-address add and one accumulator read-modify-write; the write-back reads each
/// accumulator it writes to the act SRAM; each ptr request reads one word of each bank.
/// Host-bus loads are outside a run, so no SRAM writes of the model are counted.
/// </summary>
public static class CycleActivity
{
    public static UnitActivity FromLayer(LayerCycleStats layer)
    {
        var e = layer.Events;
        return new UnitActivity
        {
            Cycles = layer.Cycles,
            SpmatWordReads = e.SpmatReads,
            SpmatEntryReads = e.Macs,
            PtrEvenReads = e.PtrReads,
            PtrOddReads = e.PtrReads,
            CodebookReads = e.CodebookReads,
            CodebookWrites = e.CodebookWrites,
            Multiplies = e.Macs,
            Adds = e.Macs,
            AddressAdds = e.Macs,
            AccumulatorReads = e.Macs + e.ActWrites,
            AccumulatorWrites = e.Macs,
            ActSramReads = e.ActReads,
            ActSramWrites = e.ActWrites,
            ActOffers = e.Offers,
            ActQueuePushes = e.QueuePushes,
            ActQueuePops = e.QueuePops,
            LnzdGrants = e.LnzdGrants,
            Broadcasts = layer.Broadcasts,
            CcuCodebookReads = e.CcuCodebookReads,
        }.Validate();
    }

    /// <summary>The sum of several runs' events and cycles (runs one after the other).</summary>
    public static UnitActivity Sum(IEnumerable<UnitActivity> runs)
    {
        var list = runs.ToArray();
        long S(Func<UnitActivity, long> f) => list.Sum(f);
        return new UnitActivity
        {
            Cycles = S(a => a.Cycles),
            SpmatWordReads = S(a => a.SpmatWordReads), SpmatEntryReads = S(a => a.SpmatEntryReads), SpmatWordWrites = S(a => a.SpmatWordWrites),
            PtrEvenReads = S(a => a.PtrEvenReads), PtrOddReads = S(a => a.PtrOddReads), PtrWrites = S(a => a.PtrWrites),
            CodebookReads = S(a => a.CodebookReads), CodebookWrites = S(a => a.CodebookWrites),
            Multiplies = S(a => a.Multiplies), Adds = S(a => a.Adds), AddressAdds = S(a => a.AddressAdds),
            AccumulatorReads = S(a => a.AccumulatorReads), AccumulatorWrites = S(a => a.AccumulatorWrites),
            ActSramReads = S(a => a.ActSramReads), ActSramWrites = S(a => a.ActSramWrites), ActOffers = S(a => a.ActOffers),
            ActQueuePushes = S(a => a.ActQueuePushes), ActQueuePops = S(a => a.ActQueuePops),
            LnzdGrants = S(a => a.LnzdGrants), Broadcasts = S(a => a.Broadcasts), CcuCodebookReads = S(a => a.CcuCodebookReads),
        };
    }
}
