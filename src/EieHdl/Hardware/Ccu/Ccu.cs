using System.Globalization;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>Values on the CCU's inputs during one cycle.</summary>
public readonly record struct CcuInputs(
    bool HostValid, bool HostWe, ulong HostAddr, ulong HostWdata, uint ActRdata,
    bool TreeValid, uint TreeAct, int TreeIdx, bool TreeBusy,
    bool AllReady, bool AllScanDone, bool AllIdle, bool AllWbDone);

/// <summary>Values on the CCU's outputs during one cycle.</summary>
public readonly record struct CcuOutputs(
    bool HostRvalid, ulong HostRdata, bool Busy, bool Done,
    bool LdValid, bool LdWe, int LdMem, int LdPe, long LdAddr, ulong LdData,
    bool CbWe, int CbAddr, uint CbWdata, bool AccClear, bool ScanStart, long InLen, int PtrBase,
    bool WbStart, long OutLen, int OutBase, bool Relu, bool SrcHalf,
    bool TreeReady, bool BcPush, uint BcAct, int BcIdx);

/// <summary>
/// <c>eie_ccu</c>: the central control unit. In I/O mode (idle) it decodes the host bus: its own
/// registers, the layer table and the codebook memory, and a load bus to the PEs' ptr, spmat
/// and act memories. A start runs LayerCount layers; each layer streams its codebook to the
/// PEs (clearing their accumulators), starts their scans, broadcasts the LNZD tree's offers
/// one per cycle to every act queue (holding while any queue is full), broadcasts the bias
/// column, waits for the PEs to drain, has them write back at the row's output base, and swaps
/// the act SRAM halves unless the row is an output batch followed by its layer's next.
/// </summary>
public sealed partial class Ccu : HardwareUnit
{
    private readonly EieConfig config;
    private readonly long[] inLen, outLen;
    // The current layer's fields as the output registers hold them (a cycle behind layer).
    private long inLenOut, outLenOut;
    private int ptrBaseOut, outBaseOut;
    private bool reluOut;
    private readonly int[] ptrBase, cbBase, flags, outBase;
    private CcuState seq = CcuState.Reset;
    private int layerCount = 1, cbAddr;
    private bool startHalf, srcHalf, done, cbWe, startQ;
    // The broadcast buffer's acts (its fill and indices are in seq): entry 0 is broadcast.
    private readonly uint[] bcAct = new uint[2];
    private bool ldValid, ldWe;
    private int ldMem, ldPe;
    private long ldAddr;
    private ulong ldData;
    private bool rd1Valid, rd2Valid;
    private int rd1Kind, rd2Kind;
    private ulong rd1Data, rd2Data;
    // A table read's row and field, muxed a cycle after the request.
    private bool rd1Table;
    private int rd1Row, rd1Field;
    // The registered table write, landing at the next edge.
    private bool twValid;
    private int twRow, twField;
    private ulong twData;

    public Ccu(EieConfig config)
    {
        this.config = config;
        Params = new CcuParams(config);
        inLen = new long[config.MaxLayers];
        outLen = new long[config.MaxLayers];
        ptrBase = new int[config.MaxLayers];
        cbBase = new int[config.MaxLayers];
        flags = new int[config.MaxLayers];
        outBase = new int[config.MaxLayers];
        Codebook = new SramSinglePort(new SramShape("codebook", config.WeightWidth, config.MaxLayers * config.CodebookSize));
    }

    public CcuParams Params { get; }

    /// <summary>The codebook memory's module (an eie_sram_sp instance).</summary>
    public SramSinglePort Codebook { get; }

    public override string ModuleName => "eie_ccu";

