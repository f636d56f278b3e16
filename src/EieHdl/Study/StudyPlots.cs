using ScottPlot;

namespace EieHdl.Study;

/// <summary>
/// The study's figures as PNG line plots (ScottPlot): one line per series, optional paper
/// points beside them, optional log2 axes with power-of-two tick labels. Rendering is a
/// function of the data alone, so equal data give equal files.
/// </summary>
public static class StudyPlots
{
    public const int Width = 900, Height = 560;

    /// <summary>A curve to draw: X and Y, its legend label, and whether it is drawn dashed (a second row assignment).</summary>
    public sealed record Line(string Label, double[] X, double[] Y, bool Dashed = false, bool MarkersOnly = false);

    /// <param name="log2X">X values are powers of two: plot log2 x with ticks 1, 2, 4, ...</param>
    /// <param name="log10Y">Plot log10 y with ticks at the powers of ten.</param>
    /// <param name="xTickLabels">Category labels for x = 0, 1, 2, ... instead of numbers.</param>
    public static void Save(string path, string title, string xLabel, string yLabel, IReadOnlyList<Line> lines,
        bool log2X = false, bool log10Y = false, (double Min, double Max)? yRange = null, IReadOnlyList<string>? xTickLabels = null)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var colorOf = new Dictionary<string, Color>();
        foreach (var line in lines)
        {
            // A layer keeps its colour across its interleaved and balanced lines.
            string key = line.Label.Split(' ')[0];
            if (!colorOf.TryGetValue(key, out var color)) colorOf[key] = color = palette.GetColor(colorOf.Count);
            var xs = log2X ? line.X.Select(Math.Log2).ToArray() : line.X;
            var ys = log10Y ? line.Y.Select(y => y > 0 ? Math.Log10(y) : double.NaN).ToArray() : line.Y;
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.LegendText = line.Label;
            scatter.Color = color;
            scatter.MarkerSize = line.MarkersOnly ? 9 : 5;
            scatter.LineWidth = line.MarkersOnly ? 0 : 1.5f;
            if (line.MarkersOnly) scatter.MarkerShape = MarkerShape.OpenSquare;
            if (line.Dashed) scatter.LinePattern = LinePattern.Dashed;
        }
        if (log2X)
        {
            var xs = lines.SelectMany(l => l.X).Where(x => x > 0).Distinct().Order().ToArray();
            plot.Axes.Bottom.SetTicks(xs.Select(Math.Log2).ToArray(), xs.Select(x => x.ToString("G", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        }
        if (xTickLabels is not null)
        {
            plot.Axes.Bottom.SetTicks(Enumerable.Range(0, xTickLabels.Count).Select(k => (double)k).ToArray(), xTickLabels.ToArray());
            plot.Axes.SetLimitsX(-0.5, xTickLabels.Count - 0.5);
        }
        if (log10Y)
        {
            var ys = lines.SelectMany(l => l.Y).Where(y => y > 0).ToArray();
            int lo = ys.Length == 0 ? 0 : (int)Math.Floor(Math.Log10(ys.Min())), hi = ys.Length == 0 ? 1 : (int)Math.Ceiling(Math.Log10(ys.Max()));
            if (hi == lo) hi++;
            var ticks = Enumerable.Range(lo, hi - lo + 1).ToArray();
            plot.Axes.Left.SetTicks(ticks.Select(t => (double)t).ToArray(),
                ticks.Select(t => Math.Pow(10, t).ToString("G", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
            plot.Axes.SetLimitsY(lo, hi);
        }
        else if (yRange is { } r) plot.Axes.SetLimitsY(r.Min, r.Max);
        plot.Axes.Bottom.Label.Text = xLabel;
        plot.Axes.Left.Label.Text = yLabel;
        plot.Title(title);
        // Beside the data, never over it.
        plot.ShowLegend(Edge.Right);
        plot.Legend.FontSize = 10;
        plot.SavePng(path, Width, Height);
    }
}
