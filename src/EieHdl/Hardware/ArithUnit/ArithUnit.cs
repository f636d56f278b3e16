using System.Globalization;
using EieHdl.Arithmetic;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>Shape of a PE's arithmetic unit, read from the config (ActRegAddrWidth: bits of an
/// accumulator address; ProductWidth: the exact signed product of an act and a codebook entry;
/// MaxRun: the longest zero run one entry bridges; AccStorage: what holds the accumulators).</summary>
public sealed record ArithParams(
    int ActWidth, int WeightWidth, int AccWidth, int ProductShift, int IndexBits, int RunBits,
    int CodebookSize, int ActRegEntries, int ActRegAddrWidth, int ProductWidth, int MaxRun, AccStorage AccStorage)
{
    public static ArithParams From(EieConfig config) => new(config.ActWidth, config.WeightWidth, config.AccWidth,
        config.ProductShift, config.IndexBits, config.RunBits, config.CodebookSize, config.ActRegEntries,
        config.ActRegAddrWidth, config.ProductWidth, config.MaxRun, config.AccStorage);

    /// <summary>Address bits of the codebook RAM: the low bits of an index v.</summary>
    public int CodebookAddrWidth => VerilogText.IndexBits(CodebookSize);

    /// <summary>Bits of the row counter x: holds x + z + 1 for any in-range x, up to ActRegEntries + MaxRun.</summary>
    public int XWidth => VerilogText.IndexBits(ActRegEntries + MaxRun + 1L);
}

/// <summary>Values on the arithmetic unit's inputs during one cycle; act, weights and z are raw bits.</summary>
public readonly record struct ArithInputs(
    bool InValid, int InV, int InZ, bool InFirst, uint InAct,
    bool CbWe, int CbAddr, uint CbWdata, bool Clear, int RdAddr);

/// <summary>Values on its outputs during one cycle; RdData is the raw AccWidth-bit word, RdWord
/// and RdLive its split form for a read-out while S2 was empty (RdData = RdLive ? RdWord : 0;
/// RdWord means nothing while RdLive is false: a RAM row not written since the clear).</summary>
public readonly record struct ArithOutputs(bool Busy, bool Error, ulong RdData, ulong RdWord, bool RdLive);

/// <summary>
/// <c>eie_arith_unit</c>: a PE's arithmetic unit, EIE's four stages behind an entry register
/// (S0, for timing: the spmat read unit's lane mux and S1's row arithmetic made the critical
/// path of the PE on iCE40 as one combinational chain). S1 reads the weight from the codebook,
/// a small RAM whose output register is S2's weight register (a 16:1 mux of flip-flop entries in
/// front of the multiplier was the next critical path on iCE40, and those flip-flops cost ~240
/// LCs a PE), and turns z into the destination row x; S2 reads accumulator x and multiplies;
/// S3 shifts the product (rule P2) and adds it, wrapping at AccWidth (rule C1); S4 writes back.
/// The accumulators (AccStorage) are a RAM with one synchronous read port and one write port,
/// or a flip-flop register file as the paper's destination register file. The RAM's read port
/// serves S2 (its output register is S3's operand) and, while S2 is empty, the read-out; a valid
/// bit per row makes the layer's clear one cycle (a row read with its bit clear reads 0). The
/// register file has a read mux for S2 and one for the read-out, registered here so that both
/// storages read out one cycle after the address. On xc7 the RAM is LUT RAM and on iCE40 block
/// RAM, in place of AccWidth flip-flops a row and two read muxes of every row. Two bypasses keep back-to-back hits to one row exact: S2 takes the S4 sum instead of the
/// array (the write lands at the end of this cycle), and when S3 holds the same row, S2 marks
/// the entry so that in S3 it adds to its predecessor's sum, then in S4, instead of its own
/// stale operand. So the newest sum always wins and no entry ever stalls.
/// </summary>
public sealed partial class ArithUnit : HardwareUnit
{
    private readonly FixedPoint _fp;
    private readonly SramSinglePort _codebook;
    // The accumulator words; with AccStorage.Ram, a word counts only while its valid bit is set.
    private readonly long[] _acc;
    private readonly bool[] _valid;
    // The read-out register (flops), or the RAM's output register, its valid bit and the S4
    // bypass word that S3 and the read-out take instead when the valid bit is clear (ram).
    private ulong _rd;
    private long _accRd, _s3Byp;
    private bool _accLive;
    // Entry register (S1's input).
    private ArithPipeState _pipe;
    private bool _s1First;
    private int _s1V, _s1Z;
    private uint _s1Act;
    // Row counter of S1.
    private long _x;
    private bool _colBad = true;
    private bool _error, _s2Bad;
    // Stage registers: S2 holds (x, act, w); S3 (x, shifted product, operand, forward); S4 (x, sum).
    private bool _s3Fwd;
    private int _s2X, _s3X, _s4X;
    private int _s2Act;
    private long _s3Prod, _s3Acc, _s4Sum;

