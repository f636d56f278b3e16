using System.Runtime.CompilerServices;
using EieHdl.Hardware;

namespace EieHdl.CycleModel;

/// <summary>The orchestrator's bookkeeping of which units can change in a cycle, so that the model steps only those (the rules stay in the units' own cycle code).</summary>
public sealed partial class EieCycleModel
{
    /// <summary>
    /// One cycle of the act r/w units that may change: those listed, those whose offer the tree
    /// took (after <paramref name="treeStepped"/>), or all (<paramref name="all"/>). Keeps the
    /// scan and write-back flags' counts; returns whether a PE offered anew.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool StepActRws(in PeControl control, int[] acts, bool treeStepped, bool all)
    {
        var offerReady = readyDown[0];
        if (all)
        {
            rwCount = n;
            for (int pe = 0; pe < n; pe++) (rwList[pe], rwListed[pe]) = (pe, true);
        }
        else if (treeStepped)
        {
            for (int pe = 0; pe < n; pe++)
                if (offerReady[pe] && !rwListed[pe]) (rwList[rwCount++], rwListed[pe]) = (pe, true);
        }
        bool offeredAnew = false;
        int kept = 0;
        for (int k = 0; k < rwCount; k++)
        {
            int pe = rwList[k];
            ref var rw = ref pes[pe].ActRw;
            bool offered = ActRw.OfferValid(rw);
            scanBusy -= ActRw.ScanDone(rw) ? 0 : 1;
            wbBusy -= ActRw.WbDone(rw) ? 0 : 1;
            Pe.StepActRw(ref pes[pe], timing, pe, control, offerReady[pe], acts);
            offerReady[pe] = false;
            offeredAnew |= !offered & ActRw.OfferValid(rw);
            scanBusy += ActRw.ScanDone(rw) ? 0 : 1;
            wbBusy += ActRw.WbDone(rw) ? 0 : 1;
            bool holds = ActRw.Holds(rw, timing.ActRw, offerReady: false, scanStart: false, wbStart: false, control.OutLen);
            if (holds) rwListed[pe] = false;
            else rwList[kept++] = pe;
        }
        rwCount = kept;
        return offeredAnew;
    }

    /// <summary>
    /// The broadcast of cycle <paramref name="now"/> (pointer index <paramref name="bcQ"/>) into
    /// every PE's spmat path in event form: the cycles from which every act queue has room and
    /// every path is idle.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PushSpmatPaths(long now, int bcQ)
    {
        long ready = 0, idle = idleFrom;
        var column = pointers.AsSpan(bcQ * n, 2 * n);
        for (int pe = 0; pe < n; pe++)
        {
            ref var t = ref times[pe];
            ready = CycleTime.Later(ready, Pe.PushColumn(ref pes[pe], ref t, timing, now, column[pe], column[n + pe],
                popCycles.AsSpan(pe * depth, depth)));
            idle = CycleTime.Later(idle, t.IdleFrom);
        }
        (readyFrom, idleFrom) = (ready, idle);
    }
}
