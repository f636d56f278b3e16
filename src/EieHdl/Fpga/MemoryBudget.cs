using System.Globalization;
using EieHdl.Config;
using EieHdl.Hardware;

namespace EieHdl.Fpga;

/// <summary>
/// One memory of the design, how many of it there are and where the plan puts it: in SPRAM, or
/// in block RAM, as columns of <paramref name="ColumnWidth"/> bits one block deep when that is set
/// (0: one array, in the geometry yosys picks).
/// </summary>
public sealed record MemoryUse(string Use, int Width, int Depth, int Count, int BlocksEach, bool InSpram, int ColumnWidth = 0)
{
    public long Bits => (long)Width * Depth * Count;
}

/// <summary>
/// The block-RAM plan of a config on a target, computed from the RAM shapes before any tool
/// runs: per memory the cheapest block geometry (iCE40 EBR 256x16 ... 2048x2; the 18 Kbit
/// blocks of 7-series, ECP5 and Gowin 512x36 ... 16384x1), UP5K SPRAM (16384x16) for the
/// largest memories once the EBR runs out, and on iCE40 columns one EBR deep for a memory deeper
/// than 256 words while the EBR lasts.
/// </summary>
public sealed record MemoryBudget([property: System.Text.Json.Serialization.JsonIgnore] FpgaTarget Target, int Pes, IReadOnlyList<MemoryUse> Memories)
{
    public long Bits => Memories.Sum(m => m.Bits);
    public int BramBlocks => Memories.Where(m => !m.InSpram).Sum(m => m.BlocksEach * m.Count);
    public int SpramBlocks => Memories.Where(m => m.InSpram).Sum(m => SpramBlocksOf(m.Width, m.Depth) * m.Count);
    public bool Fits => Bits <= Target.Device.MemoryBits && BramBlocks <= Target.Device.BramBlocks && SpramBlocks <= Target.Device.Sprams;

    private static readonly (int Width, int Depth)[] Ice40Ebr = [(16, 256), (8, 512), (4, 1024), (2, 2048)];
    private static readonly (int Width, int Depth)[] Block18K = [(36, 512), (18, 1024), (9, 2048), (4, 4096), (2, 8192), (1, 16384)];

    public static int BlocksOf(FpgaTarget target, int width, int depth) =>
        (target.Family == "ice40" ? Ice40Ebr : Block18K)
            .Min(g => Ceil(width, g.Width) * Ceil(depth, g.Depth));

    public static int SpramBlocksOf(int width, int depth) => Ceil(width, SramSinglePort.SpramWidth) * Ceil(depth, SramSinglePort.SpramDepth);

    /// <summary>Host-loaded memories that <c>eie_sram_sp</c> can build from SB_SPRAM256KA blocks.</summary>
    public static bool SpramCapable(string use, int width, int depth) =>
        (use == "spmat" || use.StartsWith("ptr ", StringComparison.Ordinal))
        && depth <= SramSinglePort.SpramDepth && width <= SramSinglePort.SpramWidth * SramSinglePort.MaxSpramTiles;

    /// <summary>The shapes the plan puts in SPRAM.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<SramShape> SpramShapes =>
        Memories.Where(m => m.InSpram).Select(m => new SramShape(m.Use, m.Width, m.Depth)).ToArray();

