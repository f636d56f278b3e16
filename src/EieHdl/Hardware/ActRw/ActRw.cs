using System.Globalization;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>Widths and sizes of a PE's act read/write unit, read from the config.</summary>
/// <param name="Pes">N, the PE count: the PE's global indices step by N.</param>
/// <param name="ActWidth">Bits of an act.</param>
/// <param name="AccWidth">Bits of an accumulator value.</param>
/// <param name="HalfDepth">Acts in each act SRAM half (ActSramDepth / 2).</param>
/// <param name="ActRegEntries">Accumulator registers; acc_rd_addr_o addresses them.</param>
/// <param name="IdxWidth">Bits of j on the offer port; a layer's j is below PtrDepth.</param>
/// <param name="PeWidth">Bits of pe_i (0 .. N-1).</param>
/// <param name="HalfAddrWidth">Bits of an address into one half, also of a local row.</param>
/// <param name="ActRegAddrWidth">Bits of acc_rd_addr_o.</param>
/// <param name="LenWidth">Bits of in_len_i and out_len_i: 0 .. N x HalfDepth.</param>
public sealed record ActRwParams(int Pes, int ActWidth, int AccWidth, int HalfDepth, int ActRegEntries, int IdxWidth,
    int PeWidth, int HalfAddrWidth, int ActRegAddrWidth, int LenWidth)
{
    public static ActRwParams From(EieConfig config) => new(config.Pes, config.ActWidth, config.AccWidth,
        config.ActHalfDepth, config.ActRegEntries, config.IdxWidth,
        config.PeWidth, config.HalfAddrWidth, config.ActRegAddrWidth, config.LenWidth);

    /// <summary>Entries of the offer buffer: enough for one offer per cycle with a registered credit.</summary>
    public const int BufferDepth = 3;

    /// <summary>
    /// Bits of the global-index counters: a counter reaches at most pe + N x HalfDepth
    /// (one step past the last index below N x HalfDepth), below N x (HalfDepth + 1).
    /// </summary>
    public int JWidth => VerilogText.IndexBits((long)Pes * (HalfDepth + 1));

    /// <summary>Most global index a layer may use, N x HalfDepth.</summary>
    public long MaxLen => (long)Pes * HalfDepth;
}

/// <summary>Values on the act read/write unit's inputs during one cycle (pe_i is the model's <see cref="ActRw.Pe"/>).</summary>
public readonly record struct ActRwInputs
{
    public bool SrcSel { get; init; }
    public bool ScanStart { get; init; }
    public long InLen { get; init; }
    public bool OfferReady { get; init; }
    public bool WbStart { get; init; }
    public long OutLen { get; init; }
    /// <summary>out_base_i: the first local row the write-back writes (an output batch's place).</summary>
    public int OutBase { get; init; }
    public bool Relu { get; init; }
    public ActRwInputs()
    {
    }

    /// <summary>acc_rd_data_i: the accumulator value (its low AccWidth bits are the port).</summary>
    public long AccRdData { get; init; }
    /// <summary>acc_rd_live_i: AccRdData is the accumulator; false: the accumulator is 0.</summary>
    public bool AccRdLive { get; init; } = true;
    public bool HostWe { get; init; }
    public bool HostRe { get; init; }
    public bool HostHalf { get; init; }
    public int HostAddr { get; init; }
    public uint HostWdata { get; init; }
}

/// <summary>Values on the unit's outputs during one cycle; acts are raw ActWidth-bit words.</summary>
public readonly record struct ActRwOutputs(
    bool OfferValid, uint OfferAct, int OfferIdx, bool ScanDone,
    bool AccRdEn, int AccRdAddr, bool WbDone,
    bool HostRvalid, uint HostRdata);

/// <summary>
/// <c>eie_act_rw</c>: the act read/write unit of one PE. It holds the PE's acts in two act SRAM
/// halves (eie_sram_sp, ActWidth x ActHalfDepth each): the source half of a layer is scanned
/// for non-zero acts, which are offered to the LNZD tree (the PE's local leading-non-zero
/// detection); the destination half receives the layer's outputs, each accumulator passed
/// through eie_requant. src_sel_i names the source half; the CCU toggles it per layer, so one
/// layer's outputs are the next layer's inputs with no data movement. The host loads and reads
/// acts in I/O mode. PE pe owns global indices j = pe + N x r at local address r.
/// The model is cycle-exact (same muxing and priorities as the RTL), for one PE number.
/// </summary>
public sealed partial class ActRw : HardwareUnit
{
    private readonly SramSinglePort[] _halves;
    private readonly ActRwTiming _timing;
    private ActRwState _state;

