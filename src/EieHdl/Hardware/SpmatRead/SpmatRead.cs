using System.Globalization;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>Shape of a PE's sparse-matrix read unit, read from the config.</summary>
/// <param name="IndexBits">Bits of v, the low bits of an entry.</param>
/// <param name="RunBits">Bits of z, above v.</param>
/// <param name="WordBits">Bits of one spmat SRAM word.</param>
/// <param name="Depth">Spmat SRAM words.</param>
/// <param name="PtrWidth">Bits of an entry address (col_start_i, col_end_i).</param>
/// <param name="ActWidth">Bits of a column's act.</param>
/// <param name="EntryBits">Bits of one (v, z) entry.</param>
/// <param name="EntriesPerWord">Entries in one SRAM word, a power of two.</param>
/// <param name="LaneShift">log2(EntriesPerWord): the entry-address bits that select the lane (the config's LaneBits).</param>
/// <param name="SpmatAddrWidth">Address bits of the spmat SRAM (load_addr_i).</param>
public sealed record SpmatReadParams(int IndexBits, int RunBits, int WordBits, int Depth, int PtrWidth, int ActWidth,
    int EntryBits, int EntriesPerWord, int LaneShift, int SpmatAddrWidth)
{
    /// <summary>The shape of a validated config: EieConfig.Validate refuses entries that do not pack a
    /// word in a power of two and pointers without word-address bits.</summary>
    public static SpmatReadParams From(EieConfig config)
    {
        config.Validate();
        return new(config.IndexBits, config.RunBits, config.SpmatWordBits, config.SpmatDepth, config.PtrWidth, config.ActWidth,
            config.EntryBits, config.EntriesPerWord, config.LaneBits, config.SpmatAddrWidth);
    }

    /// <summary>Bits of a lane register; at least 1 (with one entry per word every lane is 0).</summary>
    public int LaneWidth => Math.Max(1, LaneShift);

    /// <summary>Bits of a word address taken from an entry address: PtrWidth - LaneShift.</summary>
    public int WordAddrWidth => PtrWidth - LaneShift;
}

/// <summary>
/// Values on the spmat read unit's inputs during one cycle. Start and end are absolute entry
/// addresses (end exclusive); act is the raw ActWidth-bit word; the load port writes one word.
/// </summary>
public readonly record struct SpmatReadInputs(
    bool ColValid, long ColStart, long ColEnd, uint ColAct,
    bool LoadWe = false, int LoadAddr = 0, ulong LoadData = 0);

/// <summary>
/// Values on the spmat read unit's outputs during one cycle. The entry fields (OutV, OutZ,
/// OutFirst, OutAct) are given as 0 while OutValid is low; the RTL leaves them stale then.
/// </summary>
public readonly record struct SpmatReadOutputs(
    bool ColReady, bool OutValid, int OutV, int OutZ, bool OutFirst, uint OutAct, bool Busy);

/// <summary>
/// <c>eie_spmat_read</c>: a PE's sparse-matrix read unit. It owns the spmat SRAM (one
/// <c>eie_sram_sp</c>) and turns each column (start, end, act) from the ptr read unit into that
/// column's (v, z) entries, one per cycle, for the arithmetic unit.
///
/// A column register first takes each column into flip-flops (the column arrives straight from
/// the ptr SRAMs; deciding readiness from it made the PE's critical path on iCE40). A fetcher
/// holds the current column and issues one SRAM word read per cycle into two word
/// slots; an emitter emits one entry per cycle from the older slot. Two slots are enough for
/// one entry every cycle: a slot whose last entry is emitted in cycle u is free in u+1, the
/// word read into it in u+1 is on the SRAM output in u+2, and the other slot's word (at least
/// one entry) covers u+1. A third slot would only let the fetcher run further ahead, which the
/// act queue upstream already provides.
///
/// The model is exact: its outputs equal the RTL's in every cycle (entry fields while
/// out_valid_o is high). It keeps the SRAM in an <see cref="SramSinglePort"/> model, so words
/// are at most 64 bits here (the RTL has no such limit).
/// </summary>
public sealed partial class SpmatRead : HardwareUnit
{
    /// <summary>A word slot's payload; which entries are left is in <see cref="SpmatReadState"/>.</summary>
    private struct Slot
    {
        public int Last;    // lane of the last entry to emit
        public uint Act;
        public bool First;  // the next entry is its column's first
        public ulong Word;  // the word, once captured from the SRAM output
    }

