using System.Globalization;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>AXI4-Lite response codes the bridge answers with.</summary>
public enum AxiResp
{
    Okay = 0,
    SlvErr = 2,
}

/// <summary>
/// <c>eie_axil_host</c>: an AXI4-Lite slave (32-bit data, byte addresses) in front of the CCU's
/// host bus. A host word (up to <see cref="CcuParams.HostDataWidth"/> bits) is
/// <see cref="Lanes"/> 32-bit registers: byte address = host address &lt;&lt; (LaneBits + 2) |
/// lane &lt;&lt; 2. A write to lane k &gt; 0 is staged; a write to lane 0 commits the host word
/// {staged lanes, lane 0} and clears the staged lanes, so a word of at most 32 bits is one write.
/// A read of any lane reads the host word and returns that lane. The response is SLVERR, and
/// nothing is written, for an address outside the register map (region, PE, offset or lane),
/// a write of a read-only or a read of a write-only word, a write with WSTRB other than 4'hf, and
/// while the accelerator is busy every access except a register read.
/// </summary>
public sealed class AxiLiteHost : HardwareUnit
{
    public const int DataWidth = 32;

    /// <summary>Cycles from the cycle both AW and W have been taken to BVALID (AW and W taken in one cycle: 2).</summary>
    public const int WriteLatency = 2;

    /// <summary>Cycles from the AR handshake to RVALID: 1 to issue, the CCU's 2, 1 to register the lane.</summary>
    public const int ReadLatency = 2 + Ccu.HostReadLatency;

    private readonly EieConfig config;

    public AxiLiteHost(EieConfig config)
    {
        this.config = config;
        Params = new CcuParams(config);
        int needed = (Params.HostDataWidth + DataWidth - 1) / DataWidth;
        LaneBits = VerilogText.CeilLog2(needed);
        Lanes = 1 << LaneBits;
        Rules = BuildRules();
    }

    public CcuParams Params { get; }

    /// <summary>32-bit registers per host word, a power of two.</summary>
    public int Lanes { get; }

    /// <summary>Address bits that select the lane of a host word.</summary>
    public int LaneBits { get; }

    /// <summary>Byte address bits: {region, pe, offset, lane, 2'b00}.</summary>
    public int AddrWidth => Params.HostAddrWidth + LaneBits + 2;

    /// <summary>Shift from a host (word) address to the byte address of its lane 0.</summary>
    public int WordShift => LaneBits + 2;

    /// <summary>The byte address of lane <paramref name="lane"/> of the host word at <paramref name="hostAddress"/>.</summary>
    public ulong ByteAddress(ulong hostAddress, int lane) => (hostAddress << WordShift) | ((ulong)lane << 2);

    /// <summary>
    /// The AXI writes of one host write: the nonzero high lanes (staged), then lane 0 (commits),
    /// so a host word's zero high lanes cost no write.
    /// </summary>
    public IEnumerable<(ulong Address, uint Data)> Writes(HostAccess access)
    {
        if (!access.Write) throw new ArgumentException("a read has no writes", nameof(access));
        for (int lane = Math.Min(Lanes, 64 / DataWidth) - 1; lane >= 1; lane--)
        {
            uint data = (uint)(access.Data >> (lane * DataWidth));
            if (data != 0) yield return (ByteAddress(access.Address, lane), data);
        }
        yield return (ByteAddress(access.Address, 0), (uint)access.Data);
    }

    /// <summary>One accessible word set of the map: the Verilog condition and the same test in C#.</summary>
    private sealed record Rule(string Name, HostRegion Region, bool PerPe, bool Read, bool Write, int WordBits,
        Func<long, bool> OffsetOk, string OffsetVerilog);

    private IReadOnlyList<Rule> Rules { get; }

