using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Golden;

namespace EieHdl.CycleModel;

/// <summary>
/// A cycle-exact timing model of the whole <c>eie_top</c>: given a <see cref="ModelImage"/> and
/// an input, it predicts the CCU's cycle counter (start to done) exactly as the RTL counts it,
/// and per-layer statistics. Values come from the <see cref="GoldenModel"/> (bit-exact with the
/// RTL); the model itself tracks only what timing depends on: which acts are non-zero, which
/// column indices travel where, column lengths, and the handshakes.
/// <para>
/// Approach: a two-phase, cycle-stepped re-implementation of every unit's timing rules, kept
/// in structure-of-arrays form over the PEs. Each cycle first evaluates every combinational
/// signal from the registers (CCU: tree_ready, scan_over, take_bias, drain_over, wb_start,
/// scan_start, bc_push; LNZD tree: each node's accept and grant, top-down from the CCU's
/// tree_ready; per PE: spmat col_ready -> ptr req_ready -> act queue pop), then applies the
/// clock edge to every register. Payloads that do not affect timing (acts, v, z, codebook,
/// accumulators) are not modelled. The existing units' Step() methods compute outputs and
/// edge at once, which cannot express the cross-unit combinational paths (col_ready ->
/// req_ready -> pop; push_ready -> all_ready -> tree_ready -> the tree's ready_o -> the
/// scan's pop), so each unit's rules are re-implemented here from its RTL template:
/// </para>
/// <list type="bullet">
/// <item>eie_act_queue: push_ready = count &lt; Depth (never looks at pop); push visible at pop next cycle.</item>
/// <item>eie_ptr_read: req_ready = !rsp_valid | rsp_ready; one cycle; a response held until taken.</item>
/// <item>eie_spmat_read: fetcher + two word slots; col_ready = (valid &amp; empty) | !f_valid | (issue &amp; is_last);
/// issue = f_valid &amp; !slot[tail].valid; one entry per cycle from slot[head].</item>
/// <item>eie_arith_unit: busy = s2 | s3 | s4, s2 = the spmat entry valid of the previous cycle.</item>
/// <item>eie_act_rw: scan issues a read while buffer + in-flight &lt;= 2, a non-zero read is pushed
/// into the 3-entry offer buffer a cycle later; write-back one row per cycle plus one cycle.</item>
/// <item>eie_lnzd_node: output register accepts when empty or taken; lowest-index valid child granted.</item>
/// <item>eie_ccu: Cb (CodebookSize + 1 cycles), Scan (guard of 2, ends on all scan done and tree empty),
/// Bias (one broadcast), Drain (broadcast empty and all PEs idle), Wb (guard of 2, all write-backs done).</item>
/// </list>
/// Assumes no PE error (an entry addressing a row past the accumulators), which the RTL flags on error_o.
/// </summary>
public sealed class EieCycleModel
{
    private const int StCb = 1, StScan = 2, StBias = 3, StDrain = 4, StWb = 5, StIdle = 0;

    private readonly EieConfig config;
    private readonly ModelImage image;
    private readonly GoldenModel golden;
    private readonly int n, depth, lane, lanes;
    private readonly int[][] pointers;

    // LNZD tree: level 0 over the PEs, the last level is the root alone.
    private readonly int[][] nodeChildren;    // per level, first child index of each node
    private readonly int[][] nodeChildCount;
    private readonly bool[][] nodeValid;
    private readonly int[][] nodeIdx;
    private readonly bool[][] nodeReady;      // ready_i of each node during the current cycle

    // Per-PE state (structure of arrays).
    private readonly int[] qBuf, qHead, qCount;
    private readonly bool[] rspValid;
    private readonly long[] rspStart, rspEnd;
    private readonly bool[] fValid;
    private readonly long[] fWord, fLastWord;
    private readonly int[] fLo, fLastLane;
    private readonly int[] slotRem;           // [pe * 2 + s]: entries left, 0 = slot free
    private readonly int[] sHead, sTail;
    private readonly int[] arith;             // bit 0: s2, bit 1: s3, bit 2: s4
    private readonly bool[] scanOn, inflight;
    private readonly int[] scanJ, inflightIdx, bufCnt, buf;  // buf [pe * 3 + k]
    private readonly bool[] wbOn, wbV1;
    private readonly int[] wbJ;
    private readonly bool[] pePop;            // this cycle's offer taken by the tree
    private readonly long[] peEntries;

