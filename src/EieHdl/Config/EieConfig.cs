using System.Text.Json;
using System.Text.Json.Serialization;
using EieHdl.Hardware;

namespace EieHdl.Config;

/// <summary>
/// What holds a PE's accumulators (<see cref="EieConfig.AccStorage"/>); both give the same
/// results in the same cycles. JSON and --set spell it "ram" or "flops".
/// </summary>
[JsonConverter(typeof(ConfigEnumConverter<AccStorage>))]
public enum AccStorage
{
    /// <summary>A memory with a synchronous read and a valid bit per row, so a layer's clear is one cycle.</summary>
    Ram,

    /// <summary>A register file: AccWidth flip-flops per row and a read mux of every row.</summary>
    Flops,
}

/// <summary>
/// eie_top's host interface (<see cref="EieConfig.HostBus"/>). JSON and --set spell it
/// "simple" or "axi4lite".
/// </summary>
[JsonConverter(typeof(ConfigEnumConverter<HostBus>))]
public enum HostBus
{
    /// <summary>The CCU's host bus: reads answer 2 cycles later, no back-pressure.</summary>
    Simple,

    /// <summary>An AXI4-Lite slave with 32-bit data in front of the CCU's host bus.</summary>
    [JsonStringEnumMemberName("axi4lite")]
    AxiLite,
}

/// <summary>
/// The one configuration record of an EIE instance. It flows from the top down: the encoder,
/// the golden model and every hardware unit read their parameters from it and nothing else.
/// Defaults are EIE's published values (ISCA 2016) except where the paper is inconsistent;
/// docs/arithmetic.md says which and why.
/// </summary>
public sealed record EieConfig
{
    /// <summary>Number of processing elements; row i lives in PE i mod Pes.</summary>
    public int Pes { get; init; } = 64;

    /// <summary>Activation word width (signed two's complement).</summary>
    public int ActWidth { get; init; } = 16;

    /// <summary>Fraction bits of an activation; 1.0 is 1 &lt;&lt; ActFracBits.</summary>
    public int ActFracBits { get; init; } = 8;

    /// <summary>Codebook entry width (signed two's complement).</summary>
    public int WeightWidth { get; init; } = 16;

    /// <summary>Fraction bits of a codebook entry.</summary>
    public int WeightFracBits { get; init; } = 12;

    /// <summary>Accumulator width; the accumulator wraps (two's complement) at this width.</summary>
    public int AccWidth { get; init; } = 32;

    /// <summary>Arithmetic right shift applied to each product before it is accumulated.</summary>
    public int ProductShift { get; init; } = 0;

    /// <summary>Bits of the codebook index v in a spmat entry.</summary>
    public int IndexBits { get; init; } = 4;

    /// <summary>Bits of the relative row index z in a spmat entry.</summary>
    public int RunBits { get; init; } = 4;

    /// <summary>Number of shared weights; entry 0 is reserved for the value 0.</summary>
    public int CodebookSize { get; init; } = 16;

    /// <summary>Depth of each PE's act queue (FIFO of (a_j, j) pairs).</summary>
    public int ActQueueDepth { get; init; } = 8;

    /// <summary>Width of a spmat SRAM word; holds SpmatWordBits / EntryBits entries.</summary>
    public int SpmatWordBits { get; init; } = 64;

    /// <summary>Spmat SRAM depth in words per PE (16384 x 64 bit = the paper's 128 KB).</summary>
    public int SpmatDepth { get; init; } = 16384;

    /// <summary>Pointer width in bits. 17, not the paper's 16, so that a pointer can address
    /// every entry of the paper's 128 KB spmat SRAM.</summary>
    public int PtrWidth { get; init; } = 17;

    /// <summary>Pointers per PE, even and odd banks together (the paper's 32 KB of 16-bit words).</summary>
    public int PtrDepth { get; init; } = 16384;

    /// <summary>Accumulator registers per PE (the paper's 64-entry destination register file):
    /// a layer needs ceil(Outputs / Pes) of them.</summary>
    public int ActRegEntries { get; init; } = 64;

    /// <summary>Per-PE act SRAM depth in acts (2 KB of 16-bit words), split into a source and a
    /// destination half that swap roles at each layer.</summary>
    public int ActSramDepth { get; init; } = 1024;

