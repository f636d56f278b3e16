using EieHdl.Mnist;
using ScottPlot;

namespace EieHdl.Plots;

/// <summary>PNG plot of test accuracy versus weights kept through the Deep Compression stages (ScottPlot).</summary>
public static class MnistPlot
{
    /// <summary>[DC]'s published LeNet-300-100 result: 8% of the weights, 98.42% accuracy.</summary>
    public const double PaperKeptPercent = 8.0, PaperAccuracyPercent = 98.42;

    public static void Save(string path, IReadOnlyList<StagePoint> history, double goldenAccuracy, int width = 800, int height = 500)
    {
        var plot = new Plot();
        AddSeries(plot, history.Where(p => p.Stage == "baseline" || p.Stage.StartsWith("retrained", StringComparison.Ordinal)),
            "pruned + retrained (float)", Colors.Blue, line: true);
        AddSeries(plot, history.Where(p => p.Stage.StartsWith("pruned round", StringComparison.Ordinal)),
            "just pruned (before retraining)", Colors.Red, line: false);
        AddSeries(plot, history.Where(p => p.Stage == "shared"), "16 shared values (k-means)", Colors.Orange, line: false);
        AddSeries(plot, history.Where(p => p.Stage == "fine-tuned"), "trained quantisation (float)", Colors.Green, line: false);
        double kept = history.LastOrDefault()?.WeightsKept ?? 0;
        var golden = plot.Add.Scatter(new[] { 100 * kept }, new[] { 100 * goldenAccuracy });
        golden.LegendText = "fixed point, golden model";
        golden.Color = Colors.Black;
        golden.MarkerShape = MarkerShape.OpenDiamond;
        golden.MarkerSize = 12;
        var paper = plot.Add.Scatter(new[] { PaperKeptPercent }, new[] { PaperAccuracyPercent });
        paper.LegendText = "[DC] LeNet-300-100 (98.42% at 8%)";
        paper.Color = Colors.Gray;
        paper.MarkerShape = MarkerShape.OpenSquare;
        paper.MarkerSize = 10;
        plot.Axes.Bottom.Label.Text = "weights kept (%)";
        plot.Axes.Left.Label.Text = "test accuracy (%)";
        plot.Title("LeNet-300-100 on MNIST: accuracy versus weights kept");
        double low = Math.Min(history.Select(p => p.Accuracy).DefaultIfEmpty(0.97).Min(), goldenAccuracy);
        plot.Axes.SetLimits(0, 105, Math.Max(0, 100 * low - 0.5), 99);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(path, width, height);
    }

    private static void AddSeries(Plot plot, IEnumerable<StagePoint> points, string label, Color color, bool line)
    {
        var list = points.ToArray();
        if (list.Length == 0) return;
        var scatter = plot.Add.Scatter(list.Select(p => 100 * p.WeightsKept).ToArray(), list.Select(p => 100 * p.Accuracy).ToArray());
        scatter.LegendText = label;
        scatter.Color = color;
        scatter.MarkerSize = 8;
        scatter.LineWidth = line ? 1.5f : 0;
    }
}
