using System.Globalization;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>
/// <c>eie_uart_host</c>: the bridge from a UART to eie_top's host bus. It parses the framed byte
/// protocol of <see cref="UartHostProtocol"/> (command byte, little-endian address and data
/// bytes), issues one host bus access per frame and answers reads, status and identification
/// on the transmitter. Field sizes follow the config: AddrBytes = ceil(HostAddrWidth / 8),
/// DataBytes = ceil(HostDataWidth / 8), at most 16 (a 4-bit length field).
/// </summary>
public sealed class UartHost : HardwareUnit
{
    public const int MaxDataBytes = 16;

    /// <summary>The first byte of the identification reply is IdentMagic + the protocol version.</summary>
    public const byte IdentMagic = 0x45;

    /// <summary>Protocol version 1: the RLC frames ACTS and OUTS besides the raw ones (version 0).</summary>
    public const int RlcVersion = 1;

    /// <summary>Cycles from the receiver's valid_o for the last address byte of a read to the reply's start bit on tx_o.</summary>
    public const int ReadTurnaround = 8;

    /// <summary>Cycles from the receiver's valid_o for a status command to the reply's start bit.</summary>
    public const int StatusTurnaround = 4;

    /// <summary>Cycles from the receiver's valid_o for the last data byte of a write to host_valid_o high.</summary>
    public const int WriteLatency = 1;

    public UartHost(EieConfig config, UartTiming timing)
    {
        config.Validate();
        Config = config;
        Timing = timing;
        Params = new CcuParams(config);
        if (Params.HostDataWidth % 8 != 0)
            throw new InvalidOperationException($"host data width {Params.HostDataWidth} is not whole bytes");
        AddrBytes = (Params.HostAddrWidth + 7) / 8;
        DataBytes = Params.HostDataWidth / 8;
        if (DataBytes > MaxDataBytes)
            throw new EieInputException(
                $"config: the UART bridge moves host words of at most {MaxDataBytes * 8} bits (SpmatWordBits), got {Params.HostDataWidth}");
        Rx = new UartRx(timing);
        Tx = new UartTx(timing);
        Rlc = new ActRlc(config.ActWidth);
        ActCapacity = (long)config.Pes * config.ActHalfDepth;
        CountBytes = CountBytesOf(config);
        // A word's 8 bytes take 80 bit times, 76 from a sender at the receiver's ~4% tolerance.
        long wordCycles = 76L * timing.Divisor;
        if (DecodeCycles > wordCycles)
            throw new EieInputException(Inv(
                $"baud: at most {timing.ClockHz * 76 / DecodeCycles} at {timing.ClockHz} Hz, so that the bridge decodes an RLC word of {Rlc.MaxActsPerWord} acts ({DecodeCycles} cycles) before the next arrives, got {timing.Baud}"));
    }

    /// <summary>
    /// Cycles the ACTS decoder may take for one word: it writes an act every other cycle, so
    /// that each step reads flags registered a cycle before; one more to take the word.
    /// </summary>
    public int DecodeCycles => 2 * Rlc.MaxActsPerWord + 1;

    /// <summary>Bytes of the act count of an ACTS or OUTS frame: enough for Pes x ActHalfDepth.</summary>
    public static int CountBytesOf(EieConfig config) => (VerilogText.IndexBits((long)config.Pes * config.ActHalfDepth + 1) + 7) / 8;

    /// <summary>The act packing of ACTS and OUTS frames.</summary>
    public ActRlc Rlc { get; }

    /// <summary>Acts of one half of every PE's act SRAM: the longest vector an ACTS or OUTS frame moves.</summary>
    public long ActCapacity { get; }

    /// <summary>Bytes of the act count field of ACTS and OUTS.</summary>
    public int CountBytes { get; }

    public EieConfig Config { get; }
    public UartTiming Timing { get; }
    public CcuParams Params { get; }
    public UartRx Rx { get; }
    public UartTx Tx { get; }

    /// <summary>Address bytes of a read or write frame.</summary>
    public int AddrBytes { get; }