    // Payloads: the offer buffer's acts (entry 0 at the port), the write-back's requantised
    // act and its ReLU flag.
    private readonly uint[] _bufAct = new uint[ActRwParams.BufferDepth];
    private uint _wbActQ;
    // wb_row2_q: the destination address of the row being written, out_base_i added.
    private int _wbAddr2;
    private bool _reluQ;

    // Host read registers.
    private bool _hostRvalid, _hostHalfQ;

    /// <summary>The module for a config; the model of PE 0.</summary>
    public ActRw(EieConfig config) : this(config, 0) { }

    /// <summary>The model of PE <paramref name="pe"/> (0 .. Pes-1).</summary>
    public ActRw(EieConfig config, int pe)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pe);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(pe, config.Pes);
        Params = ActRwParams.From(config);
        Pe = pe;
        Requant = new Requant(config);
        Sram = new SramSinglePort(config);
        var shape = new SramShape("act SRAM half", Params.ActWidth, Params.HalfDepth);
        _halves = [new SramSinglePort(shape), new SramSinglePort(shape)];
        _timing = new ActRwTiming(Params);
    }

    public ActRwParams Params { get; }

    /// <summary>The PE number the model stands for (the RTL's pe_i).</summary>
    public int Pe { get; }

    public Requant Requant { get; }

    public SramSinglePort Sram { get; }

    public override string ModuleName => "eie_act_rw";

    public override IReadOnlyList<HardwareUnit> Submodules => [Sram, Requant];

    /// <summary>Offers held in the output buffer now.</summary>
    public int Buffered => _state.BufCnt;

    /// <summary>The unit's timing registers and event counts.</summary>
    public ActRwState State => _state;

    /// <summary>One clock cycle: returns the outputs seen during the cycle, then applies the edge.</summary>
    public ActRwOutputs Step(in ActRwInputs inp)
    {
        var p = Params;
        uint actMask = Mask(p.ActWidth);

        // Combinational values from the registers and the inputs.
        ref var st = ref _state;
        bool scanIssue = ScanIssue(st);
        int accBits = 64 - p.AccWidth;
        long acc = inp.AccRdLive ? (inp.AccRdData << accBits) >> accBits : 0;
        uint wbAct = (uint)Requant.Step(acc, _reluQ) & actMask;
        bool hostAccess = inp.HostWe || inp.HostRe;
        Span<uint> rdata = stackalloc uint[2];
        for (int h = 0; h < 2; h++)
        {
            bool isSrc = (inp.SrcSel ? 1 : 0) == h;
            bool host = hostAccess && (inp.HostHalf ? 1 : 0) == h;
            bool scan = scanIssue && isSrc;
            bool wb = st.WbV2 && !isSrc;
            bool en = host || scan || wb;
            bool we = host ? inp.HostWe : wb;
            int addr = host ? inp.HostAddr & _timing.HalfMask : scan ? st.ScanAddr : _wbAddr2;
            uint wdata = host ? inp.HostWdata & actMask : _wbActQ;
            rdata[h] = (uint)_halves[h].Step(en, we, addr, wdata);
        }
        uint srcRdata = rdata[inp.SrcSel ? 1 : 0];
        bool offerValid = OfferValid(st);
        bool pop = offerValid && inp.OfferReady;

        var seen = new ActRwOutputs(
            offerValid, offerValid ? _bufAct[0] : 0, offerValid ? st.BufIdx[0] : 0,
            ScanDone: ScanDone(st),
            AccRdEn: st.WbOn, AccRdAddr: st.WbRow & (int)Mask(p.ActRegAddrWidth),
            WbDone: WbDone(st),
            HostRvalid: _hostRvalid, HostRdata: rdata[_hostHalfQ ? 1 : 0]);

        // The clock edge.
        if (pop) Array.Copy(_bufAct, 1, _bufAct, 0, ActRwParams.BufferDepth - 1);
        if (!st.WbOn) _reluQ = inp.Relu;
        _wbActQ = wbAct;
        _wbAddr2 = (st.WbRow1 + inp.OutBase) & _timing.HalfMask;
        int at = CommitScan(ref st, _timing, Pe, srcRdata != 0, inp.OfferReady, inp.ScanStart, inp.InLen);
        if (at >= 0) _bufAct[at] = srcRdata;
        CommitWriteBack(ref st, _timing, Pe, inp.WbStart, inp.OutLen);

        bool hostRead = inp.HostRe && !inp.HostWe;
        _hostRvalid = hostRead;
        if (hostRead) _hostHalfQ = inp.HostHalf;
        return seen;
    }

    public override object TemplateModel
    {
        get
        {
            var p = Params;
            string R(int w) => VerilogText.Range(w);
            var halves = Enumerable.Range(0, 2).Select(h => new
            {
                Name = Inv($"half{h}"),
                Host = h == 0 ? "host_access & ~host_half_i" : "host_access & host_half_i",
                Src = h == 0 ? "~src_sel_i" : "src_sel_i",
                Wb = h == 0 ? "wb_v2_q & src_sel_i" : "wb_v2_q & ~src_sel_i",
                Role = h == 0 ? "source when src_sel_i = 0" : "source when src_sel_i = 1",
            }).ToArray();
            return new
            {
                p.ActWidth,
                p.HalfDepth,
                ActRange = R(p.ActWidth),
                IdxRange = R(p.IdxWidth),
                CntRange = R(p.JWidth),
                HalfAddrRange = R(p.HalfAddrWidth),
                PeToCnt = Resize("pe_i", p.PeWidth, p.JWidth),
                InLenToCnt = Resize("in_len_i", p.LenWidth, p.JWidth),
                OutLenToCnt = Resize("out_len_i", p.LenWidth, p.JWidth),
                ScanCntToIdx = Resize("scan_j_q", p.JWidth, p.IdxWidth),
                RowToAccAddr = Resize("wb_row_q", p.HalfAddrWidth, p.ActRegAddrWidth),
                CntStep = VerilogText.Dec(p.JWidth, p.Pes),
                CntZero = VerilogText.Dec(p.JWidth, 0),
                AddrZero = VerilogText.Dec(p.HalfAddrWidth, 0),
                AddrOne = VerilogText.Dec(p.HalfAddrWidth, 1),
                IdxZero = VerilogText.Dec(p.IdxWidth, 0),
                Halves = halves,
            };
        }
    }

    public override string Doc
    {
        get
        {
            var p = Params;
            return string.Join("\n",
            [
                "eie_act_rw: the act read/write unit of one PE. Two act SRAM halves (eie_sram_sp), the",
                "source and the destination of a layer, swapped per layer by src_sel_i; a scan offers the",
                "source's non-zero acts to the LNZD tree; a write-back re-quantises the accumulators",
                "(eie_requant, rules R1-R3) into the destination; the host loads and reads acts.",
                Inv($"N = {p.Pes} PEs; halves of {p.HalfDepth} x {p.ActWidth} bits. PE pe owns global index j = pe + N x r"),
                Inv($"at local address (row) r: a layer has at most {p.MaxLen} inputs and outputs, and at most"),
                Inv($"{Math.Min(p.ActRegEntries, p.HalfDepth)} output rows per PE (accumulators and half depth)."),
                "",
                "Sequencing (the CCU's duty): host access, scan and write-back never overlap. Scan reads",
                "only the source and write-back writes only the destination, so those two do not",
                "collide; a host access takes the half it names over both, and the one it displaces",
                "goes wrong. A start pulse restarts its activity; do not pulse while it runs.",
            ]);
        }
    }

    public override IReadOnlyList<Port> Ports =>
    [
        Port.Clock(),
        Port.Reset("stops scan and write-back, empties the offer buffer; the SRAM contents are kept"),
        Port.In("pe_i", Params.PeWidth, "this PE's number (0 .. N-1); tie to a constant, read at the starts"),
        Port.In("src_sel_i", 1, "the source half (0 or 1); the other is the destination. Hold it steady while a scan or a write-back runs"),
        Port.In("scan_start_i", 1, "pulse: scan the source for global inputs j < in_len_i"),
        Port.In("in_len_i", Params.LenWidth, "L, the layer's global input length (at most N x ActHalfDepth)"),
        Port.Out("offer_valid_o", 1, "an offer (offer_act_o, offer_idx_o) is held for the LNZD tree"),
        Port.In("offer_ready_i", 1, "the tree takes it this cycle"),
        Port.Out("offer_act_o", Params.ActWidth, "the non-zero act a_j"),
        Port.Out("offer_idx_o", Params.IdxWidth, "its global index j; offers come in ascending j"),
        Port.Out("scan_done_o", 1, "level: no scan work left (all local inputs read, every non-zero offered and taken); high after reset"),
        Port.In("wb_start_i", 1, "pulse while wb_done_o is high: write back rows r with pe + N x r < out_len_i. Only wb_on_q depends on it: it comes late, from every PE's idle flag, so the counters preload while no write-back runs"),
        Port.In("out_len_i", Params.LenWidth, "the layer's global output count (at most N x ActHalfDepth); held from the cycle before wb_start_i until wb_done_o (the preload)"),
        Port.In("relu_i", 1, "apply ReLU (R1) in the write-back; held like out_len_i"),
        Port.In("out_base_i", Params.HalfAddrWidth, "row r is written at destination address out_base_i + r (an output batch's place); held like out_len_i"),
        Port.Out("acc_rd_en_o", 1, "reading accumulator acc_rd_addr_o this cycle"),
        Port.Out("acc_rd_addr_o", Params.ActRegAddrWidth, "local row r of the accumulator to read"),
        Port.In("acc_rd_data_i", Params.AccWidth, "ASSUMED: the accumulator file returns row r ONE cycle after acc_rd_en_o/acc_rd_addr_o name it (a registered read)"),
        Port.In("acc_rd_live_i", 1, "with acc_rd_data_i: it is the accumulator; low: the accumulator is 0 (a RAM row not written since the clear)"),
        Port.Out("wb_done_o", 1, "level: no write-back work left; high after reset"),
        Port.In("host_we_i", 1, "host writes host_wdata_i to half host_half_i, address host_addr_i"),
        Port.In("host_re_i", 1, "host reads half host_half_i, address host_addr_i (host_we_i wins)"),
        Port.In("host_half_i", 1, "which half the host accesses"),
        Port.In("host_addr_i", Params.HalfAddrWidth, "local address in that half"),
        Port.In("host_wdata_i", Params.ActWidth, "act to write"),
        Port.Out("host_rvalid_o", 1, "host_rdata_o holds the act read in the previous cycle"),
        Port.Out("host_rdata_o", Params.ActWidth, "that act"),
    ];

    /// <summary>Cycles from a scan start to the offer of local address 0 (address a: a cycles later).</summary>
    public const int ScanLatency = 3;

    /// <summary>Cycles from a write-back start to the write of row 0 (row r: r cycles later).</summary>
    public const int WriteBackLatency = 3;

    public override IReadOnlyList<Latency> Latencies =>
    [
        new("scan_start_i", "offer_valid_o", ScanLatency,
            "without stalls local address a is read in cycle s+1+a, its act arrives in s+2+a and, if non-zero, is at the offer port from s+3+a: at most one offer per cycle while offer_ready_i stays high; a zero act costs its read cycle"),
        new("wb_start_i", "acc_rd_en_o", 1, "row r is read in cycle s+1+r"),
        new("wb_start_i", "destination write", WriteBackLatency,
            "row r's accumulator arrives in s+2+r, is re-quantised into a register and written to destination address r in s+3+r: one row per cycle"),
        new("host_re_i", "host_rvalid_o", 1, "host_rdata_o is valid the cycle after host_re_i and holds until that half is read again; a write takes effect at the clock edge"),
    ];

    public override string LatencyNote => string.Join("\n",
    [
        "s is the cycle of a start pulse; the model (ActRw.Step) is cycle-exact.",
        "Scan: a read of the source is issued in a cycle iff the scan is on and (offers in the",
        Inv($"{ActRwParams.BufferDepth}-entry buffer + the read in flight) <= 2; both are registers, so offer_ready_i never"),
        "reaches the SRAM. scan_done_o = no read left, none in flight, buffer empty: it is low from",
        "s+1 (stays high if pe >= L) until the cycle after the last read's act arrived and the last",
        "offer was taken. wb_done_o is low from s+1 to s+R+2 for R rows (R = 0: stays high).",
        "A write in cycle t is seen by a read issued in cycle t+1 or later.",
    ]);

    /// <summary>Zero-extends or truncates a signal of <paramref name="from"/> bits to <paramref name="to"/> bits.</summary>
    private static string Resize(string signal, int from, int to)
    {
        if (to == from) return signal;
        if (to < from) return to == 1 ? Inv($"{signal}[0]") : Inv($"{signal}[{to - 1}:0]");
        return "{" + VerilogText.Dec(to - from, 0) + ", " + signal + "}";
    }

    private static uint Mask(int width) => width >= 32 ? uint.MaxValue : (1u << width) - 1;

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
