using System.Runtime.CompilerServices;
using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Golden;
using EieHdl.Hardware;

namespace EieHdl.CycleModel;

/// <summary>
/// A cycle-exact timing model of the whole <c>eie_top</c>: given a <see cref="ModelImage"/> and
/// an input, it predicts the CCU's cycle counter (start to done) exactly as the RTL counts it,
/// per-layer statistics and the units' events. Values come from the <see cref="GoldenModel"/>
/// (bit-exact with the RTL); timing needs only which acts are non-zero.
/// <para>
/// An orchestrator: it owns the units' states (the CCU's, the LNZD nodes' by level, the PEs'
/// as an array of <see cref="PeState"/>) and, each cycle, calls the units' evaluate steps in
/// dependency order (CCU from its registers and the PEs' flags; LNZD nodes root first, from
/// the CCU's tree_ready; each PE's col_ready -> req_ready -> pop inside
/// <see cref="Pe.StepTiming"/>), then their clock edges. Every rule is the unit's own; see
/// src/EieHdl/CycleModel/README.md. Assumes no PE error (an entry addressing a row past the
/// accumulators), which the RTL flags on error_o.
/// </para>
/// </summary>
public sealed class EieCycleModel
{
    private readonly EieConfig config;
    private readonly ModelImage image;
    private readonly GoldenModel golden;
    private readonly PeTiming timing;
    private readonly int n, depth;
    // The PEs' ptr memories by column (p[q] of PE pe at q * n + pe): the PEs read the same few
    // columns at any time, which then share cache lines (each PE's own memory is a cache miss a read).
    private readonly int[] pointers;

    // LNZD tree, level 0 over the PEs, the last level the root alone: each node's first child
    // and child count, its state, and the ready_o it drove to each child this cycle.
    private readonly int[][] firstChild, childCount;
    private readonly LnzdNodeState[][] nodes;
    private readonly bool[][] readyDown;

    private readonly PeState[] pes;
    private readonly int[] queues;

    // Each PE's spmat path is stepped only when a push reaches it or its flags are sensed
    // (unless everyCycle): its state is that at the start of cycle pathTime[pe], and no push
    // reaches any PE before cycle readyFrom (the last cycle a full act queue pops, plus one).
    private readonly bool everyCycle;
    private readonly long[] pathTime;
    private long readyFrom;

    // The PEs whose act r/w unit may change next cycle (the others hold until an offer is taken
    // from them, a start pulse or a new layer), and how many scans and write-backs are not done.
    private readonly int[] rwList;
    private readonly bool[] rwListed;
    private int rwCount, scanBusy, wbBusy, rwLayer;

    /// <summary>A model of <paramref name="image"/> that skips the cycles in which a PE only streams entries.</summary>
    public EieCycleModel(ModelImage image) : this(image, everyCycle: false) { }

    /// <summary>
    /// A model of <paramref name="image"/>; with <paramref name="everyCycle"/> it steps every
    /// unit of every PE in every cycle (the plain reference the faster default is tested against).
    /// </summary>
    public EieCycleModel(ModelImage image, bool everyCycle)
    {
        this.image = image;
        this.everyCycle = everyCycle;
        config = image.Config;
        golden = new GoldenModel(image);
        timing = new PeTiming(config);
        n = config.Pes;
        depth = config.ActQueueDepth;
        pointers = new int[image.Pes.Max(p => p.Pointers.Length) * n];
        for (int pe = 0; pe < n; pe++)
            for (int q = 0; q < image.Pes[pe].Pointers.Length; q++) pointers[q * n + pe] = image.Pes[pe].Pointers[q];
        var shape = LnzdTree.ShapeOf(n, Math.Max(2, config.LnzdFanIn));
        firstChild = shape.Select(level => level.Select((_, k) => level.Take(k).Sum()).ToArray()).ToArray();
        childCount = shape.Select(level => level.ToArray()).ToArray();
        nodes = shape.Select(level => new LnzdNodeState[level.Count]).ToArray();
        readyDown = shape.Select(level => new bool[level.Sum()]).ToArray();
        pes = new PeState[n];
        queues = new int[n * depth];
        pathTime = new long[n];
        rwList = new int[n];
        rwListed = new bool[n];
    }

    public ModelImage Image => image;

    /// <summary>Simulated cycles over this model's lifetime (for speed measurements).</summary>
    public long SimulatedCycles { get; private set; }