    private IReadOnlyList<Rule> BuildRules()
    {
        var p = Params;
        int ow = p.OffsetWidth, h = p.HalfAddrWidth;
        var rules = new List<Rule>();
        (bool R, bool W) RegisterAccess(CcuRegister r) => r switch
        {
            CcuRegister.Control => (false, true),
            CcuRegister.Status or CcuRegister.Cycles => (true, false),
            _ => (true, true),
        };
        foreach (var r in Enum.GetValues<CcuRegister>())
        {
            var (read, write) = RegisterAccess(r);
            long offset = (long)r;
            rules.Add(new(r.ToString(), HostRegion.Registers, false, read, write, CcuParams.CycleWidth,
                o => o == offset, Eq("a_off", ow, offset)));
        }
        int fields = Enum.GetValues<LayerField>().Length;
        string rowCheck = ow > 3 ? Lt(Inv($"a_off[{ow - 1}:3]"), ow - 3, config.MaxLayers) : "";
        rules.Add(new("LayerTable", HostRegion.LayerTable, false, true, true, DataWidth,
            o => (o & 7) < fields && (o >> 3) < config.MaxLayers, And(Lt("a_off[2:0]", 3, fields), rowCheck)));
        long cbWords = (long)config.MaxLayers * config.CodebookSize;
        rules.Add(new("Codebook", HostRegion.Codebook, false, true, true, config.WeightWidth,
            o => o < cbWords, Lt("a_off", ow, cbWords)));
        rules.Add(new("Ptr", HostRegion.Ptr, true, false, true, config.PtrWidth,
            o => o < config.PtrDepth, Lt("a_off", ow, config.PtrDepth)));
        rules.Add(new("Spmat", HostRegion.Spmat, true, false, true, config.SpmatWordBits,
            o => o < config.SpmatDepth, Lt("a_off", ow, config.SpmatDepth)));
        string halfTop = ow > h + 1 ? Eq(Inv($"a_off[{ow - 1}:{h + 1}]"), ow - h - 1, 0) : "";
        rules.Add(new("Act", HostRegion.Act, true, true, true, config.ActWidth,
            o => (o & ((1L << h) - 1)) < config.ActHalfDepth && (o >> (h + 1)) == 0,
            And(Lt(Inv($"a_off[{h - 1}:0]"), h, config.ActHalfDepth), halfTop)));
        return rules;
    }

    /// <summary>
    /// The response the bridge gives an access of <paramref name="byteAddress"/> (the same decode
    /// as the RTL's): OKAY when the word is mapped, accessible that way and, while
    /// <paramref name="busy"/>, a register read; else SLVERR.
    /// </summary>
    public AxiResp Response(ulong byteAddress, bool write, bool busy, uint strobe = 0xf)
    {
        if (byteAddress >> AddrWidth != 0) return AxiResp.SlvErr;
        int lane = (int)((byteAddress >> 2) & (ulong)(Lanes - 1));
        ulong host = byteAddress >> WordShift;
        var region = (int)(host >> (Params.PeWidth + Params.OffsetWidth));
        int pe = (int)((host >> Params.OffsetWidth) & ((1UL << Params.PeWidth) - 1));
        long offset = (long)(host & ((1UL << Params.OffsetWidth) - 1));
        if (write && strobe != 0xf) return AxiResp.SlvErr;
        if (busy && (write || region != (int)HostRegion.Registers)) return AxiResp.SlvErr;
        bool ok = Rules.Any(r => (int)r.Region == region && (r.PerPe ? pe < config.Pes : pe == 0)
            && lane * DataWidth < r.WordBits && (write ? r.Write : r.Read) && r.OffsetOk(offset));
        return ok ? AxiResp.Okay : AxiResp.SlvErr;
    }

    /// <summary>The Verilog condition "the word at (a_region, a_pe, a_off, a_lane) may be read" or "written".</summary>
    private string MappedVerilog(bool write)
    {
        var terms = Rules.Where(r => write ? r.Write : r.Read).Select(r => "(" + And(
            Eq("a_region", CcuParams.RegionWidth, (int)r.Region),
            r.PerPe ? Lt("a_pe", Params.PeWidth, config.Pes) : Eq("a_pe", Params.PeWidth, 0),
            Lt("a_lane", LaneBits, (r.WordBits + DataWidth - 1) / DataWidth),
            r.OffsetVerilog) + ")");
        return string.Join("\n    | ", terms);
    }