    public override IReadOnlyList<HardwareUnit> Submodules => [Codebook];

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public override object TemplateModel
    {
        get
        {
            var p = Params;
            var c = config;
            string R(int w) => VerilogText.Range(w);
            string Zext(string signal, int from, int to) =>
                from == to ? signal : from > to ? Inv($"{signal}[{to - 1}:0]") : Inv($"{{ {{{to - from}{{1'b0}}}}, {signal} }}");
            int cbkWidth = VerilogText.IndexBits(c.CodebookSize + 1L);
            int lrowWidth = VerilogText.IndexBits(c.MaxLayers);
            bool pow2Layers = (c.MaxLayers & (c.MaxLayers - 1)) == 0;
            return new
            {
                HaddrWidth = p.HostAddrWidth,
                PeRange = R(p.PeWidth), PeHi = p.PeWidth + p.OffsetWidth - 1, PeLo = p.OffsetWidth,
                OffRange = R(p.OffsetWidth), OffWidth = p.OffsetWidth,
                StateRange = "[2:0]",
                LayerRange = R(p.LayerWidth), LayerWidth = p.LayerWidth,
                LayerZero = VerilogText.Dec(p.LayerWidth, 0), LayerOne = VerilogText.Dec(p.LayerWidth, 1),
                LrowRange = R(lrowWidth), LrowWidth = lrowWidth,
                RowExpr = lrowWidth == p.LayerWidth ? "layer_q" : Inv($"layer_q[{lrowWidth - 1}:0]"), LrowHi = 3 + lrowWidth - 1,
                RowInRange = pow2Layers ? "1'b1" : Inv($"(h_row < {VerilogText.Dec(lrowWidth, c.MaxLayers)})"),
                c.MaxLayers,
                CycleWidth = CcuParams.CycleWidth,
                CycleHalf = CcuParams.CycleWidth / 2,
                CbkRange = R(cbkWidth), CbkZero = VerilogText.Dec(cbkWidth, 0), CbkOne = VerilogText.Dec(cbkWidth, 1),
                CbkFull = VerilogText.Dec(cbkWidth, c.CodebookSize),
                CbkToAddr = Zext("cb_k_q", cbkWidth, p.CbAddrWidth),
                CbidxRange = R(p.CbIndexWidth), CbidxWidth = p.CbIndexWidth, CbidxZero = VerilogText.Dec(p.CbIndexWidth, 0),
                CbaddrRange = R(p.CbAddrWidth), CbaddrWidth = p.CbAddrWidth,
                CbDepth = c.MaxLayers * c.CodebookSize,
                WeightRange = R(c.WeightWidth), WeightWidth = c.WeightWidth,
                ActRange = R(c.ActWidth), ActOne = VerilogText.Dec(c.ActWidth, 1L << c.ActFracBits),
                IdxRange = R(p.IdxWidth), IdxWidth = p.IdxWidth,
                LenRange = R(p.LenWidth), LenWidth = p.LenWidth,
                BaseRange = R(p.HalfAddrWidth), BaseWidth = p.HalfAddrWidth,
                BiasIdx = Zext("in_len_q[row]", p.LenWidth, p.IdxWidth),
                HdataRange = R(p.HostDataWidth), HdataZero = VerilogText.Dec(p.HostDataWidth, 0),
                TdataRange = R(p.TableDataWidth), TdataWidth = p.TableDataWidth,
                CbRdataWide = Zext("cb_rdata", c.WeightWidth, p.HostDataWidth),
                ActRdataWide = Zext("act_rdata_i", c.ActWidth, p.HostDataWidth),
                RegionRegs = (int)HostRegion.Registers, RegionTable = (int)HostRegion.LayerTable,
                RegionCodebook = (int)HostRegion.Codebook, RegionPtr = (int)HostRegion.Ptr,
                RegionSpmat = (int)HostRegion.Spmat, RegionAct = (int)HostRegion.Act,
                OffControl = VerilogText.Dec(p.OffsetWidth, (int)CcuRegister.Control),
                OffLayerCount = VerilogText.Dec(p.OffsetWidth, (int)CcuRegister.LayerCount),
                OffStatus = VerilogText.Dec(p.OffsetWidth, (int)CcuRegister.Status),
                OffCycles = VerilogText.Dec(p.OffsetWidth, (int)CcuRegister.Cycles),
                OffSourceHalf = VerilogText.Dec(p.OffsetWidth, (int)CcuRegister.SourceHalf),
            };
        }
    }

    public override string Doc => string.Join("\n",
    [
        "eie_ccu: the central control unit (CCU): host interface, layer table, codebook memory,",
        "broadcast of the LNZD tree's offers to every PE, and the layer sequence.",
        Inv($"Host address {Params.HostAddrWidth} bits = {{region[2:0], pe[{Params.PeWidth - 1}:0], offset[{Params.OffsetWidth - 1}:0]}}, data {Params.HostDataWidth} bits."),
        "Regions: 0 registers (0 control: write 1 starts; 1 layer count; 2 status: bit 0 busy,",
        "bit 1 done; 3 cycles; 4 source half), 1 layer table (offset = layer*8 + field: 0 input",
        "length, 1 output length, 2 ptr base, 3 codebook base, 4 flags: bit 0 bias, bit 1 ReLU,",
        "bit 2 keep the act halves (an output batch followed by its layer's next), 5 output base),",
        "2 codebook memory, 3 PE ptr memory (offset = pointer index), 4 PE spmat (word address),",
        "5 PE act SRAM (offset = {half, address}). Memories are written only while idle.",
    ]);