    /// <summary>Data bytes of the widest host word.</summary>
    public int DataBytes { get; }

    /// <summary>Bytes of the reply register: a host word, or the 4-byte identification.</summary>
    public int ReplyBytes => Math.Max(DataBytes, 4);

    public override string ModuleName => "eie_uart_host";

    public override IReadOnlyList<HardwareUnit> Submodules => [Rx, Tx];

    /// <summary>Edges from the last address byte's start bit reaching rx_i to the reply's start bit on tx_o.</summary>
    public int ReadReplyLatency => Rx.Latency + ReadTurnaround;

    public override object TemplateModel
    {
        get
        {
            int a = Params.HostAddrWidth, d = Params.HostDataWidth;
            int tw = VerilogText.IndexBits(Timing.TimeoutCycles);
            int cw = CountBytes * 8, pw = Config.PeWidth, rw = Params.HalfAddrWidth, sw = VerilogText.IndexBits(Rlc.Pairs + 1L);
            int pad = Params.OffsetWidth - rw - 1, addrPad = AddrBytes * 8 - a, pairsBits = Rlc.Pairs * Rlc.PairBits;
            string newPair = Inv($"(pad_q ? {VerilogText.Dec(Rlc.PairBits, 0)} : {{got_level_q, run_q}})");
            string actAddr = "{" + (addrPad > 0 ? Inv($"{addrPad}'d0, ") : "") + Inv($"3'd{(int)HostRegion.Act}, pe_q, ")
                + (pad > 0 ? Inv($"{pad}'d0, ") : "") + "half_q, row_q}";
            return new
            {
                PeRange = VerilogText.Range(pw),
                PeZero = VerilogText.Dec(pw, 0),
                PeOne = VerilogText.Dec(pw, 1),
                PeLast = VerilogText.Dec(pw, Config.Pes - 1),
                RowRange = VerilogText.Range(rw),
                RowZero = VerilogText.Dec(rw, 0),
                RowOne = VerilogText.Dec(rw, 1),
                CountRange = VerilogText.Range(cw),
                CountZero = VerilogText.Dec(cw, 0),
                CountOne = VerilogText.Dec(cw, 1),
                CountMax = VerilogText.Dec(cw, ActCapacity),
                CountLast = VerilogText.Dec(4, CountBytes - 1),
                CountNext = CountBytes == 1 ? "rx_data" : Inv($"{{rx_data, acts_q[{cw - 1}:8]}}"),
                ActAddr = actAddr,
                PairsRange = VerilogText.Range(pairsBits),
                PairsZero = VerilogText.Dec(pairsBits, 0),
                // Bytes 0..6 of an ACTS word; the pairs take the eighth as it arrives.
                WordRange = VerilogText.Range(56),
                WordZero = VerilogText.Dec(56, 0),
                WordNext = "{rx_data, word_q[55:8]}",
                WordPairs = pairsBits > 56 ? Inv($"{{rx_data[{pairsBits - 57}:0], word_q}}") : Inv($"word_q[{pairsBits - 1}:0]"),
                // OUTS: a pair shifts in at the top (a zero pair while padding the last word).
                PairsShiftIn = Rlc.Pairs == 1 ? newPair : Inv($"{{{newPair}, pairs_q[{pairsBits - 1}:{Rlc.PairBits}]}}"),
                SlotRange = VerilogText.Range(sw),
                SlotZero = VerilogText.Dec(sw, 0),
                SlotOne = VerilogText.Dec(sw, 1),
                SlotFull = VerilogText.Dec(sw, Rlc.Pairs),
                SlotLast = VerilogText.Dec(sw, Rlc.Pairs - 1),
                RunRange = VerilogText.Range(Rlc.RunBits),
                RunZero = VerilogText.Dec(Rlc.RunBits, 0),
                RunOne = VerilogText.Dec(Rlc.RunBits, 1),
                RunMax = VerilogText.Dec(Rlc.RunBits, Rlc.MaxRun),
                RunBits = Rlc.RunBits,
                PairBits = Rlc.PairBits,
                LevelBits = Rlc.LevelBits,
                LevelRange = VerilogText.Range(Rlc.LevelBits),
                LevelZero = VerilogText.Dec(Rlc.LevelBits, 0),
                LevelToData = Inv($"{{{DataBytes * 8 - Rlc.LevelBits}'d0, pair_level}}"),
                DecodeCycles = DecodeCycles,
                // Bit 63 marks the vector's last word; the bits between the pairs and it are zero.
                ReplyWord = "{" + (ReplyBytes > 8 ? Inv($"{(ReplyBytes - 8) * 8}'d0, ") : "") + "rd_last_q, "
                    + (pairsBits < 63 ? Inv($"{63 - pairsBits}'d0, ") : "") + "pairs_q}",
                AddrRange = VerilogText.Range(a),
                DataRange = VerilogText.Range(d),
                AddrRegRange = VerilogText.Range(AddrBytes * 8),
                DataRegRange = VerilogText.Range(DataBytes * 8),
                ReplyRange = VerilogText.Range(ReplyBytes * 8),
                AddrSlice = AddrBytes * 8 == a ? "addr_q" : Inv($"addr_q[{a - 1}:0]"),
                // Address bits above the bus: a frame that sets any is refused, not aliased.
                AddrHigh = AddrBytes * 8 == a ? "1'b0" : Inv($"(|addr_next[{AddrBytes * 8 - 1}:{a}])"),
                AddrNext = AddrBytes == 1 ? "rx_data" : Inv($"{{rx_data, addr_q[{AddrBytes * 8 - 1}:8]}}"),
                AddrLast = VerilogText.Dec(4, AddrBytes - 1),
                DataLast = VerilogText.Dec(4, DataBytes - 1),
                DataLanes = Enumerable.Range(0, DataBytes)
                    .Select(k => new { Index = VerilogText.Dec(4, k), Slice = Inv($"[{k * 8 + 7}:{k * 8}]") }).ToArray(),
                ReplyRead = ReplyBytes == DataBytes ? "rdata_q" : Inv($"{{{(ReplyBytes - DataBytes) * 8}'d0, rdata_q}}"),
                ReplyStatus = Inv($"{{{(ReplyBytes - 1) * 8}'d0, status}}"),
                ReplyIdent = "{" + (ReplyBytes > 4 ? Inv($"{(ReplyBytes - 4) * 8}'d0, ") : "")
                    + Inv($"8'd{Config.Pes - 1}, 8'd{DataBytes}, 8'd{AddrBytes}, 8'h{IdentMagic + RlcVersion:x2}") + "}",
                AddrRegZero = VerilogText.Dec(AddrBytes * 8, 0),
                DataRegZero = VerilogText.Dec(DataBytes * 8, 0),
                ReplyZero = VerilogText.Dec(ReplyBytes * 8, 0),
                ReplyShift = Inv($"{{8'd0, reply_q[{ReplyBytes * 8 - 1}:8]}}"),
                IdleRange = VerilogText.Range(tw),
                IdleZero = VerilogText.Dec(tw, 0),
                IdleOne = VerilogText.Dec(tw, 1),
                IdleLastButOne = VerilogText.Dec(tw, Timing.TimeoutCycles - 2),
            };
        }
    }