    private static string And(params string[] terms)
    {
        var used = terms.Where(t => t.Length > 0).ToArray();
        return used.Length == 0 ? "1'b1" : string.Join(" && ", used);
    }

    /// <summary><c>signal &lt; limit</c>, or nothing when every value of the width is below it.</summary>
    private static string Lt(string signal, int width, long limit) =>
        width < 62 && limit >= 1L << width ? "" : Inv($"({signal} < {VerilogText.Dec(width, limit)})");

    private static string Eq(string signal, int width, long value) => Inv($"({signal} == {VerilogText.Dec(width, value)})");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public override string ModuleName => "eie_axil_host";

    public override object TemplateModel
    {
        get
        {
            var p = Params;
            int wordBits = Lanes * DataWidth, hostBits = p.HostDataWidth;
            return new
            {
                AddrRange = VerilogText.Range(AddrWidth),
                HaddrRange = VerilogText.Range(p.HostAddrWidth),
                HdataRange = VerilogText.Range(hostBits),
                PeRange = VerilogText.Range(p.PeWidth),
                OffRange = VerilogText.Range(p.OffsetWidth),
                LaneRange = VerilogText.Range(LaneBits),
                StageRange = VerilogText.Range(wordBits - DataWidth),
                WordRange = VerilogText.Range(wordBits),
                RegionHi = AddrWidth - 1,
                RegionLo = AddrWidth - CcuParams.RegionWidth,
                PeHi = AddrWidth - CcuParams.RegionWidth - 1,
                PeLo = WordShift + p.OffsetWidth,
                OffHi = WordShift + p.OffsetWidth - 1,
                OffLo = WordShift,
                LaneHi = WordShift - 1,
                HaddrHi = AddrWidth - 1,
                StageZero = VerilogText.Dec(wordBits - DataWidth, 0),
                LaneZero = VerilogText.Dec(LaneBits, 0),
                RegionRegs = VerilogText.Dec(CcuParams.RegionWidth, (int)HostRegion.Registers),
                // The committed word: staged high lanes over lane 0, cut to the host bus.
                Wword = "{stage_q, w_data_q}",
                HostWdata = wordBits == hostBits ? "wword" : Inv($"wword[{hostBits - 1}:0]"),
                WordUnused = wordBits > hostBits,
                Rword = wordBits == hostBits ? "host_rdata_i" : Inv($"{{{wordBits - hostBits}'d0, host_rdata_i}}"),
                Lanes = Enumerable.Range(1, Lanes - 1).Select(k => new
                {
                    Index = VerilogText.Dec(LaneBits, k),
                    Slice = Inv($"[{k * DataWidth - 1}:{(k - 1) * DataWidth}]"),
                }).ToArray(),
                ReadLanes = Enumerable.Range(0, Lanes).Select(k => new
                {
                    Index = VerilogText.Dec(LaneBits, k),
                    Slice = Inv($"[{k * DataWidth + DataWidth - 1}:{k * DataWidth}]"),
                }).ToArray(),
                MappedRead = MappedVerilog(false),
                MappedWrite = MappedVerilog(true),
                Okay = (int)AxiResp.Okay,
                SlvErr = (int)AxiResp.SlvErr,
            };
        }
    }