    private readonly SramSinglePort _sram;
    private readonly SpmatReadTiming _timing;
    private SpmatReadState _state;
    private readonly Slot[] _slots = new Slot[2];
    private bool _fresh;        // a word was read last cycle: it is on the SRAM output now
    private int _freshSlot;     // ... and belongs to this slot
    private uint _bAct;         // the column register's act
    private uint _fAct;         // the fetcher's act
    private bool _fFirst;       // the fetcher's next word holds its column's first entry

    public SpmatRead(EieConfig config) : this(SpmatReadParams.From(config)) { }

    public SpmatRead(SpmatReadParams parameters)
    {
        Params = parameters;
        Sram = new SramSinglePort(new SramShape("spmat", parameters.WordBits, parameters.Depth));
        _sram = Sram;
        _timing = new SpmatReadTiming(parameters);
    }

    public SpmatReadParams Params { get; }

    /// <summary>The spmat SRAM instance (its module and its model).</summary>
    public SramSinglePort Sram { get; }

    public override string ModuleName => "eie_spmat_read";

    public override IReadOnlyList<HardwareUnit> Submodules => [Sram];

    public override object TemplateModel
    {
        get
        {
            var p = Params;
            int e = p.EntriesPerWord, l = p.LaneShift, lw = p.LaneWidth, wa = p.WordAddrWidth, aw = p.SpmatAddrWidth;
            string Bits(string signal, int hi, int lo) =>
                hi == lo ? FormattableString.Invariant($"{signal}[{hi}]") : FormattableString.Invariant($"{signal}[{hi}:{lo}]");
            // Word and lane of an entry address; with one entry a word the lane is always 0.
            string WordOf(string addr) => Bits(addr, p.PtrWidth - 1, l);
            string LaneOf(string addr) => l == 0 ? VerilogText.Dec(1, 0) : Bits(addr, l - 1, 0);
            // SRAM address of the fetcher's word: the low bits, or zero-extended.
            string sramAddr = wa == aw ? "f_word_q"
                : wa > aw ? Bits("f_word_q", aw - 1, 0)
                : "{" + VerilogText.Dec(aw - wa, 0) + ", f_word_q}";
            return new
            {
                p.WordBits,
                p.Depth,
                p.IndexBits,
                p.EntryBits,
                PtrRange = VerilogText.Range(p.PtrWidth),
                ActRange = VerilogText.Range(p.ActWidth),
                WordRange = VerilogText.Range(p.WordBits),
                WaRange = VerilogText.Range(wa),
                LaneRange = VerilogText.Range(lw),
                EntryRange = VerilogText.Range(p.EntryBits),
                VRange = VerilogText.Range(p.IndexBits),
                EntryV = Bits("entry", p.IndexBits - 1, 0),
                EntryZ = Bits("entry", p.EntryBits - 1, p.IndexBits),
                PtrOne = VerilogText.Dec(p.PtrWidth, 1),
                WaOne = VerilogText.Dec(wa, 1),
                LaneZero = VerilogText.Dec(lw, 0),
                LaneOne = VerilogText.Dec(lw, 1),
                LaneMax = VerilogText.Dec(lw, e - 1),
                EntryZero = VerilogText.Dec(p.EntryBits, 0),
                StartWord = WordOf("col_start_i"),
                StartLane = LaneOf("col_start_i"),
                LastWord = WordOf("col_last"),
                LastLane = LaneOf("col_last"),
                SramAddr = sramAddr,
                Lanes = Enumerable.Range(0, e).Select(k => new
                {
                    Label = VerilogText.Dec(lw, k),
                    Slice = VerilogText.Slice(k, p.EntryBits),
                }).ToArray(),
            };
        }
    }

