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
/// req_ready -> pop; tree_ready -> the tree's ready_o -> the scan's pop), so each unit's rules are re-implemented here from its RTL template:
/// </para>
/// <list type="bullet">
/// <item>eie_act_queue: push_ready = count &lt; Depth (never looks at pop); push visible at pop next cycle.</item>
/// <item>eie_ptr_read: req_ready = !rsp_valid | rsp_ready; one cycle; a response held until taken.</item>
/// <item>eie_spmat_read: column register + fetcher + two word slots; col_ready = !b_valid | b_leave,
/// b_leave = b_valid &amp; (b_empty | !f_valid | (issue &amp; is_last)); issue = f_valid &amp; !slot[tail].valid;
/// one entry per cycle from slot[head].</item>
/// <item>eie_arith_unit: busy = s1 | s2 | s3 | s4, s1 = the spmat entry valid of the previous cycle.</item>
/// <item>eie_act_rw: scan issues a read while buffer + in-flight &lt;= 2, a non-zero read is pushed
/// into the 3-entry offer buffer a cycle later; write-back one row per cycle plus two cycles.</item>
/// <item>eie_lnzd_node: output register accepts when empty or taken; lowest-index valid child granted.</item>
/// <item>eie_ccu: a two-entry broadcast buffer (tree_ready = Scan &amp; not full, from the count;
/// the head goes to every act queue when all have room); Cb (CodebookSize + 1 cycles), Scan (guard of 2, ends on all scan done and tree empty),
/// Bias (one broadcast), Drain (broadcast empty and all PEs idle), Wb (guard of 2, all write-backs done).</item>
/// </list>
/// Assumes no PE error (an entry addressing a row past the accumulators), which the RTL flags on error_o.
/// </summary>
public sealed class EieCycleModel
{
    // The arithmetic unit's valid bits, S1 (the entry register) to S4: busy_o is their OR.
    private const int ArithMask = 0b1111;
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

    private readonly PeState[] pes;
    private readonly int[] qBuf;
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

