using System.Runtime.CompilerServices;
using EieHdl.Hardware;

namespace EieHdl.CycleModel;

/// <summary>The LNZD tree's cycle, and the every-cycle stepping of the PEs that the faster default is checked against.</summary>
public sealed partial class EieCycleModel
{
    /// <summary>
    /// One cycle of the LNZD tree, root first: each node's grant from its register, its parent's
    /// ready and its children's valid, then its edge (its children are read before they change).
    /// Returns whether a node changed (the tree may change next cycle without new offers) and
    /// whether any node holds an offer after the edge.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (bool Changed, bool Busy) StepTree(bool treeReady)
    {
        bool changed = false, busy = false;
        int top = nodes.Length - 1;
        for (int l = top; l >= 0; l--)
        {
            var level = nodes[l];
            bool[] ready = readyDown[l], readyIn = l == top ? [] : readyDown[l + 1];
            int[] first = firstChild[l], count = childCount[l];
            for (int k = 0; k < level.Length; k++)
            {
                ref var node = ref level[k];
                bool nodeReady = l == top ? treeReady : readyIn[k];
                if (l != top) readyIn[k] = false;
                int c0 = first[k];
                uint childValid = 0;
                for (int c = 0; c < count[k]; c++)
                    if (l == 0 ? ActRw.OfferValid(pes[c0 + c].ActRw) : nodes[l - 1][c0 + c].Valid) childValid |= 1u << c;
                int winner = LnzdNode.Grant(node, nodeReady, childValid, out bool accept);
                changed |= accept && (node.Valid || winner >= 0);
                int idx = winner < 0 ? 0 : l == 0 ? pes[c0 + winner].ActRw.BufIdx[0] : nodes[l - 1][c0 + winner].Idx;
                if (LnzdNode.Commit(ref node, accept, winner, idx)) ready[c0 + winner] = true;
                busy |= node.Valid;
            }
        }
        return (changed, busy);
    }

    /// <summary>
    /// One cycle of every unit of every PE (act r/w unit and spmat path, the latter by
    /// <see cref="Pe.StepSpmatPath"/>); returns the PEs' flags for the next cycle and marks the
    /// tree dirty when a PE offered anew.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (bool Ready, bool Idle, bool ScanDone, bool WbDone) StepPes(in PeControl control, int[] acts, ref bool treeDirty)
    {
        bool ready = true, idle = true, scanDone = true, wbDone = true;
        var offerReady = readyDown[0];
        for (int pe = 0; pe < n; pe++)
        {
            ref var st = ref pes[pe];
            bool offered = ActRw.OfferValid(st.ActRw);
            Pe.StepActRw(ref st, timing, pe, control, offerReady[pe], acts);
            offerReady[pe] = false;
            treeDirty |= !offered & ActRw.OfferValid(st.ActRw);
            scanDone &= ActRw.ScanDone(st.ActRw);
            wbDone &= ActRw.WbDone(st.ActRw);
            Pe.StepSpmatPath(ref st, timing, control.BcPush, control.BcQ, queues.AsSpan(pe * depth, depth), pointers.AsSpan(pe));
            ready &= ActQueue.PushReady(st.Queue, depth);
            idle &= Pe.Idle(st);
        }
        return (ready, idle, scanDone, wbDone);
    }
}