    /// <summary>Runs every layer on <paramref name="input"/> (acts in fixed point, length of layer 0's inputs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public CycleRun Run(ReadOnlySpan<int> input)
    {
        var layerRuns = golden.RunChainLayers(input);
        var layerInputs = new int[image.Layers.Count][];
        layerInputs[0] = input.ToArray();
        for (int l = 1; l < layerInputs.Length; l++) layerInputs[l] = layerRuns[l - 1].Outputs;

        foreach (var level in nodes) Array.Clear(level);
        Array.Clear(pes);
        Array.Clear(pathTime);
        readyFrom = 0;
        (rwCount, scanBusy, wbBusy, rwLayer) = (0, 0, 0, -1);
        Array.Clear(rwListed);
        var stats = new List<LayerCycleStats>();
        var before = new Totals(new long[n]);
        int cbSize = config.CodebookSize;
        // The host's start: the CCU leaves Idle with every PE flag high, as after reset.
        var ccu = CcuState.Reset;
        Ccu.Commit(ref ccu, Ccu.Evaluate(ccu, cbSize, default), cbSize, start: true, false, false, 0, 0, true, true, true);
        // The PEs' flags as seen this cycle (from their registers), and whether the tree may change.
        bool allReady = true, allIdle = true, allScanDone = true, allWbDone = true, treeBusy = false, treeDirty = false;
        var root = nodes[^1];
        for (long now = 0; ccu.Phase != CcuPhase.Idle; now++)
        {
            var row = image.Rows[ccu.Layer];
            var placement = row.Layer;
            if (!everyCycle) allReady = readyFrom <= now;
            var g = Ccu.Evaluate(ccu, cbSize, new CcuSense(root[0].Valid, treeBusy, allReady, placement.HasBias));
            int rootIdx = root[0].Idx;
            bool treeStepped = g.TreeReady || treeDirty;
            if (treeStepped) (treeDirty, treeBusy) = StepTree(g.TreeReady);

            // The CCU's edge takes the PEs' flags of the start of this cycle. Only the drain
            // senses idle, so the skipping model finds it only for a cycle that leads into one.
            bool lastLayer = ccu.Layer + 1 == image.Rows.Count;
            var next = ccu;
            Ccu.Commit(ref next, g, cbSize, start: false, placement.HasBias, lastLayer, rootIdx, placement.Inputs,
                allScanDone, allIdle, allWbDone);
            if (!everyCycle && next.Phase == CcuPhase.Drain)
            {
                next = ccu;
                Ccu.Commit(ref next, g, cbSize, start: false, placement.HasBias, lastLayer, rootIdx, placement.Inputs,
                    allScanDone, SpmatPathsIdle(now), allWbDone);
            }

            var control = new PeControl(g.BcPush, row.PtrBase + ccu.BcIdx0, g.ScanStart, placement.Inputs,
                g.WbStart, row.Outputs);
            int[] acts = layerInputs[row.LayerIndex];
            bool nextReady = true, nextIdle = true, nextScanDone = true, nextWbDone = true;
            var offerReady = readyDown[0];
            if (everyCycle)
            {
                for (int pe = 0; pe < n; pe++)
                {
                    ref var st = ref pes[pe];
                    bool offered = ActRw.OfferValid(st.ActRw);
                    Pe.StepActRw(ref st, timing, pe, control, offerReady[pe], acts);
                    offerReady[pe] = false;
                    treeDirty |= !offered & ActRw.OfferValid(st.ActRw);
                    nextScanDone &= ActRw.ScanDone(st.ActRw);
                    nextWbDone &= ActRw.WbDone(st.ActRw);
                    Pe.StepSpmatPath(ref st, timing, g.BcPush, control.BcQ, queues.AsSpan(pe * depth, depth), pointers.AsSpan(pe));
                    nextReady &= ActQueue.PushReady(st.Queue, depth);
                    nextIdle &= Pe.Idle(st);
                }
            }
            else
            {
                treeDirty |= StepActRws(control, acts, treeStepped, g.ScanStart | g.WbStart | ccu.Layer != rwLayer);
                rwLayer = ccu.Layer;
                (nextScanDone, nextWbDone) = (scanBusy == 0, wbBusy == 0);
                if (g.BcPush) PushSpmatPaths(now, control.BcQ);
            }

            ccu = next;
            (allReady, allIdle, allScanDone, allWbDone) = (nextReady, nextIdle, nextScanDone, nextWbDone);
            if (g.LayerEnd)
            {
                if (!everyCycle) SpmatPathsIdle(now + 1);
                // A batched layer's figures are those of all its batches.
                if (row.LastBatch) stats.Add(LayerStats(placement.Name, ccu, ref before));
            }
        }
        SimulatedCycles += ccu.Cycles;
        return new CycleRun(layerRuns[^1].Outputs, ccu.Cycles, stats);
    }

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
    /// every PE's spmat path, each advanced to it first; a PE whose act queue it fills is stepped
    /// on to its next pop, and no push comes before the last of those has room.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PushSpmatPaths(long now, int bcQ)
    {
        readyFrom = now + 1;
        for (int pe = 0; pe < n; pe++)
        {
            ref var st = ref pes[pe];
            var queue = queues.AsSpan(pe * depth, depth);
            var ptrs = pointers.AsSpan(pe);
            Pe.AdvanceSpmatPath(ref st, timing, now - pathTime[pe], queue, ptrs);
            Pe.StepSpmatPath(ref st, timing, true, bcQ, queue, ptrs);
            pathTime[pe] = now + 1 + Pe.StepsToRoom(ref st, timing, queue, ptrs);
            readyFrom = Math.Max(readyFrom, pathTime[pe]);
        }
    }

    /// <summary>
    /// Whether every PE's spmat path is idle at the start of cycle <paramref name="now"/>, each
    /// advanced to it; a PE already past it holds a full act queue, so is not idle.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool SpmatPathsIdle(long now)
    {
        bool idle = true;
        for (int pe = 0; pe < n; pe++)
        {
            if (pathTime[pe] > now)
            {
                idle = false;
                continue;
            }
            Pe.AdvanceSpmatPath(ref pes[pe], timing, now - pathTime[pe], queues.AsSpan(pe * depth, depth), pointers.AsSpan(pe));
            pathTime[pe] = now;
            idle &= Pe.Idle(pes[pe]);
        }
        return idle;
    }

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
