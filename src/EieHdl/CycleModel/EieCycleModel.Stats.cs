using EieHdl.Hardware;

namespace EieHdl.CycleModel;

/// <summary>Per-layer statistics: event totals taken at each layer boundary and differenced.</summary>
public sealed partial class EieCycleModel
{
    /// <summary>Event totals at a layer boundary; a layer's figures are the differences.</summary>
    private record struct Totals(long[] PeEntries)
    {
        public long Cb, Compute, Wb, Stalls, Broadcasts, CcuCodebookReads, Cycles;
        public long SpmatReads, PtrReads, ActReads, ActWrites, CodebookReads, Macs, Pushes, Pops, Offers, Grants;
    }

    private LayerCycleStats LayerStats(string name, in CcuState ccu, ref Totals before)
    {
        var now = new Totals(new long[n])
        {
            Cb = ccu.CbCycles, Compute = ccu.ComputeCycles, Wb = ccu.WbCycles, Stalls = ccu.Stalls,
            Broadcasts = ccu.Broadcasts, CcuCodebookReads = ccu.CodebookReads, Cycles = ccu.Cycles,
        };
        foreach (var level in nodes)
            foreach (var node in level) now.Grants += node.Grants;
        for (int pe = 0; pe < n; pe++)
        {
            ref var s = ref pes[pe];
            now.PeEntries[pe] = s.Spmat.Entries;
            now.SpmatReads += s.Spmat.WordReads;
            now.PtrReads += s.Ptr.Reads;
            now.ActReads += s.ActRw.ActReads;
            now.ActWrites += s.ActRw.ActWrites;
            now.CodebookReads += s.Arith.CodebookReads;
            now.Macs += s.Arith.Macs;
            now.Pushes += s.Queue.Pushes;
            now.Pops += s.Queue.Pops;
            now.Offers += s.ActRw.Offers;
        }
        var b = before;
        long ccuCodebookReads = now.CcuCodebookReads - b.CcuCodebookReads;
        // Every codebook entry the CCU streams is written into every PE's codebook.
        var events = new LayerEvents(now.SpmatReads - b.SpmatReads, now.PtrReads - b.PtrReads, now.ActReads - b.ActReads,
            now.ActWrites - b.ActWrites, now.CodebookReads - b.CodebookReads, ccuCodebookReads * n, ccuCodebookReads,
            now.Macs - b.Macs, now.Pushes - b.Pushes, now.Pops - b.Pops, now.Offers - b.Offers, now.Grants - b.Grants);
        var stats = new LayerCycleStats(name, now.Cycles - b.Cycles, now.Cb - b.Cb, now.Compute - b.Compute, now.Wb - b.Wb,
            now.Stalls - b.Stalls, now.Broadcasts - b.Broadcasts,
            Difference(now.PeEntries, b.PeEntries), events);
        before = now;
        return stats;
    }

    private static long[] Difference(long[] now, long[] before)
    {
        var d = new long[now.Length];
        for (int k = 0; k < d.Length; k++) d[k] = now[k] - before[k];
        return d;
    }
}
