using System.Globalization;
using System.Text;

namespace EieHdl.Study;

/// <summary>A CSV table: a header and rows of invariant-culture cells; doubles in shortest round-trip form, so a file is a function of its values.</summary>
public sealed class Csv(params string[] header)
{
    private readonly StringBuilder text = new(string.Join(",", header) + "\n");

    public Csv Row(params object?[] cells)
    {
        text.Append(string.Join(",", cells.Select(Cell))).Append('\n');
        return this;
    }

    public static string Cell(object? value) => value switch
    {
        null => "",
        double d => double.IsNaN(d) ? "" : d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!.Contains(',') ? $"\"{value}\"" : value.ToString()!,
    };

    public override string ToString() => text.ToString();
}