        qBuf = new int[n * depth];
        pes = new PeState[n];
        peEntries = new long[n];
    }

    /// <summary>One PE's timing state: act queue, ptr response, spmat fetcher and slots, arithmetic pipeline, act r/w.</summary>
    private struct PeState
    {
        public int QHead, QCount;
        public bool RspValid;
        public long RspStart, RspEnd;
        public bool BValid;         // spmat column register
        public long BStart, BEnd;
        public bool FValid;
        public long FWord, FLastWord;
        public int FLo, FLastLane;
        public int Slot0, Slot1;    // entries left in each word slot, 0 = free
        public int SHead, STail;
        public int Arith;           // bit 0: s1 (the entry register), bit 1: s2, bit 2: s3, bit 3: s4
        public bool ScanOn, Inflight;
        public int ScanJ, InflightIdx, BufCnt, Buf0, Buf1, Buf2;
        public bool WbOn, WbV1, WbV2;
        public int WbJ;
        public bool Pop;            // this cycle's offer taken by the tree
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
        // The CCU's two-entry broadcast buffer (column indices; entry 0 is broadcast).
        int bcCount = 0, bcIdx = 0, bcIdx1 = 0;
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
        // The CCU's input registers of the PEs' flags (a cycle late) and of its last broadcast.
        bool allIdleQ = true, allScanDoneQ = true, allWbDoneQ = true, bcFiredQ = false;
        while (state != StIdle)
        {
            // ---- CCU, combinational ----
            bool bcValid = bcCount != 0;
            bool bcFree = bcCount != 2;
            bool treeReady = state == StScan && bcFree;
            bool takeTree = nodeValid[root][0] && treeReady;
            bool scanOver = guard == 2 && allScanDoneQ && !treeBusy;
            bool takeBias = state == StBias && bcFree;
            bool drainOver = !bcValid && !bcFiredQ && allIdleQ;
            bool wbStart = state == StDrain && drainOver;
            bool scanStart = state == StCb && cbK == cbFull;
            bool bcPush = bcValid && allReady;
            bool wbOver = guard == 2 && allWbDoneQ;
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
                            pes[c0 + c].Pop = false;
                            if (grant < 0 && pes[c0 + c].BufCnt != 0) grant = c0 + c;
                        }
                        if (accept)
                        {
                            valid[k] = grant >= 0;
                            if (grant >= 0) { idx[k] = pes[grant].Buf0; pes[grant].Pop = true; }
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
                ref var st = ref pes[pe];
                // spmat read
                int tail = st.STail, head = st.SHead;
                bool issue = st.FValid && (tail == 0 ? st.Slot0 : st.Slot1) == 0;
                bool isLast = st.FWord == st.FLastWord;
                bool colValid = st.RspValid;
                bool bEmpty = st.BStart == st.BEnd;
                bool bLeave = st.BValid && (bEmpty || !st.FValid || (issue && isLast));
                bool colReady = !st.BValid || bLeave;
                bool reqReady = !colValid || colReady;
                bool pop = st.QCount > 0 && reqReady;
                bool emit = (head == 0 ? st.Slot0 : st.Slot1) != 0;

                // arithmetic unit pipeline
                st.Arith = ((st.Arith << 1) | (emit ? 1 : 0)) & ArithMask;

                // spmat edge: emitter, fetcher, column take
                if (emit)
                {
                    peEntries[pe]++;
                    if ((head == 0 ? --st.Slot0 : --st.Slot1) == 0) st.SHead = head ^ 1;
                }
                if (issue)
                {
                    int last = isLast ? st.FLastLane : lanes - 1;
                    if (tail == 0) st.Slot0 = last - st.FLo + 1; else st.Slot1 = last - st.FLo + 1;
                    st.STail = tail ^ 1;
                    if (isLast) st.FValid = false;
                    else { st.FWord++; st.FLo = 0; }
                }
                if (bLeave && !bEmpty)
                {
                    long start = st.BStart, lastEntry = st.BEnd - 1;
                    st.FValid = true;
                    st.FWord = start >> lane;
                    st.FLo = (int)(start & (lanes - 1));
                    st.FLastWord = lastEntry >> lane;
                    st.FLastLane = (int)(lastEntry & (lanes - 1));
                }
                if (colReady)
                {
                    st.BValid = colValid;
                    st.BStart = st.RspStart;
                    st.BEnd = st.RspEnd;
                }

                // ptr read edge
                if (pop)
                {
                    int q = ptrBase + qBuf[pe * depth + st.QHead];
                    var p = pointers[pe];
                    st.RspStart = p[q];
                    st.RspEnd = p[q + 1];
                    st.RspValid = true;
                    st.QHead = st.QHead + 1 == depth ? 0 : st.QHead + 1;
                    st.QCount--;
                }
                else if (colReady) st.RspValid = false;

                // act queue push (all_ready implies this queue had room at the start of the cycle)
                if (bcPush)
                {
                    int at = st.QHead + st.QCount;
                    if (at >= depth) at -= depth;
                    qBuf[pe * depth + at] = bcIdx;
                    st.QCount++;
                }

                // act r/w: scan and offer buffer
                int cnt = st.BufCnt;
                bool scanIssue = st.ScanOn && cnt + (st.Inflight ? 1 : 0) <= 2;
                bool push = st.Inflight && acts[st.InflightIdx] != 0;
                bool popOffer = st.Pop;
                                if (popOffer) { st.Buf0 = st.Buf1; st.Buf1 = st.Buf2; }
                if (push)
                {
                    int at = cnt - (popOffer ? 1 : 0);
                    if (at == 0) st.Buf0 = st.InflightIdx; else if (at == 1) st.Buf1 = st.InflightIdx; else st.Buf2 = st.InflightIdx;
                }
                st.BufCnt = cnt + (push ? 1 : 0) - (popOffer ? 1 : 0);
                st.Inflight = scanIssue;
                if (scanIssue) st.InflightIdx = st.ScanJ;
                if (scanStart) { st.ScanOn = pe < inLen; st.ScanJ = pe; }
                else if (scanIssue) { st.ScanJ += n; st.ScanOn = st.ScanJ < inLen; }

                // act r/w: write-back
                st.WbV2 = st.WbV1;
                st.WbV1 = st.WbOn;
                if (wbStart) { st.WbOn = pe < outLen; st.WbJ = pe; }
                else if (st.WbOn) { st.WbJ += n; st.WbOn = st.WbJ < outLen; }

                // this PE's share of next cycle's aggregates
                if (st.QCount >= depth) nextReady = false;
                if (st.QCount != 0 || st.RspValid || (st.BValid && st.BStart != st.BEnd) || st.FValid || st.Slot0 != 0 || st.Slot1 != 0 || st.Arith != 0)
                    nextIdle = false;
                if (st.ScanOn || st.Inflight || st.BufCnt != 0) nextScanDone = false;
                if (st.WbOn || st.WbV1 || st.WbV2) nextWbDone = false;
            }

            // ---- CCU edge ----
            int bcWrPos = bcCount - (bcPush ? 1 : 0);
            if (bcPush) bcIdx = bcIdx1;
            int bcIn = takeTree ? rootIdx : placement.Inputs;
            if (takeTree || takeBias)
            {
                if (bcWrPos == 0) bcIdx = bcIn;
                else bcIdx1 = bcIn;
            }
            bcCount += (takeTree || takeBias ? 1 : 0) - (bcPush ? 1 : 0);
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
            allIdleQ = allIdle; allScanDoneQ = allScanDone; allWbDoneQ = allWbDone; bcFiredQ = bcPush;
            allReady = nextReady; allIdle = nextIdle; allScanDone = nextScanDone; allWbDone = nextWbDone; treeBusy = nextTreeBusy;
        }
        SimulatedCycles += cycles;
        return new CycleRun(layerRuns[^1].Outputs, cycles, stats);
    }

    private void ResetState()
    {
        foreach (var level in nodeValid) Array.Clear(level);
        Array.Clear(pes);
        Array.Clear(peEntries);
    }
}
