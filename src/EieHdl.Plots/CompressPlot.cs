using System.Globalization;
using EieHdl.Compression;
using ScottPlot;

namespace EieHdl.Plots;

/// <summary>
/// PNG of `compress`: per layer (one panel each, stacked), the histogram of its weights with
/// the kept weights over the pruned ones, the pruning cut at +-cut (dashed) and the shared
/// values of its codebook (thin vertical lines), in the manner of Deep Compression's figures.
/// </summary>
public static class CompressPlot
{
    public const int Width = 900, PanelHeight = 320;

    public static void Save(string path, IReadOnlyList<WeightHistogram> layers)
    {
        var figure = new Multiplot();
        figure.AddPlots(layers.Count);
        for (int l = 0; l < layers.Count; l++) Draw(figure.GetPlot(l), layers[l]);
        figure.SavePng(path, Width, PanelHeight * layers.Count);
    }

    private static void Draw(Plot plot, WeightHistogram h)
    {
        var kept = new List<Bar>();
        var pruned = new List<Bar>();
        for (int b = 0; b < h.Kept.Length; b++)
        {
            double x = h.BinStart + (b + 0.5) * h.BinWidth;
            kept.Add(new Bar { Position = x, Value = h.Kept[b], Size = h.BinWidth, FillColor = Colors.SteelBlue, LineWidth = 0 });
            pruned.Add(new Bar { Position = x, ValueBase = h.Kept[b], Value = h.Kept[b] + h.Pruned[b], Size = h.BinWidth, FillColor = Colors.LightGray, LineWidth = 0 });
        }
        var prunedBars = plot.Add.Bars(pruned);
        prunedBars.LegendText = "pruned";
        prunedBars.Color = Colors.LightGray;
        var keptBars = plot.Add.Bars(kept);
        keptBars.LegendText = "kept";
        keptBars.Color = Colors.SteelBlue;
        for (int k = 0; k < h.SharedValues.Length; k++)
        {
            var line = plot.Add.VerticalLine(h.SharedValues[k], 1, Colors.OrangeRed);
            if (k == 0) line.LegendText = $"{h.SharedValues.Length} shared values (codebook)";
        }
        if (h.PruneCut > 0)
            foreach (double x in new[] { -h.PruneCut, h.PruneCut })
            {
                var cut = plot.Add.VerticalLine(x, 2, Colors.Black, LinePattern.Dashed);
                if (x < 0) cut.LegendText = string.Create(CultureInfo.InvariantCulture, $"pruning cut |w| = {h.PruneCut:G4}");
            }
        plot.Axes.Margins(bottom: 0);
        plot.Axes.Bottom.Label.Text = "weight";
        plot.Axes.Left.Label.Text = "weights per bin";
        plot.Title($"{h.Layer}: weights, pruning cut and shared values");
        plot.ShowLegend(Alignment.UpperRight);
    }
}
