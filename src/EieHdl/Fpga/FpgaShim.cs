using System.Globalization;
using System.Text.RegularExpressions;
using EieHdl.Hardware;
using Scriban.Runtime;

namespace EieHdl.Fpga;

/// <summary>
/// <c>eie_fpga_top</c>: a pin-light wrapper around <c>eie_top</c> for place-and-route. The host
/// bus ({we, address, 64-bit data} in, 64-bit data out) is far wider than a small FPGA package,
/// so it is reached through two shift registers and nine pins. It is a measurement harness
/// for nextpnr (every eie_top port stays live, so nothing is optimised away), not a board top:
/// a board needs the UART host link of the board tops, which this does not provide. Its
/// Verilog is <c>templates/fpga/eie_fpga_top.v.sbn</c>.
/// </summary>
public static partial class FpgaShim
{
    public const string Module = "eie_fpga_top";
    public const string FileName = Module + ".v";
    private const string TemplateName = Module + ".v.sbn";

    /// <summary>The wrapper's pins, in .pcf order.</summary>
    public static readonly string[] Pins = ["clk_i", "rst_ni", "sdi_i", "shift_i", "go_i", "sdo_o", "busy_o", "done_o", "error_o"];

    /// <summary>
    /// Board pins for each iCE40 target: iCEBreaker (UP5K SG48: 12 MHz clock on 35, the user
    /// button on 10, PMOD1A and the LEDs), iCE40-HX8K breakout (CT256: 12 MHz clock on J3 and
    /// the LEDs B5 B4 A2 A1; R1 P1 N3 M2 are package I/O pins that nextpnr accepts, not
    /// checked against the breakout's header wiring).
    /// </summary>
    private static readonly Dictionary<string, string[]> PinSites = new(StringComparer.Ordinal)
    {
        ["ice40-up5k"] = ["35", "10", "4", "2", "47", "45", "11", "37", "26"],
        ["ice40-hx8k"] = ["J3", "R1", "P1", "N3", "M2", "B5", "B4", "A2", "A1"],
    };

    public static string Pcf(FpgaTarget target)
    {
        var sites = PinSites[target.Name];
        var lines = Pins.Select((p, i) => $"set_io {p} {sites[i]}");
        return $"# {Module} on {target.Device.Name}: the measurement wrapper's pins (see {FileName}).\n"
            + string.Join("\n", lines) + "\n";
    }

    /// <summary>The host address width of a generated eie_top, read from its port list.</summary>
    public static int HostAddrWidth(string eieTopVerilog)
    {
        var m = AddrPort().Match(eieTopVerilog);
        if (!m.Success) throw new InvalidOperationException("eie_top.v has no host_addr_i port declaration");
        return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + 1;
    }

    [GeneratedRegex(@"input\s+wire\s+\[(\d+):0\]\s+host_addr_i\b")]
    private static partial Regex AddrPort();

    /// <summary>The wrapper's Verilog for an eie_top whose host address is <paramref name="addrWidth"/> bits.</summary>
    public static string Verilog(int addrWidth) => TemplateRenderer.Render(TemplateName, new ScriptObject
    {
        ["module"] = Module,
        ["addr_width"] = addrWidth,
    });
}