    public ArithUnit(EieConfig config)
    {
        config.Validate();
        Params = ArithParams.From(config);
        _fp = new FixedPoint(config);
        _codebook = new SramSinglePort(new SramShape("codebook (PE)", Params.WeightWidth, Params.CodebookSize));
        _acc = new long[Params.ActRegEntries];
        _valid = new bool[Params.ActRegEntries];
    }

    public ArithParams Params { get; }

    public override string ModuleName => "eie_arith_unit";

    public override IReadOnlyList<HardwareUnit> Submodules => [_codebook];

    public override object TemplateModel
    {
        get
        {
            var p = Params;
            string R(int w) => VerilogText.Range(w);
            int shiftedWidth = p.ProductWidth - p.ProductShift;
            string addend;
            var unusedProduct = new List<string>();
            if (p.ProductShift > 0) unusedProduct.Add(Inv($"s3_prod_q[{p.ProductShift - 1}:0]"));
            if (shiftedWidth >= p.AccWidth)
            {
                addend = Inv($"s3_prod_q[{p.ProductShift + p.AccWidth - 1}:{p.ProductShift}]");
                if (shiftedWidth > p.AccWidth)
                    unusedProduct.Add(Inv($"s3_prod_q[{p.ProductWidth - 1}:{p.ProductShift + p.AccWidth}]"));
            }
            else
            {
                addend = Inv($"{{{{{p.AccWidth - shiftedWidth}{{s3_prod_q[{p.ProductWidth - 1}]}}}}, s3_prod_q[{p.ProductWidth - 1}:{p.ProductShift}]}}");
            }
            // S3's carry select: the low half (the larger one for an odd width) and the high half.
            int accLo = (p.AccWidth + 1) / 2, accHi = p.AccWidth - accLo;
            // Rows left after an entry (S1's bound): signed, from ActRegEntries - 1 down to -(MaxRun + 1).
            int leftWidth = Math.Max(p.XWidth, p.RunBits) + 1;
            bool powerOfTwo = 1L << p.ActRegAddrWidth == p.ActRegEntries;
            int loBits = Math.Min(AccGroupBits, p.ActRegAddrWidth);
            int hiBits = p.ActRegAddrWidth - loBits;
            int groups = (p.ActRegEntries + (1 << loBits) - 1) >> loBits;
            return new
            {
                IdxRange = R(p.IndexBits),
                RunRange = R(p.RunBits),
                ActRange = R(p.ActWidth),
                WeightRange = R(p.WeightWidth),
                AddrRange = R(p.ActRegAddrWidth),
                RowRange = R(p.XWidth),
                ProdRange = R(p.ProductWidth),
                AccRange = R(p.AccWidth),
                AccArrayRange = R(p.ActRegEntries * p.AccWidth),
                AccRam = p.AccStorage == AccStorage.Ram,
                AccLast = p.ActRegEntries - 1,
                // Always a vector, also for one row: the bits are indexed by row.
                EntriesRange = Inv($"[{p.ActRegEntries - 1}:0]"),
                EntriesZero = VerilogText.Dec(p.ActRegEntries, 0),
                AccLoBits = loBits,
                AccHiBits = hiBits,
                AccGroupRows = 1 << loBits,
                // Always vectors: indexed by group, also when there is one.
                GroupsRange = Inv($"[{groups - 1}:0]"),
                GroupsZero = VerilogText.Dec(groups, 0),
                AccLoSlice = hiBits > 0 ? Inv($"[{loBits - 1}:0]") : "",
                AccHiSlice = hiBits > 0 ? Inv($"[{p.ActRegAddrWidth - 1}:{loBits}]") : "",
                p.ActRegEntries,
                p.AccWidth,
                p.ActRegAddrWidth,
                p.WeightWidth,
                p.CodebookSize,
                WeighsZero = p.CodebookSize == 1 << p.IndexBits
                    ? Inv($"(s1_v_q == {VerilogText.Dec(p.IndexBits, 0)})")
                    : Inv($"(s1_v_q == {VerilogText.Dec(p.IndexBits, 0)}) | (s1_v_q >= {VerilogText.Dec(p.IndexBits, p.CodebookSize)})"),
                CbWriteAddr = CodebookAddr("cb_addr_i"),
                CbReadAddr = CodebookAddr("s1_v_q"),
                UnusedCbAddr = p.CodebookAddrWidth >= p.IndexBits
                    ? "" : Inv($"cb_addr_i[{p.IndexBits - 1}:{p.CodebookAddrWidth}]"),
                ActZero = VerilogText.Dec(p.ActWidth, 0),
                AccZero = VerilogText.Dec(p.AccWidth, 0),
                AccArrayZero = VerilogText.Dec(p.ActRegEntries * p.AccWidth, 0),
                RowZero = VerilogText.Dec(p.XWidth, 0),
                RowOne = VerilogText.Dec(p.XWidth, 1),
                // A power-of-two depth is a test of the high bits, not a compare (carry chain);
                // any other depth counts the rows left (RowsLeft).
                RowsLeft = !(powerOfTwo && p.XWidth > p.ActRegAddrWidth),
                RowOutOfRange = Inv($"(|x_next[{p.XWidth - 1}:{p.ActRegAddrWidth}])"),
                p.MaxRun,
                LeftWidth = leftWidth,
                LeftRange = R(leftWidth),
                LeftLast = VerilogText.Dec(leftWidth, p.ActRegEntries - 1),
                RunExtLeft = Inv($"{{{VerilogText.Dec(leftWidth - p.RunBits, 0)}, s1_z_q}}"),
                // A column's first row is z itself, in range whenever every run fits the rows.
                FirstOutOfRange = p.ActRegEntries > p.MaxRun ? "1'b0" : Inv($"rows_left_next[{leftWidth - 1}]"),
                RunExt = Inv($"{{{VerilogText.Dec(p.XWidth - p.RunBits, 0)}, s1_z_q}}"),
                RowToAddr = p.XWidth == p.ActRegAddrWidth ? "x_next" : Inv($"x_next[{p.ActRegAddrWidth - 1}:0]"),
                Addend = addend,
                SumLoWidth = accLo,
                SumHiWidth = accHi,
                SumLoSlice = Inv($"[{accLo - 1}:0]"),
                SumHiSlice = Inv($"[{p.AccWidth - 1}:{accLo}]"),
                SumLoCarryRange = R(accLo + 1),
                SumHiRange = R(accHi),
                SumHiCarryRange = R(accHi + 1),
                S3RamOperands = new[]
                {
                    new { Name = "fwd", Value = "s4_sum_q" }, new { Name = "ram", Value = "acc_rdata_q" }, new { Name = "byp", Value = "s3_byp_q" },
                },
                UnusedProduct = unusedProduct.Count == 0 ? "" : string.Join(", ", unusedProduct),
            };
        }
    }

