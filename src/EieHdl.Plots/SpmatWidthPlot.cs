using System.Globalization;
using EieHdl.Energy;
using ScottPlot;

namespace EieHdl.Plots;

/// <summary>EIE's Figure 9 drawn from <see cref="SpmatWidthSweep"/>'s points (ScottPlot).</summary>
public static class SpmatWidthPlot
{
    private static IReadOnlyList<int> Widths => SpmatWidthSweep.Widths;

    /// <summary>
    /// PNG: each layer's energy relative to its energy at 64 bits, the sum of all layers (bold)
    /// and the layers' spmat read energy alone (dashed), against the word width on a log2 axis.
    /// </summary>
    public static void Save(string path, IReadOnlyList<SweepPoint> points, int width = 900, int height = 560)
    {
        var plot = new Plot();
        double[] xs = Widths.Select(w => Math.Log2(w)).ToArray();
        var layers = points.Select(p => p.Layer).Distinct().ToArray();
        var palette = new ScottPlot.Palettes.Category10();
        double Relative(IEnumerable<SweepPoint> ps, int w, Func<SweepPoint, double>? energy = null)
        {
            energy ??= p => p.EnergyUj;
            return 100 * ps.Where(p => p.WidthBits == w).Sum(energy) / ps.Where(p => p.WidthBits == 64).Sum(energy);
        }
        for (int i = 0; i < layers.Length; i++)
        {
            var mine = points.Where(p => p.Layer == layers[i]).ToArray();
            var line = plot.Add.Scatter(xs, Widths.Select(w => Relative(mine, w)).ToArray());
            line.LegendText = layers[i];
            line.Color = palette.GetColor(i);
            line.LineWidth = 1.5f;
            line.MarkerSize = 6;
        }
        var total = plot.Add.Scatter(xs, Widths.Select(w => Relative(points, w)).ToArray());
        total.LegendText = "all layers";
        total.Color = Colors.Black;
        total.LineWidth = 3;
        total.MarkerSize = 9;
        var reads = plot.Add.Scatter(xs, Widths.Select(w => Relative(points, w, p => p.SpmatReadUj)).ToArray());
        reads.LegendText = "spmat read energy, all layers";
        reads.Color = Colors.Black;
        reads.LineWidth = 2;
        reads.LinePattern = LinePattern.Dashed;
        reads.MarkerShape = MarkerShape.OpenCircle;
        reads.MarkerSize = 8;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(xs, Widths.Select(w => w.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Bottom.Label.Text = "spmat SRAM word width (bits), capacity per PE fixed";
        plot.Axes.Left.Label.Text = "energy per inference (% of the 64-bit width)";
        plot.Title("Energy versus spmat SRAM width (EIE Fig. 9)");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, width, height);
    }
}