    /// <summary>The host-bus ports, which eie_top passes through unchanged.</summary>
    public IReadOnlyList<Port> HostPorts => HostPortsOf(Params);

    public override IReadOnlyList<Port> Ports => PortsOf(Params);

    private static IReadOnlyList<Port> HostPortsOf(CcuParams p) =>
    [
        Port.Clock(),
        Port.Reset(),
        Port.In("host_valid_i", 1, "a host access this cycle") with { Group = "host bus" },
        Port.In("host_we_i", 1, "the access is a write"),
        Port.In("host_addr_i", p.HostAddrWidth, "{region[2:0], pe, offset}: see the regions above"),
        Port.In("host_wdata_i", p.HostDataWidth, "write data"),
        Port.Out("host_rvalid_o", 1, "host_rdata_o holds the answer to a read"),
        Port.Out("host_rdata_o", p.HostDataWidth, "read data"),
        Port.Out("busy_o", 1, "a run is going"),
        Port.Out("done_o", 1, "the last run has finished"),
    ];

    /// <summary>The CCU's ports for a config; the PE's ports that connect to them are their <see cref="Port.Facing"/>.</summary>
    public static IReadOnlyList<Port> PortsOf(CcuParams p)
    {
        var c = p.Config;
        return
        [
            .. HostPortsOf(p),
            Port.Out("ld_valid_o", 1, "a PE memory access on the load bus") with { Group = "load bus to the PEs' memories" },
            Port.Out("ld_we_o", 1, "the access is a write"),
            Port.Out("ld_mem_o", 2, "the memory: 0 ptr, 1 spmat, 2 act"),
            Port.Out("ld_pe_o", p.PeWidth, "the PE"),
            Port.Out("ld_addr_o", p.OffsetWidth, "the offset in that memory"),
            Port.Out("ld_data_o", p.HostDataWidth, "write data"),
            Port.In("act_rdata_i", c.ActWidth, "act read back from PE ld_pe_o"),
            Port.Out("cb_we_o", 1, "codebook write to every PE") with { Group = "layer control to every PE" },
            Port.Out("cb_addr_o", p.CbIndexWidth, "codebook index v of the write"),
            Port.Out("cb_wdata_o", c.WeightWidth, "codebook value"),
            Port.Out("acc_clear_o", 1, "zero every accumulator"),
            Port.Out("scan_start_o", 1, "pulse: start the scans of the layer's source acts"),
            Port.Out("in_len_o", p.LenWidth, "the layer's input length (bias column included)"),
            Port.Out("ptr_base_o", p.IdxWidth, "the layer's first ptr index (q = base + j)"),
            Port.Out("wb_start_o", 1, "pulse: start the write-backs"),
            Port.Out("out_len_o", p.LenWidth, "the layer's output length"),
            Port.Out("relu_o", 1, "the layer applies ReLU"),
            Port.Out("out_base_o", p.HalfAddrWidth, "the row's first local row in the destination half (an output batch's place)"),
            Port.Out("src_half_o", 1, "which act SRAM half is the source"),
            Port.In("tree_valid_i", 1, "the LNZD tree's root offers (tree_act_i, tree_idx_i)") with { Group = "LNZD tree root" },
            Port.Out("tree_ready_o", 1, "the CCU takes the offer"),
            Port.In("tree_act_i", c.ActWidth, "a_j of the offer"),
            Port.In("tree_idx_i", p.IdxWidth, "j of the offer"),
            Port.In("tree_busy_i", 1, "some LNZD node holds an offer"),
            Port.Out("bc_push_o", 1, "push (bc_act_o, bc_idx_o) into every act queue") with { Group = "broadcast to every PE's act queue" },
            Port.Out("bc_act_o", c.ActWidth, "a_j of the broadcast"),
            Port.Out("bc_idx_o", p.IdxWidth, "j of the broadcast"),
            Port.In("all_ready_i", 1, "every act queue has room") with { Group = "AND over the PEs" },
            Port.In("all_scan_done_i", 1, "every PE's scan is done"),
            Port.In("all_idle_i", 1, "every PE is idle"),
            Port.In("all_wb_done_i", 1, "every PE's write-back is done"),
        ];
    }

    /// <summary>Cycles from a host read request to its answer on host_rdata_o.</summary>
    public const int HostReadLatency = 2;

