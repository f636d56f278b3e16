using System.Globalization;
using EieHdl.Fpga;
using ScottPlot;

namespace EieHdl.Plots;

/// <summary>
/// PNG of `synth`: the resources eie_top uses as a share of the device (yosys, out of context)
/// and, when several placement seeds ran (iCE40, --seeds), each seed's Fmax against nextpnr's
/// target clock, one panel each, stacked.
/// </summary>
public static class SynthPlot
{
    public const int Width = 900, PanelHeight = 360;

    public static void Save(string path, SynthReport report)
    {
        var figure = new Multiplot();
        bool seeds = report.SeedSweep is { Count: > 1 };
        figure.AddPlots(seeds ? 2 : 1);
        Resources(figure.GetPlot(0), report);
        if (seeds) Fmax(figure.GetPlot(1), report, report.SeedSweep!);
        figure.SavePng(path, Width, PanelHeight * (seeds ? 2 : 1));
    }

    private static void Resources(Plot plot, SynthReport r)
    {
        var d = r.Capacity;
        var t = r.Resources;
        var rows = new List<(string Name, double Used, int Available)>
        {
            (r.Family == "xilinx" ? "LUTs" : "LUT4s", t.Luts, d.Luts),
            ("flip-flops", t.FlipFlops, d.FlipFlops),
            ("block RAMs", t.BlockRams, d.BramBlocks),
        };
        if (d.Sprams > 0) rows.Add(("SPRAM", t.Sprams, d.Sprams));
        rows.Add(("DSPs", t.Dsps, d.Dsps));
        rows.RemoveAll(x => x.Available <= 0);
        var bars = rows.Select((x, k) => new Bar
        {
            Position = k, Value = 100 * x.Used / x.Available, FillColor = x.Used > x.Available ? Colors.OrangeRed : Colors.SteelBlue,
            Label = string.Create(CultureInfo.InvariantCulture, $"{x.Used:0.##} / {x.Available}"),
        }).ToArray();
        var plotted = plot.Add.Bars(bars);
        plotted.ValueLabelStyle.FontSize = 12;
        var full = plot.Add.HorizontalLine(100, 1, Colors.Black, LinePattern.Dashed);
        full.LegendText = "the whole device";
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, rows.Count).Select(k => (double)k).ToArray(), rows.Select(x => x.Name).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsY(0, Math.Max(125, bars.Max(b => b.Value) * 1.25));
        plot.Axes.Left.Label.Text = "share of the device (%)";
        plot.Title($"eie_top, {r.Pes} PEs, on {r.Target} ({r.Device}): resources");
        plot.ShowLegend(Alignment.UpperRight);
    }

    private static void Fmax(Plot plot, SynthReport r, IReadOnlyList<SeedFmax> sweep)
    {
        var bars = sweep.Select((x, k) => new Bar
        {
            Position = k, Value = x.FmaxMhz, FillColor = x.MeetsTarget ? Colors.SeaGreen : Colors.OrangeRed,
            Label = x.FmaxMhz.ToString("F2", CultureInfo.InvariantCulture),
        }).ToArray();
        var plotted = plot.Add.Bars(bars);
        plotted.ValueLabelStyle.FontSize = 12;
        double target = r.PlaceAndRoute!.TargetMhz;
        var line = plot.Add.HorizontalLine(target, 2, Colors.Black, LinePattern.Dashed);
        line.LegendText = string.Create(CultureInfo.InvariantCulture, $"nextpnr target {target} MHz");
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, sweep.Count).Select(k => (double)k).ToArray(),
            sweep.Select(x => x.Seed.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Bottom.Label.Text = "nextpnr placement seed";
        plot.Axes.Left.Label.Text = "Fmax (MHz)";
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsY(0, Math.Max(target, sweep.Max(x => x.FmaxMhz)) * 1.3);
        plot.Title($"{FpgaShim.Module} on {r.Device}: Fmax by placement seed");
        plot.ShowLegend(Alignment.UpperRight);
    }
}
