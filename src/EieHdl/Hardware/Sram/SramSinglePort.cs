using System.Globalization;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>Width and depth of one single-port SRAM instance, and what it stores.</summary>
public sealed record SramShape(string Use, int Width, int Depth)
{
    /// <summary>Address bits; at least 1 so that a depth-1 RAM still has an address port.</summary>
    public int AddrWidth => VerilogText.IndexBits(Depth);
}

/// <summary>
/// How a synthesis builds <c>eie_sram_sp</c>'s shapes: <see cref="Spram"/> from UltraPlus
/// SB_SPRAM256KA blocks, <see cref="Columns"/> as columns a block RAM deep, every other shape as
/// the plain array. Only for synthesis: the simulations load the array by its name, which the
/// other branches do not have.
/// </summary>
public sealed record SramBuild(IReadOnlyList<SramShape> Spram, IReadOnlyList<SramColumns> Columns)
{
    /// <summary>Every shape the plain array: the RTL that is simulated or committed.</summary>
    public static SramBuild Plain { get; } = new([], []);
}

/// <summary>
/// A shape built as columns of <see cref="ColumnWidth"/> bits, each a RAM of its own no deeper than
/// one block RAM in that width, so the read word leaves the blocks without a mux behind them.
/// </summary>
public sealed record SramColumns(SramShape Shape, int ColumnWidth);

/// <summary>
/// <c>eie_sram_sp</c>: the one single-port synchronous-read RAM of the design. Every memory
/// (spmat, the even and odd ptr banks, the act SRAM, the codebooks) is an instance of it with
/// its own Width and Depth, so an ASIC flow swaps in a macro in one place. Width and Depth stay Verilog
/// parameters for that reason; the module's defaults are the spmat shape of the config.
/// The behavioural model is one instance of one shape (words up to 64 bits).
/// </summary>
public sealed class SramSinglePort : HardwareUnit
{
    private readonly Dictionary<int, ulong> _words = [];
    private ulong _rdata;

    /// <summary>The module with the config's spmat shape as its defaults.</summary>
    public SramSinglePort(EieConfig config) : this(ShapesFor(config)) { }

