namespace EieHdl.Energy;

/// <summary>
/// A figure known at a few operand widths (for example Horowitz's 8- and 32-bit adders), read
/// at any width by joining the points with straight lines in log-log space: between two points
/// the figure follows the power law through them, and beyond the ends the nearest segment's law
/// continues. A 16 x 16 multiplier between the published 8- and 32-bit points thus costs what
/// the fitted exponent (about 2 for multipliers, 0.9 for adders) implies.
/// </summary>
public sealed class WidthCurve
{
    private readonly double[] _logBits;
    private readonly double[] _logValues;

    /// <summary>The published (bits, value) points, bits strictly increasing, values positive.</summary>
    public IReadOnlyList<(double Bits, double Value)> Points { get; }

    public WidthCurve(IReadOnlyList<(double Bits, double Value)> points)
    {
        if (points.Count < 2) throw new ArgumentException("a width curve needs at least two points", nameof(points));
        for (int i = 0; i < points.Count; i++)
        {
            if (points[i].Bits <= 0 || points[i].Value <= 0)
                throw new ArgumentException($"point {i} must have positive bits and value", nameof(points));
            if (i > 0 && points[i].Bits <= points[i - 1].Bits)
                throw new ArgumentException("point widths must be strictly increasing", nameof(points));
        }
        Points = points.ToArray();
        _logBits = points.Select(p => Math.Log(p.Bits)).ToArray();
        _logValues = points.Select(p => Math.Log(p.Value)).ToArray();
    }

    /// <summary>The figure at <paramref name="bits"/> (any positive width).</summary>
    public double At(double bits)
    {
        if (!(bits > 0)) throw new ArgumentOutOfRangeException(nameof(bits), bits, "width must be positive");
        return Math.Exp(LogLog.Interpolate(_logBits, _logValues, Math.Log(bits)));
    }
}

/// <summary>Piecewise-linear interpolation on sorted abscissae, extended beyond the ends by the end segments.</summary>
internal static class LogLog
{
    /// <summary>Index i of the segment [xs[i], xs[i+1]] that serves <paramref name="x"/>; the end segments serve the outside.</summary>
    public static int Segment(double[] xs, double x)
    {
        int i = Array.BinarySearch(xs, x);
        if (i < 0) i = ~i - 1;
        return Math.Clamp(i, 0, xs.Length - 2);
    }

    public static double Interpolate(double[] xs, double[] ys, double x)
    {
        int i = Segment(xs, x);
        double t = (x - xs[i]) / (xs[i + 1] - xs[i]);
        return ys[i] + t * (ys[i + 1] - ys[i]);
    }
}