    public EieCycleModel(ModelImage image)
    {
        this.image = image;
        config = image.Config;
        golden = new GoldenModel(image);
        n = config.Pes;
        depth = config.ActQueueDepth;
        lanes = config.EntriesPerWord;
        lane = 0;
        while ((1 << lane) < lanes) lane++;
        pointers = image.Pes.Select(p => p.Pointers).ToArray();

        var shape = Hardware.LnzdTree.ShapeOf(n, Math.Max(2, config.LnzdFanIn));
        int levels = shape.Count;
        nodeChildren = new int[levels][];
        nodeChildCount = new int[levels][];
        nodeValid = new bool[levels][];
        nodeIdx = new int[levels][];
        nodeReady = new bool[levels][];
        for (int l = 0; l < levels; l++)
        {
            int count = shape[l].Count;
            nodeChildren[l] = new int[count];
            nodeChildCount[l] = new int[count];
            int first = 0;
            for (int k = 0; k < count; k++)
            {
                nodeChildren[l][k] = first;
                nodeChildCount[l][k] = shape[l][k];
                first += shape[l][k];
            }
            nodeValid[l] = new bool[count];
            nodeIdx[l] = new int[count];
            nodeReady[l] = new bool[count];
        }

        qBuf = new int[n * depth]; qHead = new int[n]; qCount = new int[n];
        rspValid = new bool[n]; rspStart = new long[n]; rspEnd = new long[n];
        fValid = new bool[n]; fWord = new long[n]; fLastWord = new long[n]; fLo = new int[n]; fLastLane = new int[n];
        slotRem = new int[n * 2]; sHead = new int[n]; sTail = new int[n];
        arith = new int[n];
        scanOn = new bool[n]; inflight = new bool[n]; scanJ = new int[n]; inflightIdx = new int[n];
        bufCnt = new int[n]; buf = new int[n * 3];
        wbOn = new bool[n]; wbV1 = new bool[n]; wbJ = new int[n];
        pePop = new bool[n];
        peEntries = new long[n];
    }

    public ModelImage Image => image;

    /// <summary>Simulated cycles over this model's lifetime (for speed measurements).</summary>
    public long SimulatedCycles { get; private set; }