    /// <summary>How <see cref="SramSinglePort"/> builds each shape in the synthesis RTL: SPRAM, columns or the plain array.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public SramBuild SramBuild => new(SpramShapes,
        Memories.Where(m => m.ColumnWidth > 0).Select(m => new SramColumns(new SramShape(m.Use, m.Width, m.Depth), m.ColumnWidth)).ToArray());

    public static MemoryBudget Plan(FpgaTarget target, EieConfig config)
    {
        var uses = SramSinglePort.ShapesFor(config)
            .GroupBy(s => (s.Use, s.Width, s.Depth))
            .Select(g => new MemoryUse(g.Key.Use, g.Key.Width, g.Key.Depth,
                g.Count() * (g.Key.Use.Contains("CCU", StringComparison.Ordinal) ? 1 : config.Pes),
                BlocksOf(target, g.Key.Width, g.Key.Depth), false))
            .ToList();
        // UP5K: move the memories costing the most EBR into SPRAM while the EBR is short. Only
        // memories the host alone writes (spmat, ptr banks) qualify: an SPRAM's output is
        // undefined after a write, which the act SRAM and the codebooks, written while running,
        // would see. A shape moves as a whole, as the RTL picks SPRAM by Width and Depth.
        int spramLeft = target.Device.Sprams;
        while (spramLeft > 0)
        {
            int ebr = uses.Where(u => !u.InSpram).Sum(u => u.BlocksEach * u.Count);
            if (ebr <= target.Device.BramBlocks) break;
            var biggest = uses.Where(u => !u.InSpram && SpramCapable(u.Use, u.Width, u.Depth))
                .OrderByDescending(u => u.BlocksEach).FirstOrDefault();
            if (biggest is null) break;
            var same = uses.Where(u => u.Width == biggest.Width && u.Depth == biggest.Depth).ToArray();
            int need = same.Sum(u => SpramBlocksOf(u.Width, u.Depth) * u.Count);
            if (need > spramLeft) break;
            foreach (var u in same) uses[uses.IndexOf(u)] = u with { InSpram = true };
            spramLeft -= need;
        }
        if (target.Family == "ice40") SplitIntoColumns(target, uses);
        return new MemoryBudget(target, config.Pes, uses);
    }

    /// <summary>
    /// An iCE40 memory deeper than 256 words is, in its cheapest geometry, several EBR deep, and
    /// its word leaves them through a mux on the read path of its user (the ptr banks' into the
    /// spmat read unit's column register was the longest path of the iCEBreaker LeNet top). Such
    /// a shape becomes columns as wide as the widest EBR geometry that holds its depth (600
    /// words: 1024x4), each one block deep, while the EBR lasts; a shape changes as a whole, as
    /// the RTL picks columns by Width and Depth.
    /// </summary>
    private static void SplitIntoColumns(FpgaTarget target, List<MemoryUse> uses)
    {
        foreach (var shape in uses.Where(u => !u.InSpram).Select(u => (u.Width, u.Depth)).Distinct().ToArray())
        {
            if (shape.Depth <= Ice40Ebr[0].Depth) continue;
            var fit = Ice40Ebr.Where(g => g.Depth >= shape.Depth).ToArray();
            if (fit.Length == 0) continue;
            int column = fit.Max(g => g.Width);
            if (column >= shape.Width) continue;
            var same = uses.Where(u => !u.InSpram && (u.Width, u.Depth) == shape).ToArray();
            int more = same.Sum(u => (Ceil(u.Width, column) - u.BlocksEach) * u.Count);
            if (uses.Where(u => !u.InSpram).Sum(u => u.BlocksEach * u.Count) + more > target.Device.BramBlocks) continue;
            foreach (var u in same) uses[uses.IndexOf(u)] = u with { BlocksEach = Ceil(u.Width, column), ColumnWidth = column };
        }
    }

    /// <summary>The one-line refusal: what the memories need and what the device has.</summary>
    public string Describe()
    {
        var d = Target.Device;
        string list = string.Join(", ", Memories.Select(m => I($"{m.Use} {m.Width}x{m.Depth} x{m.Count}")));
        string has = d.Sprams > 0
            ? I($"{d.BramBlocks} x {d.BramBits / 1024} Kbit block RAM + {d.Sprams} x 256 Kbit SPRAM = {d.MemoryBits:N0} bits")
            : I($"{d.BramBlocks} x {d.BramBits / 1024} Kbit block RAM = {d.MemoryBits:N0} bits");
        string spram = SpramBlocks > 0 ? I($" + {SpramBlocks} SPRAM") : "";
        return I($"{Target.Name}: the memories of {Pes} PEs ({list}) need {Bits:N0} bits in {BramBlocks} block RAMs{spram}; {d.Name} has {has}");
    }

    /// <summary>
    /// <see cref="Describe"/> and, when the checkout's ready-made configurations are at hand,
    /// the ones whose memories fit the target, so a refusal says what to use instead.
    /// </summary>
    public string Refusal() => Describe() + Flows.ReadyConfigs.Suggestion(c => Plan(Target, c).Fits);

    private static int Ceil(int a, int b) => (a + b - 1) / b;
    private static string I(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