    /// <summary>RAM accumulators: address bits that pick a row's valid bit within its group in
    /// the read's cycle (a 16:1 mux, four LUT4 levels); the groups are ORed in the next.</summary>
    private const int AccGroupBits = 4;

    /// <summary>The codebook RAM's address bits of an index: the low ones; the rest only say "weighs 0".</summary>
    private string CodebookAddr(string index) =>
        Params.CodebookAddrWidth >= Params.IndexBits ? index : Inv($"{index}[{Params.CodebookAddrWidth - 1}:0]");

    public override string Doc
    {
        get
        {
            var p = Params;
            return string.Join("\n",
            [
                "eie_arith_unit: a PE's arithmetic unit, an entry register and four stages, one entry",
                "accepted every cycle.",
                "  S0  the entry register (v, z, first, act): S1 starts from flip-flops, not from the",
                "      spmat read unit's lane mux",
                "  S1  codebook read w = S[v] into the RAM's output register, and row x = first ? z :",
                "      x + z + 1; v = 0 or v >= CodebookSize weighs 0 (S2's act is zeroed instead); a",
                "      depth that is not a power of two counts the rows left, negative when x is out of range",
                "  S2  read accumulator x (bypassed, see below); exact signed product act * w",
                "  S3  product >>> ProductShift, added to the accumulator, wrapping (docs/arithmetic.md C1);",
                "      with a RAM, one carry-select adder per operand it may take, the sum picked afterwards",
                "  S4  write back",
                Inv($"act {p.ActWidth} bits, codebook {p.CodebookSize} x {p.WeightWidth} bits (eie_sram_sp u_codebook), product {p.ProductWidth} bits,"),
                Inv($"shift {p.ProductShift}; accumulators {p.ActRegEntries} x {p.AccWidth} bits, AccStorage {(p.AccStorage == AccStorage.Ram ? "ram" : "flops")}:"),
                .. p.AccStorage == AccStorage.Ram
                    ? (string[])[
                        "a RAM with one synchronous read port (S2's row, else rd_addr_i) and one write port (S4),",
                        "and a valid bit per row: clear_i clears the bits, and a row whose bit is clear reads 0.",
                        "The read-out shares the read port, so it is exact only while busy_o is low."]
                    : [
                        "a register file: S2 reads, S4 writes, the read-out reads, all in one cycle, and clear_i",
                        "zeroes every row at once, like the paper's destination register file."],
                "Bypass: S2 takes the S4 sum instead of the array when both hold row x, and when S3 holds",
                "row x, the entry adds to that predecessor's sum in the next cycle; so runs of z = 0, padding",
                "and back-to-back hits to one row (also across columns) are exact, with no stall.",
            ]);
        }
    }

