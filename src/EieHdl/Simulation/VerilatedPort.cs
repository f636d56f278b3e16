using System.Globalization;
using System.Text.RegularExpressions;

namespace EieHdl.Simulation;

/// <summary>Direction of a top-level port as Verilator declares it.</summary>
public enum PortDirection
{
    Input = 1,
    Output = 2,
    InOut = 3,
}

/// <summary>
/// One port of a Verilated top module. <see cref="Index"/> is its position in the
/// Verilator-generated header (Verilator groups ports by C type, so it is not the Verilog order);
/// the shim and <see cref="VerilatedModel"/> address ports by this index.
/// </summary>
/// <param name="CType">The C type Verilator stores the port in: CData, SData, IData, QData or VlWide.</param>
public sealed record VerilatedPort(int Index, string Name, PortDirection Direction, int Width, string CType)
{
    /// <summary>32-bit words the port occupies (the unit of the wide-port calls).</summary>
    public int Words => (Width + 31) / 32;

    /// <summary>More than 64 bits: set and read only as words.</summary>
    public bool IsWide => Width > 64;

    /// <summary>The model may drive it (input or inout).</summary>
    public bool IsInput => Direction != PortDirection.Output;
}

/// <summary>
/// Reads the port list of a Verilated model from its generated header <c>V&lt;top&gt;.h</c>, where
/// Verilator declares each port of the top module with one macro line, e.g.
/// <c>VL_IN8(&amp;clk_i,0,0);</c>, <c>VL_OUT16(&amp;x_o,15,0);</c>, <c>VL_INW(&amp;w_i,127,0,4);</c>,
/// <c>VL_INOUT64(&amp;b,40,0);</c>. The macro's suffix gives the C type (none = 32-bit IData,
/// W = VlWide array of 32-bit words), the two numbers the declared range.
/// </summary>
public static partial class VerilatedHeader
{
    [GeneratedRegex(
        @"^\s*VL_(?<dir>INOUT|IN|OUT)(?<kind>8|16|64|W)?\(\s*&(?<name>[A-Za-z_][A-Za-z0-9_$]*)\s*,\s*(?<msb>\d+)\s*,\s*(?<lsb>\d+)\s*(?:,\s*(?<words>\d+)\s*)?\)\s*;",
        RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex PortLine();

    /// <summary>The ports declared in <paramref name="headerText"/>, in header order.</summary>
    /// <exception cref="FormatException">No port line, or a port line that does not add up.</exception>
    public static IReadOnlyList<VerilatedPort> ParsePorts(string headerText)
    {
        var ports = new List<VerilatedPort>();
        foreach (Match m in PortLine().Matches(headerText))
        {
            var name = m.Groups["name"].Value;
            int msb = int.Parse(m.Groups["msb"].Value, CultureInfo.InvariantCulture);
            int lsb = int.Parse(m.Groups["lsb"].Value, CultureInfo.InvariantCulture);
            int width = Math.Abs(msb - lsb) + 1;
            var direction = m.Groups["dir"].Value switch
            {
                "IN" => PortDirection.Input,
                "OUT" => PortDirection.Output,
                _ => PortDirection.InOut,
            };
            var (cType, maxWidth) = m.Groups["kind"].Value switch
            {
                "8" => ("CData", 8),
                "16" => ("SData", 16),
                "" => ("IData", 32),
                "64" => ("QData", 64),
                _ => ("VlWide", int.MaxValue),
            };
            if (width > maxWidth || (cType == "VlWide") != (width > 64))
                throw new FormatException($"port {name}: {width} bits do not fit Verilator's {cType} in '{m.Value.Trim()}'");
            if (cType == "VlWide" && m.Groups["words"].Success
                && int.Parse(m.Groups["words"].Value, CultureInfo.InvariantCulture) != (width + 31) / 32)
                throw new FormatException($"port {name}: word count does not match {width} bits in '{m.Value.Trim()}'");
            ports.Add(new VerilatedPort(ports.Count, name, direction, width, cType));
        }
        if (ports.Count == 0)
            throw new FormatException("no VL_IN*/VL_OUT*/VL_INOUT* port line found in the Verilated header");
        var duplicate = ports.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new FormatException($"port {duplicate.Key} is declared twice in the Verilated header");
        return ports;
    }
}
