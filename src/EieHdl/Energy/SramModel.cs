namespace EieHdl.Energy;

/// <summary>What one single-ported SRAM array of a given word width and depth costs.</summary>
/// <param name="ReadEnergyPj">Dynamic energy of one word read.</param>
/// <param name="WriteEnergyPj">Dynamic energy of one word write.</param>
/// <param name="LeakageMw">Static power of the whole array.</param>
/// <param name="AreaMm2">Area of the whole array, periphery included.</param>
public sealed record SramCost(double ReadEnergyPj, double WriteEnergyPj, double LeakageMw, double AreaMm2);

/// <summary>
/// SRAM energy, leakage and area for any width x depth, from a grid of characterised arrays
/// (for 45 nm, CACTI 7 runs; see hw/tech/README.md). Each figure is read by bilinear
/// interpolation of its logarithm over (log width, log depth); outside the grid each edge's
/// mean power law continues. <see cref="TechModel"/> checks the grid is non-decreasing
/// along both axes, so a wider or deeper array never costs less, inside or outside the grid.
/// </summary>
public sealed class SramModel
{
    private readonly double[] _logWidths;
    private readonly double[] _logDepths;
    private readonly double[][,] _logTables;
    private readonly (double NarrowS, double WideS, double ShallowT, double DeepT)[] _edgeSlopes;

    public IReadOnlyList<int> Widths { get; }
    public IReadOnlyList<int> Depths { get; }

    /// <summary>Each table is indexed [width index, depth index], widths and depths strictly increasing, at least two of each.</summary>
    public SramModel(IReadOnlyList<int> widths, IReadOnlyList<int> depths,
        double[,] readEnergyPj, double[,] writeEnergyPj, double[,] leakageMw, double[,] areaMm2)
    {
        Widths = widths.ToArray();
        Depths = depths.ToArray();
        _logWidths = widths.Select(w => Math.Log(w)).ToArray();
        _logDepths = depths.Select(d => Math.Log(d)).ToArray();
        _logTables = new[] { readEnergyPj, writeEnergyPj, leakageMw, areaMm2 }.Select(Log).ToArray();
        _edgeSlopes = _logTables.Select(EdgeSlopes).ToArray();
    }

    /// <summary>Mean log step of the first and last width and depth segments, per unit of normalised segment position.</summary>
    private static (double, double, double, double) EdgeSlopes(double[,] z)
    {
        int w = z.GetLength(0), d = z.GetLength(1);
        double narrow = 0, wide = 0, shallow = 0, deep = 0;
        for (int j = 0; j < d; j++) { narrow += z[1, j] - z[0, j]; wide += z[w - 1, j] - z[w - 2, j]; }
        for (int i = 0; i < w; i++) { shallow += z[i, 1] - z[i, 0]; deep += z[i, d - 1] - z[i, d - 2]; }
        return (narrow / d, wide / d, shallow / w, deep / w);
    }

    private static double[,] Log(double[,] table)
    {
        var result = new double[table.GetLength(0), table.GetLength(1)];
        for (int i = 0; i < table.GetLength(0); i++)
            for (int j = 0; j < table.GetLength(1); j++)
                result[i, j] = Math.Log(table[i, j]);
        return result;
    }

    /// <summary>The cost of one array of <paramref name="widthBits"/>-bit words, <paramref name="depth"/> words deep.</summary>
    public SramCost Estimate(int widthBits, int depth)
    {
        if (widthBits < 1) throw new ArgumentOutOfRangeException(nameof(widthBits), widthBits, "width must be at least 1 bit");
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth), depth, "depth must be at least 1 word");
        double x = Math.Log(widthBits), y = Math.Log(depth);
        int i = LogLog.Segment(_logWidths, x), j = LogLog.Segment(_logDepths, y);
        double s = (x - _logWidths[i]) / (_logWidths[i + 1] - _logWidths[i]);
        double t = (y - _logDepths[j]) / (_logDepths[j + 1] - _logDepths[j]);
        // Bilinear inside the grid. Outside it, the value at the nearest grid edge plus a
        // constant slope per edge (the mean over the edge's cells): non-negative on a
        // non-decreasing grid and the same along the whole edge, so the result stays continuous
        // and non-decreasing in both width and depth.
        double sc = Math.Clamp(s, 0, 1), tc = Math.Clamp(t, 0, 1);
        double At(int table)
        {
            var z = _logTables[table];
            var edge = _edgeSlopes[table];
            double z00 = z[i, j], z10 = z[i + 1, j], z01 = z[i, j + 1], z11 = z[i + 1, j + 1];
            double inside = (1 - sc) * (1 - tc) * z00 + sc * (1 - tc) * z10 + (1 - sc) * tc * z01 + sc * tc * z11;
            double slopeS = s < 0 ? edge.NarrowS : edge.WideS;
            double slopeT = t < 0 ? edge.ShallowT : edge.DeepT;
            return Math.Exp(inside + (s - sc) * slopeS + (t - tc) * slopeT);
        }
        return new SramCost(At(0), At(1), At(2), At(3));
    }
}