    public override IReadOnlyList<Port> Ports =>
    [
        Port.Clock(),
        Port.Reset("as clear_i, and empties the stages"),
        Port.In("in_valid_i", 1, "an entry (v, z) of the current column is offered; it is always taken"),
        Port.In("in_v_i", Params.IndexBits, "codebook index v; v >= CodebookSize weighs 0"),
        Port.In("in_z_i", Params.RunBits, "zero rows before this entry (from the column start when in_first_i)"),
        Port.In("in_first_i", 1, "the entry is its column's first: x restarts at z"),
        Port.In("in_act_i", Params.ActWidth, "a_j, the column's activation (signed)"),
        Port.In("cb_we_i", 1, "write cb_wdata_i to codebook entry cb_addr_i; only while S1 holds no entry (the write takes the RAM's one port; the CCU writes between layers)"),
        Port.In("cb_addr_i", Params.IndexBits, "codebook index of the write, < CodebookSize (entry 0 is never read)"),
        Port.In("cb_wdata_i", Params.WeightWidth, "codebook value (signed)"),
        Port.In("clear_i", 1, "zero every accumulator (or clear its valid bit) and error_o at the next edge; one cycle; only while busy_o is low and no entry is offered (the CCU starts a layer so)"),
        Port.In("rd_addr_i", Params.ActRegAddrWidth, "accumulator to read out; an address >= ActRegEntries reads 0"),
        Port.Out("rd_data_o", Params.AccWidth, "the accumulator rd_addr_i named in the previous cycle (a registered read); exact while busy_o is low (a RAM's read port serves S2 first)"),
        Port.Out("rd_word_o", Params.AccWidth, "rd_data_o before its valid bit: rd_data_o = rd_live_o ? rd_word_o : 0 for a read-out while busy_o is low (ram: the RAM word; flops: rd_data_o itself)"),
        Port.Out("rd_live_o", 1, "rd_word_o is the accumulator; low: the row was not written since the clear, it reads 0 (ram: the valid bit, late in the cycle; flops: always high)"),
        Port.Out("busy_o", 1, "S1, S2, S3 or S4 holds an entry, or a bad row is being flagged; the read-out and error_o are final once it is low"),
        Port.Out("error_o", 1, "sticky: an entry's row x was >= ActRegEntries (a broken encoding). That entry and the rest of its column are dropped. Cleared by clear_i"),
    ];