    /// <summary>Runs every layer on <paramref name="input"/> (acts in fixed point, length of layer 0's inputs).</summary>
    public CycleRun Run(ReadOnlySpan<int> input)
    {
        var layerRuns = golden.RunChainLayers(input);
        var layerInputs = new int[image.Layers.Count][];
        layerInputs[0] = input.ToArray();
        for (int l = 1; l < layerInputs.Length; l++) layerInputs[l] = layerRuns[l - 1].Outputs;

        ResetState();
        var stats = new List<LayerCycleStats>();
        int layer = 0;
        int state = StCb, cbK = 0, guard = 0;
        bool bcValid = false;
        int bcIdx = 0;
        long cycles = 0;
        long layerStart = 0, cbCycles = 0, computeCycles = 0, wbCycles = 0, stalls = 0, broadcasts = 0;
        int cbFull = config.CodebookSize;
        int levels = nodeValid.Length;
        int root = levels - 1;

        var placement = image.Layers[0];
        int[] acts = layerInputs[0];

        // Aggregates over the PEs and the tree, from the registers of the current cycle; each
        // cycle's edge recomputes them for the next cycle (all true after reset).
        bool allReady = true, allIdle = true, allScanDone = true, allWbDone = true, treeBusy = false;
        while (state != StIdle)
        {
            // ---- CCU, combinational ----
            bool bcFree = !bcValid || allReady;
            bool treeReady = state == StScan && bcFree;
            bool takeTree = nodeValid[root][0] && treeReady;
            bool scanOver = guard == 2 && allScanDone && !treeBusy;
            bool takeBias = state == StBias && bcFree;
            bool drainOver = !bcValid && allIdle;
            bool wbStart = state == StDrain && drainOver;
            bool scanStart = state == StCb && cbK == cbFull;
            bool bcPush = bcValid && allReady;
            bool wbOver = guard == 2 && allWbDone;
            if (bcValid && !allReady) stalls++;
            if (bcPush) broadcasts++;

            int rootIdx = nodeIdx[root][0];
            // ---- LNZD tree: top-down accept/grant, then each node's edge (children read before they change) ----
            nodeReady[root][0] = treeReady;
            for (int l = root; l >= 0; l--)
            {
                var valid = nodeValid[l];
                var idx = nodeIdx[l];
                var ready = nodeReady[l];
                var firstChild = nodeChildren[l];
                var childCount = nodeChildCount[l];
                for (int k = 0; k < valid.Length; k++)
                {
                    bool accept = !valid[k] || ready[k];
                    int c0 = firstChild[k], cn = childCount[k];
                    int grant = -1;
                    if (l == 0)
                    {
                        for (int c = 0; c < cn; c++)
                        {
                            pePop[c0 + c] = false;
                            if (grant < 0 && bufCnt[c0 + c] != 0) grant = c0 + c;
                        }
                        if (accept)
                        {
                            valid[k] = grant >= 0;
                            if (grant >= 0) { idx[k] = buf[3 * grant]; pePop[grant] = true; }
                        }
                    }
                    else
                    {
                        var cValid = nodeValid[l - 1];
                        var cReady = nodeReady[l - 1];
                        for (int c = 0; c < cn; c++)
                        {
                            cReady[c0 + c] = false;
                            if (grant < 0 && cValid[c0 + c]) grant = c0 + c;
                        }
                        if (accept)
                        {
                            valid[k] = grant >= 0;
                            if (grant >= 0) { idx[k] = nodeIdx[l - 1][grant]; cReady[grant] = true; }
                        }
                    }
                }
            }

            bool nextTreeBusy = false;
            for (int l = 0; l < levels && !nextTreeBusy; l++)
                foreach (bool v in nodeValid[l]) if (v) { nextTreeBusy = true; break; }

            // ---- PEs: combinational chain col_ready -> req_ready -> pop, then the edge ----
            int ptrBase = placement.PtrBase, inLen = placement.Inputs, outLen = placement.Outputs;
            bool nextReady = true, nextIdle = true, nextScanDone = true, nextWbDone = true;
            for (int pe = 0; pe < n; pe++)
            {
                // spmat read
                int tail = sTail[pe], head = sHead[pe];
                bool issue = fValid[pe] && slotRem[2 * pe + tail] == 0;
                bool isLast = fWord[pe] == fLastWord[pe];
                bool colValid = rspValid[pe];
                bool colEmpty = rspStart[pe] == rspEnd[pe];
                bool colReady = (colValid && colEmpty) || !fValid[pe] || (issue && isLast);
                bool reqReady = !colValid || colReady;
                bool pop = qCount[pe] > 0 && reqReady;
                bool emit = slotRem[2 * pe + head] != 0;

                // arithmetic unit pipeline
                arith[pe] = ((arith[pe] << 1) | (emit ? 1 : 0)) & 7;

                // spmat edge: emitter, fetcher, column take
                if (emit)
                {
                    peEntries[pe]++;
                    if (--slotRem[2 * pe + head] == 0) sHead[pe] = head ^ 1;
                }
                if (issue)
                {
                    int last = isLast ? fLastLane[pe] : lanes - 1;
                    slotRem[2 * pe + tail] = last - fLo[pe] + 1;
                    sTail[pe] = tail ^ 1;
                    if (isLast) fValid[pe] = false;
                    else { fWord[pe]++; fLo[pe] = 0; }
                }
                if (colValid && colReady && !colEmpty)
                {
                    long start = rspStart[pe], lastEntry = rspEnd[pe] - 1;
                    fValid[pe] = true;
                    fWord[pe] = start >> lane;
                    fLo[pe] = (int)(start & (lanes - 1));
                    fLastWord[pe] = lastEntry >> lane;
                    fLastLane[pe] = (int)(lastEntry & (lanes - 1));
                }

                // ptr read edge
                if (pop)
                {
                    int q = ptrBase + qBuf[pe * depth + qHead[pe]];
                    var p = pointers[pe];
                    rspStart[pe] = p[q];
                    rspEnd[pe] = p[q + 1];
                    rspValid[pe] = true;
                    qHead[pe] = qHead[pe] + 1 == depth ? 0 : qHead[pe] + 1;
                    qCount[pe]--;
                }
                else if (colReady) rspValid[pe] = false;

                // act queue push (all_ready implies this queue had room at the start of the cycle)
                if (bcPush)
                {
                    int at = qHead[pe] + qCount[pe];
                    if (at >= depth) at -= depth;
                    qBuf[pe * depth + at] = bcIdx;
                    qCount[pe]++;
                }

                // act r/w: scan and offer buffer
                int cnt = bufCnt[pe];
                bool scanIssue = scanOn[pe] && cnt + (inflight[pe] ? 1 : 0) <= 2;
                bool push = inflight[pe] && acts[inflightIdx[pe]] != 0;
                bool popOffer = pePop[pe];
                int b = 3 * pe;
                if (popOffer) { buf[b] = buf[b + 1]; buf[b + 1] = buf[b + 2]; }
                if (push) buf[b + cnt - (popOffer ? 1 : 0)] = inflightIdx[pe];
                bufCnt[pe] = cnt + (push ? 1 : 0) - (popOffer ? 1 : 0);
                inflight[pe] = scanIssue;
                if (scanIssue) inflightIdx[pe] = scanJ[pe];
                if (scanStart) { scanOn[pe] = pe < inLen; scanJ[pe] = pe; }
                else if (scanIssue) { scanJ[pe] += n; scanOn[pe] = scanJ[pe] < inLen; }

                // act r/w: write-back
                wbV1[pe] = wbOn[pe];
                if (wbStart) { wbOn[pe] = pe < outLen; wbJ[pe] = pe; }
                else if (wbOn[pe]) { wbJ[pe] += n; wbOn[pe] = wbJ[pe] < outLen; }

                // this PE's share of next cycle's aggregates
                if (qCount[pe] >= depth) nextReady = false;
                if (qCount[pe] != 0 || rspValid[pe] || fValid[pe] || slotRem[2 * pe] != 0 || slotRem[2 * pe + 1] != 0 || arith[pe] != 0)
                    nextIdle = false;
                if (scanOn[pe] || inflight[pe] || bufCnt[pe] != 0) nextScanDone = false;
                if (wbOn[pe] || wbV1[pe]) nextWbDone = false;
            }

            // ---- CCU edge ----
            bcValid = takeTree || takeBias || (bcValid && !allReady);
            if (takeTree) bcIdx = rootIdx;
            else if (takeBias) bcIdx = placement.Inputs;
            cycles++;
            switch (state)
            {
                case StCb: cbCycles++; break;
                case StWb: wbCycles++; break;
                default: computeCycles++; break;
            }
            if (guard != 2) guard++;
            switch (state)
            {
                case StCb:
                    if (cbK == cbFull) { state = StScan; guard = 0; }
                    else cbK++;
                    break;
                case StScan:
                    if (scanOver) state = placement.HasBias ? StBias : StDrain;
                    break;
                case StBias:
                    if (takeBias) state = StDrain;
                    break;
                case StDrain:
                    if (drainOver) { state = StWb; guard = 0; }
                    break;
                case StWb:
                    if (wbOver)
                    {
                        cbK = 0;
                        stats.Add(new LayerCycleStats(placement.Name, cycles - layerStart, cbCycles, computeCycles, wbCycles,
                            stalls, broadcasts, (long[])peEntries.Clone()));
                        layerStart = cycles;
                        cbCycles = computeCycles = wbCycles = stalls = broadcasts = 0;
                        Array.Clear(peEntries);
                        if (layer + 1 == image.Layers.Count) state = StIdle;
                        else
                        {
                            state = StCb;
                            layer++;
                            placement = image.Layers[layer];
                            acts = layerInputs[layer];
                        }
                    }
                    break;
            }
            allReady = nextReady; allIdle = nextIdle; allScanDone = nextScanDone; allWbDone = nextWbDone; treeBusy = nextTreeBusy;
        }
        SimulatedCycles += cycles;
        return new CycleRun(layerRuns[^1].Outputs, cycles, stats);
    }

    private void ResetState()
    {
        foreach (var level in nodeValid) Array.Clear(level);
        Array.Clear(qHead); Array.Clear(qCount); Array.Clear(rspValid); Array.Clear(fValid);
        Array.Clear(slotRem); Array.Clear(sHead); Array.Clear(sTail); Array.Clear(arith);
        Array.Clear(scanOn); Array.Clear(inflight); Array.Clear(bufCnt); Array.Clear(wbOn); Array.Clear(wbV1);
        Array.Clear(peEntries);
    }
}