    public override string Doc => string.Join("\n",
    [
        "eie_uart_host: UART to host-bus bridge for eie_top,",
        Inv($"{Timing.Baud} baud 8N1 at {Timing.ClockHz} Hz, {Timing.Divisor} clocks per bit."),
        "The host sends frames; every multi-byte field is little-endian. A command byte is",
        "{op[3:0], n[3:0]}, where n + 1 is the number of data bytes (1..DataBytes):",
        Inv($"  0x1n WRITE  + {AddrBytes} address bytes + n+1 data bytes: one host write, data zero-extended; no reply"),
        Inv($"  0x2n READ   + {AddrBytes} address bytes: one host read; reply: the low n+1 bytes of the read data"),
        "  0x30 STATUS reply: 1 byte {4'b0, dropped, error_o, done_o, busy_o} of eie_top; reading it",
        "              clears dropped",
        "  0x40 WAIT   reply: the STATUS byte, sent once busy_o is low (after a start: at the run's end)",
        Inv($"  0x50 IDENT  reply: 4 bytes 0x{IdentMagic + RlcVersion:x2} (0x{IdentMagic:x2} + version {RlcVersion}), AddrBytes ({AddrBytes}), DataBytes ({DataBytes}), Pes - 1 ({Config.Pes - 1})"),
        Inv($"  0x6h ACTS   + {CountBytes} count bytes L + RLC words: acts 0..L-1 written to half h; reply: the STATUS"),
        "              byte once the last act is written",
        Inv($"  0x7h OUTS   + {CountBytes} count bytes L: reply: acts 0..L-1 of half h as RLC words (the last has bit 63 set)"),
        Inv($"RLC words (8 bytes each): {Rlc}; L in [1, {ActCapacity}]."),
        Inv($"Address: {Params.HostAddrWidth} bits, eie_top's host_addr_i; data: {Params.HostDataWidth} bits, DataBytes = {DataBytes}."),
        "The host waits for a reply before it sends the next frame; writes need no wait. dropped is",
        "set by a byte that arrives while a reply is pending, a framing error, an unknown op, n + 1 >",
        "DataBytes, an address with bits set above the bus, an RLC count out of range, an RLC word that",
        "arrives before the previous one is written, or a frame left unfinished for",
        Inv($"{Timing.TimeoutCycles} cycles ({UartTiming.FrameTimeoutSeconds * 1000:F0} ms), after which the parser waits for a command byte again."),
        "Every such frame is dropped whole, with no host access.",
    ]);