    /// <summary>Cycles from an entry offered to the first cycle its sum is in its accumulator.</summary>
    public const int AccumulateLatency = 5;

    /// <summary>Cycles from rd_addr_i to its accumulator on rd_data_o.</summary>
    public const int ReadLatency = 1;

    public override IReadOnlyList<Latency> Latencies =>
    [
        new("in_valid_i", "rd_data_o", AccumulateLatency + ReadLatency,
            "an entry offered in cycle t is in S1 at t+1, S2 at t+2, S3 at t+3, S4 at t+4 and written at the end of t+4: a read-out addressed from t+5 on, when busy_o has fallen (if no entry followed), shows it a cycle later"),
        new("rd_addr_i", "rd_data_o", ReadLatency, "the accumulator addressed in cycle t is on rd_data_o in cycle t+1 (flops: a read-out register; ram: the RAM's output register)"),
        new("in_valid_i", "error_o", 3, "error_o rises at t+3 for an entry of cycle t with a bad row"),
        new("cb_we_i", "in_valid_i", 0, "the codebook write of cycle t is used by entries offered from t on (the RAM is read in S1, a cycle later)"),
    ];

    /// <summary>One clock cycle: returns the outputs seen during the cycle, then applies the edge.</summary>
    public ArithOutputs Step(ArithInputs inputs)
    {
        var p = Params;
        bool ram = p.AccStorage == AccStorage.Ram;
        // S3's operand before the forward; with a RAM it is also what the read-out shows.
        long s3Acc = ram ? (_accLive ? _accRd : _s3Byp) : _s3Acc;
        var seen = ram
            ? new ArithOutputs(Busy, _error, Raw(s3Acc, p.AccWidth), Raw(_accRd, p.AccWidth), _accLive)
            : new ArithOutputs(Busy, _error, _rd, _rd, true);
        bool s1Valid = (_pipe.Valid & 1) != 0, s2Valid = (_pipe.Valid & 2) != 0;
        bool s3Valid = (_pipe.Valid & 4) != 0, s4Valid = (_pipe.Valid & 8) != 0;

        // S1: codebook lookup and row accumulation, from the entry register.
        int v = _s1V;
        int z = _s1Z;
        bool weighsZero = v == 0 || v >= p.CodebookSize;
        long xNext = (_s1First ? z : _x + z + 1) & (long)Mask(p.XWidth);
        bool bad = xNext >= p.ActRegEntries || (!_s1First && _colBad);

        // S2: accumulator read with the S4 bypass, S3 hit marks a forward, and the product.
        bool hit3 = s3Valid && _s3X == _s2X;
        bool hit4 = s4Valid && _s4X == _s2X;
        long s3AccNext = hit4 ? _s4Sum : _acc[s2Valid ? _s2X : 0];
        long s3ProdNext = _fp.ShiftedProduct(_s2Act, Signed((uint)_codebook.Rdata, p.WeightWidth));
        // The RAM's one read port serves S2, and the read-out while S2 is empty. A read of the
        // row S4 writes at this edge is never used (S2 takes the S4 bypass; the read-out starts
        // once S4 is empty), so the block RAM may return anything then: the RTL's simulation,
        // and this model, return the word inverted, which would fail every bit-exact check if
        // it were used.
        int rdAddr = ram && s2Valid ? _s2X : inputs.RdAddr;
        bool rdInRange = rdAddr >= 0 && rdAddr < p.ActRegEntries;

        // S3: add to the newest value of the row.
        long s4SumNext = _fp.Wrap((_s3Fwd ? _s4Sum : s3Acc) + _s3Prod);

        // The edge.
        if (ram)
        {
            _accRd = !rdInRange ? 0 : s4Valid && _s4X == rdAddr ? ~_acc[rdAddr] : _acc[rdAddr];
            // Gated by S2's valid bit: S2's row is stale when it is empty, and the read-out must
            // not take the bypass then.
            bool bypass = s2Valid && hit4;
            _accLive = !bypass && rdInRange && _valid[rdAddr];
            _s3Byp = bypass ? _s4Sum : 0;
            if (s4Valid) _acc[_s4X] = _s4Sum;
            if (inputs.Clear) Array.Clear(_valid);
            else if (s4Valid) _valid[_s4X] = true;
        }
        else
        {
            _rd = rdInRange ? Raw(_acc[rdAddr], p.AccWidth) : 0;
            if (inputs.Clear) Array.Clear(_acc);
            else if (s4Valid) _acc[_s4X] = _s4Sum;
        }
        _error = !inputs.Clear && (_error || _s2Bad);
        _s2Bad = !inputs.Clear && s1Valid && bad;
        _s4X = _s3X;
        _s4Sum = s4SumNext;
        _s3X = _s2X;
        _s3Acc = s3AccNext;
        _s3Prod = s3ProdNext;
        _s3Fwd = hit3;
        if (s1Valid)
        {
            _x = xNext;
            _colBad = bad;
            _s2X = bad ? _s2X : (int)xNext;
            _s2Act = weighsZero ? 0 : Signed(_s1Act, p.ActWidth);
        }
        int cbAddr = (inputs.CbWe ? inputs.CbAddr : v) & (int)Mask(p.CodebookAddrWidth);
        _codebook.Step(inputs.CbWe || s1Valid, inputs.CbWe, cbAddr, inputs.CbWdata);
        Commit(ref _pipe, inputs.InValid, bad);
        _s1V = inputs.InV & (int)Mask(p.IndexBits);
        _s1Z = inputs.InZ & (int)Mask(p.RunBits);
        _s1First = inputs.InFirst;
        _s1Act = inputs.InAct;
        return seen;
    }

    /// <summary>Accumulator <paramref name="row"/> as a signed value (as the register file or the RAM holds it now).</summary>
    public long Accumulator(int row) => Params.AccStorage == AccStorage.Flops || _valid[row] ? _acc[row] : 0;

    public bool Busy => PipeBusy(_pipe) || _s2Bad;

    /// <summary>The valid bits and event counts.</summary>
    public ArithPipeState Pipe => _pipe;


    public bool Error => _error;

    private static int Signed(uint raw, int width) => width >= 32 ? (int)raw : (int)(raw << (32 - width)) >> (32 - width);

    private static ulong Raw(long value, int width) => (ulong)value & Mask(width);

    private static ulong Mask(int width) => width >= 64 ? ulong.MaxValue : (1UL << width) - 1;

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