    /// <summary>
    /// The module for an FPGA synthesis: instances of <paramref name="build"/>'s SPRAM shapes are
    /// built from SB_SPRAM256KA blocks, those of its column shapes from narrow arrays side by side,
    /// every other one stays the plain array that yosys maps to block RAM.
    /// </summary>
    public SramSinglePort(EieConfig config, SramBuild build) : this(ShapesFor(config))
    {
        foreach (var s in build.Spram)
            if (s.Width > SpramWidth * MaxSpramTiles || s.Depth > SpramDepth)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{s.Use} {s.Width}x{s.Depth} cannot be SPRAM: at most {SpramDepth} words of up to {SpramWidth * MaxSpramTiles} bits"));
        foreach (var c in build.Columns)
            if (c.ColumnWidth < 1 || c.ColumnWidth >= c.Shape.Width)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"{c.Shape.Use} {c.Shape.Width}x{c.Shape.Depth}: columns must be 1 to {c.Shape.Width - 1} bits, not {c.ColumnWidth}"));
        Build = build;
    }

    /// <summary>A behavioural instance of one shape.</summary>
    public SramSinglePort(SramShape shape) : this([shape]) { }

    private SramSinglePort(IReadOnlyList<SramShape> instances)
    {
        Shape = instances[0];
        Instances = instances;
    }

    public SramShape Shape { get; }

    /// <summary>Shapes built other than as the plain array (none outside an FPGA synthesis).</summary>
    public SramBuild Build { get; } = SramBuild.Plain;

    /// <summary>One SB_SPRAM256KA: 16384 words of 16 bits.</summary>
    public const int SpramWidth = 16, SpramDepth = 16384;

    /// <summary>Widest SPRAM word side by side: the UP5K has four blocks.</summary>
    public const int MaxSpramTiles = 4;

    /// <summary>Every shape this module is instantiated with in one PE.</summary>
    public IReadOnlyList<SramShape> Instances { get; }

    /// <summary>
    /// The memories of a config: per PE the spmat SRAM (the module's default shape), the ptr
    /// banks (p_j and p_j+1 are read in one cycle from the even and the odd bank), the two act
    /// SRAM halves and the arithmetic unit's codebook; and the CCU's codebook memory (every
    /// layer's codebook, copied into the PEs' at a layer's start).
    /// </summary>
    public static IReadOnlyList<SramShape> ShapesFor(EieConfig config) =>
    [
        new("spmat", config.SpmatWordBits, config.SpmatDepth),
        new("ptr even bank", config.PtrWidth, (config.PtrDepth + 1) / 2),
        new("ptr odd bank", config.PtrWidth, config.PtrDepth / 2),
        new("act SRAM half", config.ActWidth, config.ActHalfDepth),
        new("act SRAM half", config.ActWidth, config.ActHalfDepth),
        new("codebook (PE)", config.WeightWidth, config.CodebookSize),
        new("codebook (CCU)", config.WeightWidth, config.MaxLayers * config.CodebookSize),
    ];

    public override string ModuleName => "eie_sram_sp";

    /// <summary>The storage array inside the module (what a back-door load writes).</summary>
    public const string ArrayName = "mem_q";

    /// <summary>
    /// A Verilator configuration file that makes every instance's array public and writable at
    /// the clock edge, so a simulation can load memories in place (<c>public_flat_rw</c>) instead
    /// of through the host bus: a word per cycle is what makes the 64-PE front-door load slow.
    /// Kept out of the generated Verilog so that the RTL users take elsewhere carries no
    /// simulator-specific markup.
    /// </summary>
    public static string BackdoorConfig =>
        $"`verilator_config\npublic_flat_rw -module \"eie_sram_sp\" -var \"{ArrayName}\" @(posedge clk_i)\n";

    /// <summary>Width and Depth are the module's parameters, printed with its ports; the body reads only the build's shapes.</summary>
    public override object TemplateModel => new
    {
        Spram = Build.Spram.Count > 0,
        SpramTest = string.Join(" || ", Build.Spram.Select(s => (s.Width, s.Depth)).Distinct().Select(ShapeTest)),
        Columns = Build.Columns.Count > 0,
        // Nested choices by shape; a shape not listed has one column as wide as its word.
        ColumnWidth = Build.Columns.DistinctBy(c => (c.Shape.Width, c.Shape.Depth)).Reverse()
            .Aggregate("Width", (rest, c) => string.Create(CultureInfo.InvariantCulture,
                $"{ShapeTest((c.Shape.Width, c.Shape.Depth))} ? {c.ColumnWidth} : {rest}")),
    };

    private static string ShapeTest((int Width, int Depth) s) =>
        string.Create(CultureInfo.InvariantCulture, $"(Width == {s.Width} && Depth == {s.Depth})");

    public override string Doc => string.Join("\n",
    [
        "eie_sram_sp: single-port RAM with a synchronous read, the storage of every per-PE memory.",
        "Written plainly so that synthesis infers a block RAM; an ASIC flow replaces this module",
        "with an SRAM macro of the same ports. The array has no reset.",
        "",
        "Parameters: Width (word bits), Depth (words); AddrWidth is derived, do not override.",
        "Instances in this configuration:",
        .. Instances.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"  {s.Use,-14} Width {s.Width,3}, Depth {s.Depth,8}{BuildNote(s)}")),
    ]);

    private string BuildNote(SramShape s) =>
        Build.Spram.Contains(s) ? ", SPRAM"
        : Build.Columns.FirstOrDefault(c => c.Shape == s) is { } c
            ? string.Create(CultureInfo.InvariantCulture, $", {(s.Width + c.ColumnWidth - 1) / c.ColumnWidth} columns of {c.ColumnWidth} bits")
            : "";

    public override IReadOnlyList<ModuleParameter> Parameters =>
    [
        new("Width", Shape.Width.ToString(CultureInfo.InvariantCulture)),
        new("Depth", Shape.Depth.ToString(CultureInfo.InvariantCulture)),
        new("AddrWidth", "(Depth > 1) ? $clog2(Depth) : 1"),
    ];

    public override IReadOnlyList<Port> Ports
    {
        get
        {
            int addrWidth = VerilogText.IndexBits(Shape.Depth);
            return
            [
                Port.Clock(),
                Port.In("en_i", 1, "access this cycle"),
                Port.In("we_i", 1, "with en_i: write wdata_i to waddr_i; else read addr_i"),
                Port.In("addr_i", addrWidth, "read address; an address >= Depth is not stored") with { WidthExpression = "AddrWidth" },
                Port.In("waddr_i", addrWidth, "write address (a port of its own so that FPGA read addresses skip the mux; a single-port macro takes we_i ? waddr_i : addr_i)") with { WidthExpression = "AddrWidth" },
                Port.In("wdata_i", Shape.Width, "write data") with { WidthExpression = "Width" },
                Port.Out("rdata_o", Shape.Width, "word read in the previous enabled read cycle") with { WidthExpression = "Width" },
            ];
        }
    }

    /// <summary>Cycles from a read to its word on rdata_o.</summary>
    public const int ReadLatency = 1;

    public override IReadOnlyList<Latency> Latencies =>
    [
        new("en_i", "rdata_o", ReadLatency, "read data appears 1 cycle after the read (en_i=1, we_i=0) and holds until the next read"),
    ];

    public override string LatencyNote => "A write does not change rdata_o. A word never written reads as X.";

    /// <summary>rdata_o during the current cycle (what <see cref="Step"/> would return).</summary>
    public ulong Rdata => _rdata;

    /// <summary>
    /// One clock cycle: returns rdata_o as seen during the cycle, then applies the edge.
    /// Words never written read as 0 here (X in the RTL).
    /// </summary>
    public ulong Step(bool en, bool we, int addr, ulong wdata)
    {
        if (Shape.Width > 64)
            throw new InvalidOperationException(
                $"{ModuleName} model holds words of up to 64 bits, this instance has {Shape.Width}");
        ulong seen = _rdata;
        if (en && addr >= 0 && addr < Shape.Depth)
        {
            if (we) _words[addr] = wdata & Mask;
            else _rdata = _words.GetValueOrDefault(addr);
        }
        return seen;
    }

    private ulong Mask => Shape.Width == 64 ? ulong.MaxValue : (1UL << Shape.Width) - 1;
}