    public override string Doc
    {
        get
        {
            var p = Params;
            string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
            return string.Join("\n",
            [
                "eie_spmat_read: a PE's sparse-matrix read unit. Turns each column (start, end, act) from the",
                "ptr read unit into the column's (v, z) entries, one per cycle, for the arithmetic unit.",
                "",
                F($"Spmat SRAM: one eie_sram_sp of {p.Depth} words x {p.WordBits} bits, {p.EntriesPerWord} entries of {p.EntryBits} bits a word."),
                F($"Entry address a is lane a & {p.EntriesPerWord - 1} of word a >> {p.LaneShift}, at bits [lane*{p.EntryBits} +: {p.EntryBits}]; v is its"),
                F($"low {p.IndexBits} bits, z the {p.RunBits} bits above. A column's entries are the addresses [start, end)."),
                "",
                "A column register takes each column from the ptr read unit (whose SRAM output it is) and",
                "turns it into flip-flops: empty flag, first and last word and lane. Behind it a",
                "fetcher holds one column and reads one word per cycle into two word slots (word, lane",
                "range, act, first flag); an emitter emits one entry per cycle from the older slot, from",
                "the SRAM output in the cycle after the read and from the slot's register after that.",
                "Two slots suffice: a slot whose last entry leaves in cycle u is refilled in u+1, its word",
                "is on the SRAM output in u+2, and the other slot (at least one entry) covers u+1.",
            ]);
        }
    }

    public override IReadOnlyList<Port> Ports =>
    [
        Port.Clock(),
        Port.Reset("drops every column in flight"),
        Port.In("load_we_i", 1, "host load: write load_data_i to spmat word load_addr_i. Only while busy_o is low (the CCU loads in I/O mode): the fetcher does not look at it, as it is on the PE's column path"),
        Port.In("load_addr_i", Params.SpmatAddrWidth, "spmat word address"),
        Port.In("load_data_i", Params.WordBits, "spmat word"),
        Port.In("col_valid_i", 1, "the ptr read unit offers a column"),
        Port.Out("col_ready_o", 1, "column taken this cycle, into the column register: when that is empty or its column leaves, i.e. it is empty (start = end, dropped), or the fetcher holds no column or issues its column's last word this cycle. From registers only, not from the column itself"),
        Port.In("col_start_i", Params.PtrWidth, "address of the column's first entry"),
        Port.In("col_end_i", Params.PtrWidth, "one past its last entry; start <= end (start > end is not allowed)"),
        Port.In("col_act_i", Params.ActWidth, "the column's act a_j, passed along with its entries"),
        Port.Out("out_valid_o", 1, "an entry this cycle; the arithmetic unit takes it (no back-pressure)"),
        Port.Out("out_v_o", Params.IndexBits, "codebook index v (stale when out_valid_o is low, as are the others)"),
        Port.Out("out_z_o", Params.RunBits, "zero-run z"),
        Port.Out("out_first_o", 1, "first entry of its column: the arithmetic unit restarts its row"),
        Port.Out("out_act_o", Params.ActWidth, "the act of the entry's column"),
        Port.Out("busy_o", 1, "a non-empty column is in flight (taken and not all of its entries emitted); from registers: low in the cycle after the last entry is emitted. An empty column never makes it high"),
    ];

    /// <summary>Cycles from a column taken by an idle unit to its first entry.</summary>
    public const int FirstEntryLatency = 3;

    public override IReadOnlyList<Latency> Latencies =>
    [
        new("col_valid_i", "out_valid_o", FirstEntryLatency,
            "a non-empty column taken in cycle t, with the unit idle, shows its first entry in t+3 (column register in t+1, fetcher and SRAM read in t+2, entry from the SRAM output in t+3); its other entries follow one per cycle"),
    ];

    public override string LatencyNote => string.Join("\n",
    [
        "In general column k's first entry is in cycle max(t_k + 3, L + 1), where t_k is the cycle",
        "it is taken and L the cycle of the previous column's last entry. An empty column produces",
        "nothing, but uses a cycle of the column port and one of the column register.",
        "Throughput: entries leave one per cycle without bubbles across word and column",
        "boundaries, whatever the column lengths and alignment, as long as the next column is",
        "offered in time: the fetcher takes a column in the cycle the previous one's last word is",
        "issued, and it issues a word when it holds a column, the next slot is free",
        "(at the start of the cycle). Each word is read once. A slot is",
        "held from the cycle after its word's read to the cycle of its last entry.",
    ]);

