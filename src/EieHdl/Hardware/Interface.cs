using System.Globalization;
using System.Text;

namespace EieHdl.Hardware;

public enum PortDir { In, Out }

/// <summary>
/// One port of a module: its Verilog name, direction, width in bits (computed from the unit's
/// parameters) and meaning. The module's port list, its header comment and the architecture
/// doc's port tables are all printed from these records.
/// </summary>
public sealed record Port(string Name, PortDir Direction, int Width, string Meaning)
{
    public static Port In(string name, int width, string meaning) => new(name, PortDir.In, width, meaning);

    public static Port Out(string name, int width, string meaning) => new(name, PortDir.Out, width, meaning);

    /// <summary><c>clk_i</c>, the one clock; every register samples its rising edge.</summary>
    public static Port Clock(string meaning = "clock") => In("clk_i", 1, meaning);

    /// <summary><c>rst_ni</c>, the active-low synchronous reset, and what it clears.</summary>
    public static Port Reset(string clears = "") =>
        In("rst_ni", 1, "active-low synchronous reset" + (clears.Length == 0 ? "" : " (" + clears + ")"));

    /// <summary>
    /// The port that connects to this one in the unit on the other side: the opposite direction,
    /// the same width and meaning, named with the other suffix (<c>cb_we_o</c> -> <c>cb_we_i</c>).
    /// </summary>
    public Port Facing() => this with
    {
        Name = Name[..Name.LastIndexOf('_')] + (Direction == PortDir.Out ? "_i" : "_o"),
        Direction = Direction == PortDir.Out ? PortDir.In : PortDir.Out,
        Group = null,
        IsReg = false,
    };

    /// <summary>
    /// The width as a Verilog expression of the module's parameters (e.g. <c>AddrWidth</c>,
    /// <c>Children*16</c>) for a parameterised module whose instances differ; <see cref="Width"/>
    /// is then the width at the parameters' defaults.
    /// </summary>
    public string? WidthExpression { get; init; }

    /// <summary>Declared with a range even at width 1 (a vector with one element per PE or child).</summary>
    public bool IsVector { get; init; }

    /// <summary>Declared <c>output reg</c> (driven from an always block) instead of <c>wire</c>.</summary>
    public bool IsReg { get; init; }

    /// <summary>A comment line printed above the port in the module's port list, heading a group.</summary>
    public string? Group { get; init; }

    /// <summary>
    /// The module uses only some of the port's bits; consecutive such ports sit in one
    /// <c>verilator lint_off UNUSEDSIGNAL</c> block.
    /// </summary>
    public bool PartlyUsed { get; init; }

    /// <summary>Verilog range text: <c>[W-1:0]</c>, or empty for one bit.</summary>
    public string Range => WidthExpression is { } e ? "[" + e + "-1:0]"
        : IsVector ? string.Create(CultureInfo.InvariantCulture, $"[{Width - 1}:0]") : VerilogText.Range(Width);

    /// <summary>Width as the docs print it: the number, or the parameter expression.</summary>
    public string WidthText => WidthExpression ?? Width.ToString(CultureInfo.InvariantCulture);

    public string DirectionText => Direction == PortDir.In ? "in" : "out";
}

/// <summary>A Verilog module parameter with its default value (an expression for derived ones).</summary>
public sealed record ModuleParameter(string Name, string Default);

/// <summary>
/// A latency of a unit: <see cref="Cycles"/> clock cycles from a change on <see cref="From"/>
/// to the answer on <see cref="To"/> (port names, or an event where no single port carries it),
/// and what the figure assumes.
/// </summary>
public sealed record Latency(string From, string To, int Cycles, string Description)
{
    public string CyclesText => Cycles == 1 ? "1 cycle" : Cycles.ToString(CultureInfo.InvariantCulture) + " cycles";
}

/// <summary>Prints a unit's ports and latencies as a Verilog module head, comment text and Markdown tables.</summary>
public static class InterfaceText
{
    /// <summary>Longest header-comment line, without the <c>// </c>.</summary>
    public const int CommentWidth = 96;

