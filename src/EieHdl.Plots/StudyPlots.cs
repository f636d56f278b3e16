using EieHdl.Study;
using ScottPlot;

namespace EieHdl.Plots;

/// <summary>
/// The study's figures as PNG line plots (ScottPlot): one line per series, optional paper
/// points beside them, optional log2 axes with power-of-two tick labels. Rendering is a
/// function of the data alone, so equal data give equal files.
/// </summary>
public static class StudyPlots
{
    public const int Width = 900, Height = 560;

    /// <summary>Draws a study figure into <paramref name="path"/> (the drawing function of <see cref="StudyOutput.Write"/>).</summary>
    public static void Draw(string path, Figure figure)
    {
        switch (figure)
        {
            case LineFigure f: Save(path, f); break;
            case SpmatWidthFigure f: SpmatWidthPlot.Save(path, f.Points, Width, Height); break;
            default: throw new ArgumentException($"no drawing for {figure.GetType().Name}", nameof(figure));
        }
    }

    public static void Save(string path, LineFigure figure)
    {
        var (title, xLabel, yLabel, lines) = (figure.Title, figure.XLabel, figure.YLabel, figure.Lines);
        var (log2X, log10Y, yRange, xTickLabels) = (figure.Log2X, figure.Log10Y, figure.YRange, figure.XTickLabels);
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
