using System.Globalization;
using EieHdl.Fpga;
using ScottPlot;

namespace EieHdl.Plots;

/// <summary>
/// PNG of `synth`: the resources eie_top (or a board top) uses as a share of the device (yosys)
/// and, when several placement seeds ran (iCE40, --seeds), each seed's Fmax against nextpnr's
/// target clock (a board top's: its clock), one panel each, stacked.
/// </summary>
public static class SynthPlot
{
    public const int Width = 900, PanelHeight = 360;

    public static void Save(string path, SynthReport report) =>
        Save(path, $"eie_top, {report.Pes} PEs, on {report.Target} ({report.Device})", report.Family, report.Capacity, report.Resources,
            $"{FpgaShim.Module} on {report.Device}", "nextpnr target", report.PlaceAndRoute?.TargetMhz ?? 0, report.SeedSweep);

    public static void Save(string path, BoardBuildReport report)
    {
        var target = FpgaTarget.Find(Hardware.Board.Find(report.Board).FpgaTarget);
        Save(path, $"{report.Module}, {report.Pes} PEs, on {report.Device}", target.Family, target.Device, report.Resources,
            $"{report.Module} on {report.Device}", "board clock", report.ClockHz / 1e6, report.SeedSweep);
    }

    private static void Save(string path, string what, string family, FpgaDevice d, FpgaResources t,
        string placed, string targetName, double target, IReadOnlyList<SeedFmax>? sweep)
    {
        var figure = new Multiplot();
        bool seeds = sweep is { Count: > 1 };
        figure.AddPlots(seeds ? 2 : 1);
        Resources(figure.GetPlot(0), what, family, d, t);
        if (seeds) Fmax(figure.GetPlot(1), placed, targetName, target, sweep!);
        figure.SavePng(path, Width, PanelHeight * (seeds ? 2 : 1));
    }

    private static void Resources(Plot plot, string what, string family, FpgaDevice d, FpgaResources t)
    {
        var rows = new List<(string Name, double Used, int Available)>
        {
            (family == "xilinx" ? "LUTs" : "LUT4s", t.Luts, d.Luts),
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
        plot.Title($"{what}: resources");
        plot.ShowLegend(Alignment.UpperRight);
    }

    private static void Fmax(Plot plot, string placed, string targetName, double target, IReadOnlyList<SeedFmax> sweep)
    {
        var bars = sweep.Select((x, k) => new Bar
        {
            Position = k, Value = x.FmaxMhz, FillColor = x.MeetsTarget ? Colors.SeaGreen : Colors.OrangeRed,
            Label = x.FmaxMhz.ToString("F2", CultureInfo.InvariantCulture),
        }).ToArray();
        var plotted = plot.Add.Bars(bars);
        plotted.ValueLabelStyle.FontSize = 12;
        var line = plot.Add.HorizontalLine(target, 2, Colors.Black, LinePattern.Dashed);
        line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{targetName} {target} MHz");
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, sweep.Count).Select(k => (double)k).ToArray(),
            sweep.Select(x => x.Seed.ToString(CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Bottom.Label.Text = "nextpnr placement seed";
        plot.Axes.Left.Label.Text = "Fmax (MHz)";
        plot.Axes.Margins(bottom: 0);
        plot.Axes.SetLimitsY(0, Math.Max(target, sweep.Max(x => x.FmaxMhz)) * 1.3);
        plot.Title($"{placed}: Fmax by placement seed");
        plot.ShowLegend(Alignment.UpperRight);
    }
}