    /// <summary>Fan-in of each leading-non-zero-detection node.</summary>
    public int LnzdFanIn { get; init; } = 4;

    /// <summary>Layers the CCU's layer table holds: the longest chain one start runs.</summary>
    public int MaxLayers { get; init; } = 8;

    /// <summary>eie_top's host interface: "simple" (the CCU's host bus, reads answer 2 cycles
    /// later, no back-pressure) or "axi4lite" (an AXI4-Lite slave with 32-bit data in front of it).</summary>
    public HostBus HostBus { get; init; } = HostBus.Simple;

    /// <summary>eie_top has the AXI4-Lite slave interface.</summary>
    [JsonIgnore] public bool IsAxiLite => HostBus == HostBus.AxiLite;

    /// <summary>What holds a PE's accumulators: "ram", a synchronous-read memory with a valid bit
    /// per row (block or distributed RAM on an FPGA), or "flops", a register file.</summary>
    public AccStorage AccStorage { get; init; } = AccStorage.Ram;

    // ---- derived quantities (not configuration; never serialised) ----

    /// <summary>Bits of one spmat entry: v in the low IndexBits, z above it.</summary>
    [JsonIgnore] public int EntryBits => IndexBits + RunBits;

    [JsonIgnore] public int EntriesPerWord => SpmatWordBits / EntryBits;

    /// <summary>Largest run of zero rows one entry can bridge; a longer run needs padding.</summary>
    [JsonIgnore] public int MaxRun => (1 << RunBits) - 1;

    /// <summary>Fraction bits of the accumulator.</summary>
    [JsonIgnore] public int AccFracBits => ActFracBits + WeightFracBits - ProductShift;

    /// <summary>Product width: exact signed product of an activation and a codebook entry.</summary>
    [JsonIgnore] public int ProductWidth => ActWidth + WeightWidth;

    /// <summary>Acts of one vector one PE can hold: half the act SRAM.</summary>
    [JsonIgnore] public int ActHalfDepth => ActSramDepth / 2;

    /// <summary>Entries one PE can hold.</summary>
    [JsonIgnore] public long SpmatEntries => (long)SpmatDepth * EntriesPerWord;

    /// <summary>Pointer bits that select an entry within a spmat word: log2(EntriesPerWord).</summary>
    [JsonIgnore] public int LaneBits => System.Numerics.BitOperations.Log2((uint)EntriesPerWord);

    // ---- derived widths: each computed here once, read by every unit that has the quantity ----

    /// <summary>Bits of a PE number, 0 .. Pes-1.</summary>
    [JsonIgnore] public int PeWidth => VerilogText.IndexBits(Pes);

    /// <summary>Bits of a column index j or a ptr index q = ptr base + j, both below PtrDepth.</summary>
    [JsonIgnore] public int IdxWidth => VerilogText.IndexBits(PtrDepth);

    /// <summary>Bits of a layer's global vector length, 0 .. Pes x ActHalfDepth.</summary>
    [JsonIgnore] public int LenWidth => VerilogText.IndexBits((long)Pes * ActHalfDepth + 1);

    /// <summary>Address bits of one act SRAM half (also of a PE's local row).</summary>
    [JsonIgnore] public int HalfAddrWidth => VerilogText.IndexBits(ActHalfDepth);

    /// <summary>Address bits of a PE's accumulator registers.</summary>
    [JsonIgnore] public int ActRegAddrWidth => VerilogText.IndexBits(ActRegEntries);

    /// <summary>Address bits of the spmat SRAM (a word address).</summary>
    [JsonIgnore] public int SpmatAddrWidth => VerilogText.IndexBits(SpmatDepth);

    /// <summary>Widest spmat word the host-side drivers (Verilator co-simulation, back-door and
    /// UART loads) move in one 64-bit host-bus write.</summary>
    public const int MaxHostSpmatWordBits = 64;