    public override IReadOnlyList<Latency> Latencies =>
    [
        new("host_valid_i", "host_rvalid_o", HostReadLatency, "a host read answers on host_rdata_o with host_rvalid_o exactly 2 cycles after the request"),
        new("host_valid_i", "ld_valid_o", 1, "a PE memory access leaves on the load bus 1 cycle after the request"),
        new("host_valid_i", "busy_o", 1, "a start (a control write) takes effect a cycle later, from a register; busy_o is high and done_o low from the cycle after the write"),
        new("layer start", "scan_start_o", config.CodebookSize + 1,
            "codebook stream: accumulators cleared in the first cycle, the PEs' scans started in the last"),
    ];

    public override string LatencyNote => string.Join("\n",
    [
        "Per layer after the codebook stream: scan: one broadcast per cycle while every act queue",
        "has room, over when all PEs report their scan done (checked from the 3rd cycle) and the",
        "tree is empty; bias broadcast (a_j = 1.0, j = input length) if the layer has one; drain",
        "until every PE is idle; write-back (checked from the 3rd cycle); then the act SRAM halves",
        "swap, unless the row's keep flag says the next row is the same layer's next output batch.",
        "The cycle counter counts every cycle from the sequencer's start to done.",
    ]);

    /// <summary>One clock cycle: returns the outputs seen during the cycle, then applies the edge.</summary>
    public CcuOutputs Step(CcuInputs i)
    {
        var p = Params;
        if (p.HostDataWidth > 64)
            throw new InvalidOperationException($"{ModuleName} model handles host data up to 64 bits, config needs {p.HostDataWidth}");
        int cs = config.CodebookSize;
        bool idle = seq.Phase == CcuPhase.Idle;
        // A start waits a cycle in start_q (timing); meanwhile the host already sees a busy CCU.
        bool hostIdle = idle && !startQ;
        int region = (int)(i.HostAddr >> (p.HostAddrWidth - 3)) & 7;
        int hPe = (int)(i.HostAddr >> p.OffsetWidth) & ((1 << p.PeWidth) - 1);
        long hOff = (long)(i.HostAddr & ((1UL << p.OffsetWidth) - 1));
        bool hWrite = i.HostValid && i.HostWe, hRead = i.HostValid && !i.HostWe;
        int lrowWidth = VerilogText.IndexBits(config.MaxLayers);
        int hRow = (int)(hOff >> 3) & ((1 << lrowWidth) - 1), hField = (int)(hOff & 7);
        bool rowInRange = hRow < config.MaxLayers;
        int row = seq.Layer & ((1 << lrowWidth) - 1);
        bool hasBias = (flags[row] & 1) != 0;

        var g = Evaluate(seq, cs, new CcuSense(i.TreeValid, i.TreeBusy, i.AllReady, hasBias));
        bool cbHost = hostIdle && i.HostValid && region == (int)HostRegion.Codebook;
        bool lastLayer = seq.Layer + 1 == layerCount;
        ulong actWide = i.ActRdata & Mask(config.ActWidth);

        // Codebook SRAM: one port shared by the host (idle) and the per-layer stream. Its model
        // returns the read register as seen during this cycle and applies the edge itself.
        int cbStreamAddr = (cbBase[row] + seq.CbK) & ((1 << p.CbAddrWidth) - 1);
        int cbPortAddr = g.CbStream ? cbStreamAddr : (int)(hOff & ((1L << p.CbAddrWidth) - 1));
        uint cbRdata = (uint)Codebook.Step(cbHost || g.CbStream, cbHost && i.HostWe, cbPortAddr, i.HostWdata & Mask(config.WeightWidth));

        var seen = new CcuOutputs(
            rd2Valid, rd2Kind == 2 ? actWide : rd2Data, !hostIdle, done && !startQ,
            ldValid, ldWe, ldMem, ldPe, ldAddr, ldData,
            cbWe, cbAddr, cbRdata, g.AccClear, g.ScanStart,
            inLenOut, ptrBaseOut, g.WbStart, outLenOut, outBaseOut, reluOut, srcHalf,
            g.TreeReady, g.BcPush, bcAct[0], seq.BcIdx0);

        // Host register reads are decoded from this cycle's state, before the edge.
        ulong regData = 0;
        if (region == (int)HostRegion.Registers)
            regData = hOff switch
            {
                (int)CcuRegister.LayerCount => (ulong)layerCount,
                (int)CcuRegister.Status => (done && !startQ ? 2UL : 0) | (hostIdle ? 0UL : 1),
                (int)CcuRegister.Cycles => (uint)seq.Cycles,
                (int)CcuRegister.SourceHalf => srcHalf ? 1UL : 0,
                _ => 0,
            };
        // A table read muxes the table a cycle after the request, as it is before this edge.
        ulong tableData = rd1Field switch
        {
            0 => (ulong)inLen[rd1Row], 1 => (ulong)outLen[rd1Row], 2 => (ulong)ptrBase[rd1Row],
            3 => (ulong)cbBase[rd1Row], 4 => (ulong)flags[rd1Row], 5 => (ulong)outBase[rd1Row], _ => 0,
        };

        // ---- the edge ----
        // Read pipeline.
        ulong nextRd2Data = rd1Kind == 1 ? cbRdata : rd1Table ? tableData : rd1Data;
        rd2Valid = rd1Valid; rd2Kind = rd1Kind; rd2Data = nextRd2Data;
        rd1Valid = hRead;
        rd1Kind = region == (int)HostRegion.Codebook ? 1 : region == (int)HostRegion.Act ? 2 : 0;
        rd1Data = regData;
        rd1Table = region == (int)HostRegion.LayerTable && rowInRange;
        rd1Row = hRow; rd1Field = hField;

        // Output registers of the current layer's fields (the table as it is before this edge).
        inLenOut = inLen[row]; outLenOut = outLen[row]; ptrBaseOut = ptrBase[row]; reluOut = (flags[row] & 2) != 0;
        outBaseOut = outBase[row];

        // Load bus.
        bool peMem = region is (int)HostRegion.Ptr or (int)HostRegion.Spmat or (int)HostRegion.Act;
        ldValid = hostIdle && i.HostValid && peMem;
        ldWe = i.HostWe;
        ldMem = region == (int)HostRegion.Ptr ? 0 : region == (int)HostRegion.Spmat ? 1 : 2;
        ldPe = hPe; ldAddr = hOff; ldData = i.HostWdata;

        // Layer table: last cycle's registered write lands; this cycle's is registered.
        if (twValid)
            switch (twField)
            {
                case 0: inLen[twRow] = (long)(twData & Mask(p.LenWidth)); break;
                case 1: outLen[twRow] = (long)(twData & Mask(p.LenWidth)); break;
                case 2: ptrBase[twRow] = (int)(twData & Mask(p.IdxWidth)); break;
                case 3: cbBase[twRow] = (int)(twData & Mask(p.CbAddrWidth)); break;
                case 4: flags[twRow] = (int)(twData & 7); break;
                case 5: outBase[twRow] = (int)(twData & Mask(p.HalfAddrWidth)); break;
            }
        twValid = hostIdle && hWrite && region == (int)HostRegion.LayerTable && rowInRange;
        twRow = hRow; twField = hField; twData = i.HostWdata;

        // Broadcast buffer acts; its fill and indices move in the sequencer's edge below.
        if (g.BcPush) bcAct[0] = bcAct[1];
        uint inAct = g.TakeTree ? i.TreeAct & (uint)Mask(config.ActWidth) : 1u << config.ActFracBits;
        int biasIdx = (int)(inLen[row] & (long)Mask(p.IdxWidth));

        // Sequencing.
        bool start = hostIdle && hWrite && region == (int)HostRegion.Registers && hOff == (int)CcuRegister.Control
            && (i.HostWdata & 1) != 0 && layerCount != 0;
        cbWe = g.CbStream;
        cbAddr = seq.CbK & ((1 << p.CbIndexWidth) - 1);
        if (hostIdle && hWrite && region == (int)HostRegion.Registers)
        {
            if (hOff == (int)CcuRegister.LayerCount) layerCount = (int)(i.HostWdata & Mask(p.LayerWidth));
            if (hOff == (int)CcuRegister.SourceHalf) { startHalf = (i.HostWdata & 1) != 0; srcHalf = startHalf; }
        }
        if (idle && startQ) { srcHalf = startHalf; done = false; }
        if (g.LayerEnd)
        {
            if ((flags[row] & 4) == 0) srcHalf = !srcHalf;
            if (lastLayer) done = true;
        }
        int at = Commit(ref seq, g, cs, startQ, hasBias, lastLayer, i.TreeIdx, biasIdx, i.AllScanDone, i.AllIdle, i.AllWbDone);
        if (at >= 0) bcAct[at] = inAct;
        startQ = start;
        return seen;
    }

    private static ulong Mask(int width) => width >= 64 ? ulong.MaxValue : (1UL << width) - 1;
}
