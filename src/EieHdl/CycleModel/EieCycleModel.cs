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
/// the CCU's tree_ready; each PE's act r/w unit, and its spmat path in event form at a push,
/// <see cref="Pe.PushColumn"/>), then their clock edges, and steps only what can change.
/// Every rule is the unit's own; see src/EieHdl/CycleModel/README.md. Assumes no PE error (an
/// entry addressing a row past the accumulators), which the RTL flags on error_o.
/// </para>
/// </summary>
public sealed partial class EieCycleModel
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

    // Unless everyCycle, each PE's spmat path is in event form: a push decides the column's
    // cycles through the path at once. Every act queue has room from cycle readyFrom, and every
    // spmat path is idle from cycle idleFrom (until the next push); popCycles holds each PE's
    // ring of its last pushes' pop cycles.
    private readonly bool everyCycle;
    private readonly PeSpmatTimes[] times;
    private readonly long[] popCycles;
    private long readyFrom, idleFrom;

    // The PEs whose act r/w unit may change next cycle (the others hold until an offer is taken
    // from them, a start pulse or a new layer), and how many scans and write-backs are not done.
    private readonly int[] rwList;
    private readonly bool[] rwListed;
    private int rwCount, scanBusy, wbBusy, rwLayer;

    /// <summary>A model of <paramref name="image"/> that steps only what can change (spmat paths in event form, held stalls at once).</summary>
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
        times = new PeSpmatTimes[n];
        popCycles = new long[n * depth];
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
        Array.Fill(times, PeSpmatTimes.Reset);
        Array.Fill(popCycles, -1);
        (readyFrom, idleFrom) = (0, 0);
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

            // The CCU's edge takes the PEs' flags of the start of this cycle; only the drain
            // senses idle, so the event form's idle is read only for a cycle that leads into one.
            bool lastLayer = ccu.Layer + 1 == image.Rows.Count;
            var next = ccu;
            Ccu.Commit(ref next, g, cbSize, start: false, placement.HasBias, lastLayer, rootIdx, placement.Inputs,
                allScanDone, allIdle, allWbDone);
            if (!everyCycle && next.Phase == CcuPhase.Drain)
            {
                next = ccu;
                Ccu.Commit(ref next, g, cbSize, start: false, placement.HasBias, lastLayer, rootIdx, placement.Inputs,
                    allScanDone, idleFrom <= now, allWbDone);
            }

            var control = new PeControl(g.BcPush, row.PtrBase + ccu.BcIdx0, g.ScanStart, placement.Inputs,
                g.WbStart, row.Outputs);
            int[] acts = layerInputs[row.LayerIndex];
            if (everyCycle) (allReady, allIdle, allScanDone, allWbDone) = StepPes(control, acts, ref treeDirty);
            else
            {
                treeDirty |= StepActRws(control, acts, treeStepped, g.ScanStart | g.WbStart | ccu.Layer != rwLayer);
                rwLayer = ccu.Layer;
                (allScanDone, allWbDone) = (scanBusy == 0, wbBusy == 0);
                if (g.BcPush) PushSpmatPaths(now, control.BcQ);
                // A scan-phase stall in which neither the tree nor an act r/w unit nor the CCU
                // changes repeats until the act queues have room (the drain also senses idle).
                else if (!treeDirty & rwCount == 0 & next.Phase == CcuPhase.Scan & readyFrom > now + 1
                    && Ccu.Holds(ccu, next))
                {
                    Ccu.Repeat(ref next, g, readyFrom - 1 - now);
                    now = readyFrom - 1;
                }
            }
            ccu = next;
            // A batched layer's figures are those of all its batches.
            if (g.LayerEnd && row.LastBatch) stats.Add(LayerStats(placement.Name, ccu, ref before));
        }
        SimulatedCycles += ccu.Cycles;
        return new CycleRun(layerRuns[^1].Outputs, ccu.Cycles, stats);
    }
}