    public override string Doc => string.Join("\n",
    [
        "eie_axil_host: AXI4-Lite slave (32-bit data, byte addresses) in front of eie_ccu's host bus.",
        Inv($"Byte address = {{region[2:0], pe[{Params.PeWidth - 1}:0], offset[{Params.OffsetWidth - 1}:0], lane[{LaneBits - 1}:0], 2'b00}}: a host word"),
        Inv($"is {Lanes} 32-bit lanes. A write to lane k > 0 is staged; a write to lane 0 commits {{staged"),
        "lanes, lane 0} to the host bus and clears the staged lanes. A read returns one lane of the host",
        "word. One transaction at a time: AW and W are taken in either order (a read waits until neither",
        "is pending), then the response is held until BREADY / RREADY. SLVERR (and no write) for an",
        "unmapped region, PE, offset or lane, a write of a read-only or a read of a write-only word,",
        "WSTRB other than 4'hf, and while busy_i every access but a register read. AWADDR/ARADDR[1:0],",
        "AWPROT and ARPROT are ignored.",
    ]);

    /// <summary>The AXI4-Lite slave ports, <c>s_axil_</c> names as a bus interface has them.</summary>
    public IReadOnlyList<Port> SlavePorts =>
    [
        Port.In("s_axil_awvalid", 1, "write address valid") with { Group = "AXI4-Lite slave" },
        Port.Out("s_axil_awready", 1, "write address taken"),
        Port.In("s_axil_awaddr", AddrWidth, "write byte address: {region, pe, offset, lane, 2'b00}"),
        Port.In("s_axil_awprot", 3, "ignored") with { PartlyUsed = true },
        Port.In("s_axil_wvalid", 1, "write data valid"),
        Port.Out("s_axil_wready", 1, "write data taken"),
        Port.In("s_axil_wdata", DataWidth, "write data: one lane of a host word"),
        Port.In("s_axil_wstrb", 4, "byte strobes: only 4'hf writes"),
        Port.Out("s_axil_bvalid", 1, "write response valid, held until bready"),
        Port.In("s_axil_bready", 1, "write response taken"),
        Port.Out("s_axil_bresp", 2, "OKAY (0) or SLVERR (2)"),
        Port.In("s_axil_arvalid", 1, "read address valid"),
        Port.Out("s_axil_arready", 1, "read address taken"),
        Port.In("s_axil_araddr", AddrWidth, "read byte address"),
        Port.In("s_axil_arprot", 3, "ignored") with { PartlyUsed = true },
        Port.Out("s_axil_rvalid", 1, "read data valid, held until rready"),
        Port.In("s_axil_rready", 1, "read data taken"),
        Port.Out("s_axil_rdata", DataWidth, "read data: one lane of the host word (0 on SLVERR)"),
        Port.Out("s_axil_rresp", 2, "OKAY (0) or SLVERR (2)"),
    ];

    public override IReadOnlyList<Port> Ports =>
    [
        Port.Clock(),
        Port.Reset("no transaction, staged lanes 0"),
        .. SlavePorts,
        Port.Out("host_valid_o", 1, "a host access this cycle") with { Group = "eie_ccu host bus" },
        Port.Out("host_we_o", 1, "the access is a write"),
        Port.Out("host_addr_o", Params.HostAddrWidth, "{region, pe, offset}"),
        Port.Out("host_wdata_o", Params.HostDataWidth, "the committed host word"),
        Port.In("host_rvalid_i", 1, "the CCU's read answer is valid"),
        Port.In("host_rdata_i", Params.HostDataWidth, "the CCU's read answer"),
        Port.In("busy_i", 1, "the CCU's busy_o: the memories and the layer table are closed to the host"),
    ];

    public override IReadOnlyList<Latency> Latencies =>
    [
        new("s_axil_wvalid", "s_axil_bvalid", WriteLatency, "from the cycle the later of AW and W is taken; the host write is issued in the cycle between"),
        new("s_axil_arvalid", "s_axil_rvalid", ReadLatency, "from the AR handshake: 1 to issue, 2 for the CCU's answer, 1 to register the lane"),
        new("s_axil_wvalid", "host_valid_o", 1, "a committing write reaches the CCU 1 cycle after both AW and W are taken"),
    ];

    public override string LatencyNote =>
        "One transaction at a time: a write every 3 cycles, a read every 5 with BREADY / RREADY high.";
}