    public override IReadOnlyList<Port> Ports =>
    [
        Port.Clock(),
        Port.Reset(),
        Port.In("rx_i", 1, "UART line from the PC (asynchronous, synchronised in eie_uart_rx)"),
        Port.Out("tx_o", 1, "UART line to the PC"),
        Port.Out("host_valid_o", 1, "one host access per frame, high for one cycle") with { IsReg = true },
        Port.Out("host_we_o", 1, "the access is a write") with { IsReg = true },
        Port.Out("host_addr_o", Params.HostAddrWidth, "its address (stable until the next frame)"),
        Port.Out("host_wdata_o", Params.HostDataWidth, "its write data (stable until the next frame)"),
        Port.In("host_rvalid_i", 1, "eie_top's read answer is valid"),
        Port.In("host_rdata_i", Params.HostDataWidth, "eie_top's read answer"),
        Port.In("busy_i", 1, "eie_top's busy_o"),
        Port.In("done_i", 1, "eie_top's done_o"),
        Port.In("error_i", 1, "eie_top's error_o"),
    ];

    /// <summary>The event the latencies count from: the receiver's valid_o for the frame's last byte.</summary>
    private const string LastByte = "last byte received";

    public override IReadOnlyList<Latency> Latencies =>
    [
        new(LastByte, "host_valid_o", WriteLatency, "a write frame's host access"),
        new(LastByte, "host_valid_o", 1, "a read frame's host access"),
        new(LastByte, "tx_o", ReadTurnaround,
            "a read's reply start bit: 1 to issue, 2 for eie_top's answer, 1 to register it, 1 to choose the reply, 1 to load it, 1 to offer it, 1 to start the transmitter"),
        new(LastByte, "tx_o", StatusTurnaround, "a status reply's start bit: 1 to choose the reply, 1 to load it, 1 to offer it, 1 to start the transmitter"),
    ];

    public override string LatencyNote => Inv(
        $"Each byte costs 10 bits = {10 * Timing.Divisor} cycles on the line; the receiver delivers a byte {Rx.Latency}\ncycles after its start bit begins. \"{LastByte}\" is the receiver's valid_o for the frame's\nlast byte.");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
