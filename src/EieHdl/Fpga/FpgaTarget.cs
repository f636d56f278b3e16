using System.Globalization;

namespace EieHdl.Fpga;

/// <summary>
/// The reference device of a target: what the resource figures are measured against and,
/// for iCE40, the part nextpnr places and routes on.
/// </summary>
/// <param name="Name">Part and package.</param>
/// <param name="Luts">LUT4s (iCE40: logic cells) or LUT6s (7-series).</param>
/// <param name="FlipFlops">Flip-flops.</param>
/// <param name="BramBlocks">Block RAMs of <paramref name="BramBits"/> bits each.</param>
/// <param name="BramBits">Bits of one block RAM.</param>
/// <param name="Sprams">iCE40 UltraPlus single-port RAMs (256 Kbit each); 0 elsewhere.</param>
/// <param name="Dsps">Hard multipliers.</param>
public sealed record FpgaDevice(string Name, int Luts, int FlipFlops, int BramBlocks, int BramBits, int Sprams, int Dsps)
{
    public const int SpramBits = 256 * 1024;

    public long MemoryBits => (long)BramBlocks * BramBits + (long)Sprams * SpramBits;
}

/// <summary>
/// One FPGA flow target: the yosys synthesis command, the cell names that count as each
/// resource, and whether place-and-route (nextpnr-ice40) exists for it on this machine.
/// </summary>
public sealed record FpgaTarget(
    string Name,
    string Family,
    string SynthCommand,
    FpgaDevice Device,
    string? NextpnrDevice,
    string? Package,
    IReadOnlyList<string> LutCells,
    IReadOnlyList<string> FlipFlopPrefixes,
    IReadOnlyDictionary<string, double> BramCells,
    IReadOnlyList<string> SpramCells,
    IReadOnlyList<string> LutRamCells,
    IReadOnlyList<string> DspCells,
    IReadOnlyDictionary<string, double>? LutWeights = null,
    string? DspNote = null)
{
    /// <summary>True when nextpnr-ice40 places and routes it (Fmax, bitstream).</summary>
    public bool HasPlaceAndRoute => NextpnrDevice is not null;

    // An iCE40 logic tile's eight flip-flops share one clock enable, so a flip-flop with an
    // enable of its own (a RAM accumulator file's per-row valid bit) takes a whole tile:
    // -dffe_min_ce_use 4 folds an enable that drives fewer than four flip-flops into the LUT
    // before it, which keeps the 1-PE LeNet board top placeable (4,062 -> 3,754 LCs, and
    // nextpnr found no legal placement without it).
    public static readonly FpgaTarget Ice40Up5k = new(
        "ice40-up5k", "ice40", "synth_ice40 -dsp -spram -dffe_min_ce_use 4",
        new FpgaDevice("iCE40UP5K-SG48", 5280, 5280, 30, 4096, 4, 8), "--up5k", "sg48",
        ["SB_LUT4"], ["SB_DFF"], new Dictionary<string, double> { ["SB_RAM40_4K"] = 1 },
        ["SB_SPRAM256KA"], [], ["SB_MAC16"]);

    public static readonly FpgaTarget Ice40Hx8k = new(
        "ice40-hx8k", "ice40", "synth_ice40 -dffe_min_ce_use 4",
        new FpgaDevice("iCE40HX8K-CT256", 7680, 7680, 32, 4096, 0, 0), "--hx8k", "ct256",
        ["SB_LUT4"], ["SB_DFF"], new Dictionary<string, double> { ["SB_RAM40_4K"] = 1 },
        [], [], ["SB_MAC16"],
        DspNote: "the HX8K has no DSP blocks, so multipliers are built from logic cells");

    public static readonly FpgaTarget Xc7 = new(
        "xc7", "xilinx", "synth_xilinx -family xc7",
        // Arty A7-35T's part; block RAM counted in RAMB18 halves (a RAMB36E1 is two).
        new FpgaDevice("XC7A35T (Arty A7-35T)", 20800, 41600, 100, 18 * 1024, 0, 90), null, null,
        ["LUT1", "LUT2", "LUT3", "LUT4", "LUT5", "LUT6"], ["FD"],
        new Dictionary<string, double> { ["RAMB18E1"] = 1, ["RAMB36E1"] = 2 },
        [], ["RAM32M", "RAM64M", "RAM32X1D", "RAM64X1D", "RAM128X1D", "RAM256X1S", "RAM32X1S", "RAM64X1S", "RAM128X1S", "RAM16X1D", "RAM32X16DR8", "RAM64X8SW"],
        ["DSP48E1"]);

    public static readonly FpgaTarget Ecp5 = new(
        "ecp5", "ecp5", "synth_ecp5",
        new FpgaDevice("LFE5U-25F", 24288, 24288, 56, 18 * 1024, 0, 28), null, null,
        // A CCU2C carry cell holds two LUT4s.
        ["LUT4", "CCU2C"], ["TRELLIS_FF"], new Dictionary<string, double> { ["DP16KD"] = 1 },
        [], ["TRELLIS_DPR16X4"], ["MULT18X18D"],
        new Dictionary<string, double> { ["CCU2C"] = 2 });

    public static readonly FpgaTarget Gowin = new(
        "gowin", "gowin", "synth_gowin",
        new FpgaDevice("GW1NR-9 (Tang Nano 9K)", 8640, 6480, 26, 18 * 1024, 0, 20), null, null,
        ["LUT1", "LUT2", "LUT3", "LUT4", "ALU"], ["DFF"],
        new Dictionary<string, double>
        {
            ["SP"] = 1, ["SPX9"] = 1, ["SDP"] = 1, ["SDPX9"] = 1, ["DP"] = 1, ["DPX9"] = 1,
            ["SDPB"] = 1, ["SDPX9B"] = 1, ["DPB"] = 1, ["DPX9B"] = 1,
        },
        [], ["RAM16S1", "RAM16S2", "RAM16S4", "RAM16SDP1", "RAM16SDP2", "RAM16SDP4"],
        ["MULT9X9", "MULT18X18", "MULT36X36", "MULTALU18X18", "MULTALU36X18", "MULTADDALU18X18", "ALU54D"],
        DspNote: "yosys 0.23's synth_gowin has no DSP inference (no -dsp option), so multipliers become LUTs and ALUs; the RTL cannot change that");

    public static IReadOnlyList<FpgaTarget> All { get; } = [Ice40Up5k, Ice40Hx8k, Xc7, Ecp5, Gowin];

    public static string Names => string.Join(", ", All.Select(t => t.Name));

    public static FpgaTarget Find(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new EieInputException($"--target: unknown target '{name}'; known: {Names}");

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({Device.Name})");
}
