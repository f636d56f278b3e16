using System.Globalization;

namespace EieHdl.Hardware;

/// <summary>Small helpers so that templates print sized literals and widths decided in C#.</summary>
public static class VerilogText
{
    /// <summary>Sized decimal literal, e.g. <c>4'd9</c>; throws if the value does not fit.</summary>
    public static string Dec(int width, long value)
    {
        if (width < 1 || value < 0 || (width < 63 && value >> width != 0))
            throw new ArgumentOutOfRangeException(nameof(value),
                $"literal {value} does not fit in {width} bits");
        return string.Create(CultureInfo.InvariantCulture, $"{width}'d{value}");
    }

    /// <summary>Bits to hold the values 0 .. count-1; at least 1 so a port is never empty.</summary>
    public static int IndexBits(long count) => Math.Max(1, CeilLog2(count));

    /// <summary>Ceiling of log2 for a positive count (0 for 1).</summary>
    public static int CeilLog2(long count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        int bits = 0;
        while ((1L << bits) < count) bits++;
        return bits;
    }

    /// <summary>Port range text <c>[W-1:0]</c>, or empty for a single bit.</summary>
    public static string Range(int width) =>
        width == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $"[{width - 1}:0]");

    /// <summary>Part-select text <c>[hi:lo]</c> of slice <paramref name="index"/> of a flat vector.</summary>
    public static string Slice(int index, int width) =>
        string.Create(CultureInfo.InvariantCulture, $"[{(index + 1) * width - 1}:{index * width}]");
}