    /// <summary>
    /// Refuses a config whose spmat words are wider than the host-side drivers move
    /// (<see cref="MaxHostSpmatWordBits"/>), before <paramref name="command"/> builds or opens anything.
    /// </summary>
    public void RequireHostLoadable(string source, string command)
    {
        if (SpmatWordBits > MaxHostSpmatWordBits)
            throw new EieInputException(
                $"{source}: {nameof(SpmatWordBits)} must be at most {MaxHostSpmatWordBits} for {command} (the host bus loads one spmat word per 64-bit write; generate and synth take wider words), got {SpmatWordBits}");
    }

    /// <summary>
    /// Refuses an AXI4-Lite config for <paramref name="command"/>, whose pin wrapper or board top
    /// drives the simple host bus, before any work starts.
    /// </summary>
    public EieConfig RequireSimpleHostBus(string source, string command)
    {
        if (IsAxiLite)
            throw new EieInputException(
                $"{source}: {nameof(HostBus)} must be {ConfigEnum.Name(HostBus.Simple)} for {command} (its pin wrapper and the board tops' UART bridge drive the simple host bus), got '{ConfigEnum.Name(HostBus)}'");
        return this;
    }

    /// <summary>
    /// Checks every field against its limit. Throws <see cref="EieInputException"/> naming
    /// the field, the limit and the value, so a bad config fails before any work starts.
    /// </summary>
    public EieConfig Validate(string source = "config")
    {
        Range(source, nameof(Pes), Pes, 1, 256);
        Range(source, nameof(ActWidth), ActWidth, 2, 32);
        Range(source, nameof(ActFracBits), ActFracBits, 0, ActWidth - 2,
            "ActWidth - 2, so that the bias activation 1.0 fits");
        Range(source, nameof(WeightWidth), WeightWidth, 2, 32);
        Range(source, nameof(WeightFracBits), WeightFracBits, 0, WeightWidth - 1);
        Range(source, nameof(AccWidth), AccWidth, ActWidth, 62);
        Range(source, nameof(ProductShift), ProductShift, 0, WeightFracBits,
            "WeightFracBits, so the accumulator keeps at least the activation's fraction bits");
        Range(source, nameof(IndexBits), IndexBits, 1, 8);
        Range(source, nameof(RunBits), RunBits, 1, 8);
        Range(source, nameof(CodebookSize), CodebookSize, 2, 1 << IndexBits, "2^IndexBits");
        Range(source, nameof(ActQueueDepth), ActQueueDepth, 1, 1024);
        Range(source, nameof(SpmatWordBits), SpmatWordBits, EntryBits, 1024);
        if (SpmatWordBits % EntryBits != 0)
            throw new EieInputException(
                $"{source}: {nameof(SpmatWordBits)} must be a multiple of the entry width {EntryBits} (IndexBits + RunBits), got {SpmatWordBits}");
        if ((EntriesPerWord & (EntriesPerWord - 1)) != 0)
            throw new EieInputException(
                $"{source}: {nameof(SpmatWordBits)} / entry width must be a power of two (entries per word), got {EntriesPerWord}");
        Range(source, nameof(SpmatDepth), SpmatDepth, 1, 1 << 24);
        // The spmat read unit splits a pointer into a word address and the lane within the word;
        // with no bits left for the word address there is no spmat to address.
        Range(source, nameof(PtrWidth), PtrWidth, LaneBits + 1, 30,
            $"more than log2 of the {EntriesPerWord} entries per spmat word, so a pointer has word-address bits");
        Range(source, nameof(PtrDepth), PtrDepth, 2, 1 << 24);
        Range(source, nameof(ActRegEntries), ActRegEntries, 1, 1 << 16);
        Range(source, nameof(ActSramDepth), ActSramDepth, 2, 1 << 24);
        Range(source, nameof(LnzdFanIn), LnzdFanIn, 2, 16);
        Range(source, nameof(MaxLayers), MaxLayers, 1, 256);
        ConfigEnum.Check(source, nameof(HostBus), HostBus);
        ConfigEnum.Check(source, nameof(AccStorage), AccStorage);
        return this;
    }

    private static void Range(string source, string field, int value, int min, int max, string? why = null)
    {
        if (value < min || value > max)
            throw new EieInputException(
                $"{source}: {field} must be in [{min}, {max}]{(why is null ? "" : $" ({why})")}, got {value}");
    }
}