    /// <summary>
    /// <c>module name #(parameters) (ports);</c> with the port names in one column, as a
    /// hand-written port list would have them. No trailing newline.
    /// </summary>
    public static string ModuleHead(string module, IReadOnlyList<ModuleParameter> parameters, IReadOnlyList<Port> ports)
    {
        var text = new StringBuilder();
        text.Append("module ").Append(module);
        if (parameters.Count > 0)
        {
            text.Append(" #(\n");
            for (int i = 0; i < parameters.Count; i++)
                text.Append("  parameter ").Append(parameters[i].Name).Append(" = ").Append(parameters[i].Default)
                    .Append(i + 1 < parameters.Count ? ",\n" : "\n");
            text.Append(") (\n");
        }
        else
        {
            text.Append(" (\n");
        }
        int column = ports.Max(p => p.Range.Length);
        bool lintOff = false;
        for (int i = 0; i < ports.Count; i++)
        {
            var p = ports[i];
            if (p.PartlyUsed != lintOff)
            {
                text.Append(p.PartlyUsed ? "  /* verilator lint_off UNUSEDSIGNAL */\n" : "  /* verilator lint_on UNUSEDSIGNAL */\n");
                lintOff = p.PartlyUsed;
            }
            if (p.Group is { } group) text.Append("  // ").Append(group).Append('\n');
            text.Append(p.Direction == PortDir.In ? "  input  " : "  output ");
            text.Append(p.IsReg ? "reg " : "wire");
            text.Append(' ');
            if (column > 0) text.Append(p.Range.PadRight(column + 1));
            text.Append(p.Name);
            if (i + 1 < ports.Count) text.Append(',');
            text.Append('\n');
        }
        if (lintOff) text.Append("  /* verilator lint_on UNUSEDSIGNAL */\n");
        text.Append(");");
        return text.ToString();
    }

    /// <summary>The header comment's port lines: name, direction, width and meaning, wrapped.</summary>
    public static string PortLines(IReadOnlyList<Port> ports)
    {
        int name = ports.Max(p => p.Name.Length), width = ports.Max(p => p.WidthText.Length);
        var lines = ports.Select(p =>
            ("  " + p.Name.PadRight(name) + "  " + p.DirectionText.PadRight(3) + " " + p.WidthText.PadLeft(width) + "  ", p.Meaning));
        return string.Join("\n", lines.Select(l => Wrap(l.Item1, l.Item2)));
    }

    /// <summary>The header comment's latency lines: from -> to, cycles, what the figure assumes.</summary>
    public static string LatencyLines(IReadOnlyList<Latency> latencies) =>
        string.Join("\n", latencies.Select(l => Wrap("  ", $"{l.From} -> {l.To}: {l.CyclesText}; {l.Description}", "    ")));

    /// <summary>The header comment's interface part: "Ports:" and "Latency:" blocks and any note.</summary>
    public static string Comment(HardwareUnit unit)
    {
        var text = new StringBuilder();
        text.Append(unit.PortNote.Length == 0 ? "Ports:" : "Ports (" + unit.PortNote + "):").Append('\n');
        text.Append(PortLines(unit.Ports)).Append("\n\nLatency:\n").Append(LatencyLines(unit.Latencies));
        if (unit.LatencyNote.Length > 0) text.Append("\n\n").Append(unit.LatencyNote);
        return text.ToString();
    }

    /// <summary>A unit's port and latency tables in Markdown.</summary>
    public static string Markdown(HardwareUnit unit)
    {
        var text = new StringBuilder();
        text.Append("| port | dir | width | meaning |\n|---|---|---|---|\n");
        foreach (var p in unit.Ports)
            text.Append("| `").Append(p.Name).Append("` | ").Append(p.DirectionText).Append(" | ").Append(p.WidthText)
                .Append(" | ").Append(Cell(p.Meaning)).Append(" |\n");
        text.Append("\n| from | to | cycles | what |\n|---|---|---|---|\n");
        foreach (var l in unit.Latencies)
            text.Append("| ").Append(Cell(l.From)).Append(" | ").Append(Cell(l.To)).Append(" | ")
                .Append(l.Cycles.ToString(CultureInfo.InvariantCulture)).Append(" | ").Append(Cell(l.Description)).Append(" |\n");
        return text.ToString();
    }

    /// <summary>The port and latency tables of <paramref name="units"/>, each headed by its module and class name.</summary>
    public static string Markdown(IEnumerable<HardwareUnit> units) => string.Join("\n",
        units.Select(u =>
            "### `" + u.ModuleName + "` (" + u.GetType().Name + ")\n\n" + Markdown(u)));

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>Word-wraps <paramref name="text"/> after <paramref name="first"/>, continuation lines indented to its length.</summary>
    private static string Wrap(string first, string text, string? indent = null)
    {
        indent ??= new string(' ', first.Length);
        var lines = new List<string>();
        var line = new StringBuilder(first);
        bool empty = true;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > CommentWidth)
            {
                lines.Add(line.ToString());
                line.Clear().Append(indent);
                empty = true;
            }
            if (!empty) line.Append(' ');
            line.Append(word);
            empty = false;
        }
        lines.Add(line.ToString());
        return string.Join("\n", lines);
    }
}
