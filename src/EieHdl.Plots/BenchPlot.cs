using ScottPlot;

namespace EieHdl.Plots;

/// <summary>One benchmark layer's cycles for <see cref="BenchPlot"/>.</summary>
public sealed record BenchPlotRow(string Layer, long IdealCycles, long ModelCycles, long? RtlCycles, double PaperCycles);

/// <summary>
/// PNG bar chart of `bench`: per layer, the ideal cycles (the busiest PE's entries), the cycle
/// model's cycles, the RTL's (with --rtl) and EIE's published cycles, side by side (ScottPlot).
/// </summary>
public static class BenchPlot
{
    public static void Save(string path, IReadOnlyList<BenchPlotRow> rows, int pes, int width = 900, int height = 500)
    {
        var plot = new Plot();
        var series = new List<(string Label, Color Color, Func<BenchPlotRow, double?> Value)>
        {
            ("ideal (busiest PE's entries)", Colors.LightGray, r => r.IdealCycles),
            ("cycle model", Colors.Blue, r => r.ModelCycles),
        };
        if (rows.Any(r => r.RtlCycles is not null)) series.Add(("RTL (Verilator)", Colors.Green, r => r.RtlCycles));
        series.Add(("EIE (paper, 64 PEs)", Colors.Orange, r => r.PaperCycles));
        double groupWidth = 0.8, barWidth = groupWidth / series.Count;
        for (int s = 0; s < series.Count; s++)
        {
            var bars = new List<Bar>();
            for (int l = 0; l < rows.Count; l++)
                if (series[s].Value(rows[l]) is double v)
                    bars.Add(new Bar { Position = l - groupWidth / 2 + (s + 0.5) * barWidth, Value = v / 1000, Size = barWidth, FillColor = series[s].Color });
            var plotted = plot.Add.Bars(bars);
            plotted.LegendText = series[s].Label;
            plotted.Color = series[s].Color;
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, rows.Count).Select(l => (double)l).ToArray(), rows.Select(r => r.Layer).ToArray());
        plot.Axes.Left.Label.Text = "cycles (thousands)";
        plot.Title($"EIE benchmark layers at {pes} PEs: cycles");
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, width, height);
    }
}