    /// <summary>
    /// Writes <paramref name="entries"/> into the spmat SRAM from entry address 0, as the host
    /// would through the load port (without spending cycles); entry = v | z &lt;&lt; IndexBits.
    /// Returns the words written.
    /// </summary>
    public ulong[] Load(IReadOnlyList<int> entries)
    {
        var words = PackWords(Params, entries);
        for (int w = 0; w < words.Length; w++) _sram.Step(true, true, w, words[w]);
        return words;
    }

    /// <summary>Packs entries into spmat words, entry k of word w at bits [k*EntryBits +: EntryBits].</summary>
    public static ulong[] PackWords(SpmatReadParams p, IReadOnlyList<int> entries)
    {
        var words = new ulong[(entries.Count + p.EntriesPerWord - 1) / p.EntriesPerWord];
        for (int a = 0; a < entries.Count; a++)
            words[a >> p.LaneShift] |= ((ulong)entries[a] & ((1UL << p.EntryBits) - 1))
                << ((a & (p.EntriesPerWord - 1)) * p.EntryBits);
        return words;
    }

    /// <summary>One clock cycle: returns the outputs seen during the cycle, then applies the edge.</summary>
    public SpmatReadOutputs Step(SpmatReadInputs inputs)
    {
        var p = Params;
        long ptrMask = (1L << p.PtrWidth) - 1;
        long start = inputs.ColStart & ptrMask, end = inputs.ColEnd & ptrMask;
        if (inputs.ColValid && start > end)
            throw new ArgumentException($"column start {start} is after its end {end}");

        var g = Evaluate(_state);
        if (g.Issue && inputs.LoadWe)
            throw new InvalidOperationException("a load while the fetcher reads: loads are for I/O mode (busy_o low) only");
        bool busy = Busy(_state);

        long sramAddr = inputs.LoadWe ? inputs.LoadAddr : _state.FWord & ((1L << Math.Min(p.SpmatAddrWidth, p.WordAddrWidth)) - 1);
        ulong rdata = _sram.Step(g.Issue || inputs.LoadWe, inputs.LoadWe, (int)sramAddr, inputs.LoadData);

        // Emitter: one entry of the head slot, from the SRAM output if its word was read last cycle.
        int headSlot = _state.Head;
        ref var head = ref _slots[headSlot];
        var outputs = new SpmatReadOutputs(g.ColReady, false, 0, 0, false, 0, busy);
        if (g.Emit)
        {
            ulong word = _fresh && _freshSlot == headSlot ? rdata : head.Word;
            int lo = head.Last - _state.Left(headSlot) + 1;
            int entry = (int)((word >> (lo * p.EntryBits)) & ((1UL << p.EntryBits) - 1));
            outputs = outputs with
            {
                OutValid = true,
                OutV = entry & ((1 << p.IndexBits) - 1),
                OutZ = entry >> p.IndexBits,
                OutFirst = head.First,
                OutAct = head.Act,
            };
        }

        // Edge: the payloads, from the registers before the edge, then the registers.
        if (_fresh) _slots[_freshSlot].Word = rdata;
        if (g.Emit) head.First = false;
        _fresh = g.Issue;
        if (g.Issue)
        {
            int tail = _state.Tail;
            _slots[tail] = new Slot
            {
                Last = g.IsLast ? _state.FLastLane : p.EntriesPerWord - 1,
                Act = _fAct,
                First = _fFirst,
            };
            _freshSlot = tail;
            _fFirst = false;
        }
        if (g.BLeave && _state.BStart != _state.BEnd)
        {
            _fAct = _bAct;
            _fFirst = true;
        }
        if (g.ColReady) _bAct = inputs.ColAct & (p.ActWidth >= 32 ? uint.MaxValue : (1u << p.ActWidth) - 1);
        Commit(ref _state, g, _timing, inputs.ColValid, start, end);
        return outputs;
    }

    /// <summary>The unit's timing registers and event counts.</summary>
    public SpmatReadState State => _state;

    /// <summary>Drops every column in flight (rst_ni low for a cycle); the SRAM keeps its words.</summary>
    public void Reset()
    {
        _state = _state with
        {
            Left0 = 0, Left1 = 0, Head = 0, Tail = 0, BValid = false, FValid = false,
        };
        _fresh = false;
    }
}
