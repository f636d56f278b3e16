using System.Globalization;
using System.Text;
using System.Text.Json;
using EieHdl.IO;

namespace EieHdl.Study;

/// <summary>
/// Writes a study into a folder: per figure a PNG (drawn by the caller's drawing function) and its CSV, study.json with every
/// deterministic series, and report.md. Measured CPU times go under measured/ (their own
/// CSV, PNG and timings.json), and report.md quotes them and the run time, so two runs of
/// the same study give byte-identical files everywhere except measured/ and report.md.
/// </summary>
public static class StudyOutput
{
    public const string MeasuredFolder = "measured";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, IndentSize = 2, NewLine = "\n",
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The deterministic files, relative to the folder.</summary>
    public static readonly string[] DeterministicFiles =
    [
        "study.json",
        "fig8-load-efficiency.csv", "fig8-load-efficiency.png",
        "fig11-speedup.csv", "fig11-speedup.png",
        "fig12-padding.csv", "fig12-padding.png",
        "fig13-load-balance.csv", "fig13-load-balance.png",
        "table4-eie.csv", "breakeven-eie.csv",
        .. EnergyOutput.Files,
    ];

    /// <summary>The measured files (CPU times differ from run to run).</summary>
    public static readonly string[] MeasuredFiles =
    [
        "measured/timings.json", "measured/table4-cpu.csv", "measured/fig6-speedup.png",
        "measured/breakeven-cpu.csv", "measured/breakeven.png",
    ];

    /// <param name="draw">Draws a figure into the named file (EieHdl.Plots' StudyPlots.Draw writes PNG).</param>
    public static void Write(string dir, StudyResult r, Action<string, Figure> draw)
    {
        var s = r.Sweeps;
        var pes = r.Plan.PeCounts.ToArray();
        var depths = r.Plan.QueueDepths.ToArray();
        var fig8 = s.LoadEfficiency(depths);
        var fig11 = s.SpeedUp(pes, false).Concat(s.SpeedUp(pes, true)).ToArray();
        var fig12 = s.Padding(pes, false).Concat(s.Padding(pes, true)).ToArray();
        var fig13 = s.LoadBalance(pes, false).Concat(s.LoadBalance(pes, true)).ToArray();

        var csv8 = new Csv("layer", "pes", "act_queue_depth", "cycles", "ideal_cycles", "stall_cycles", "load_efficiency");
        foreach (var d in depths)
            foreach (var l in r.Plan.Layers)
            {
                var p = s.At(l.Key, s.BasePes, d, false);
                csv8.Row(l.Key, s.BasePes, d, p.Cycles, p.IdealCycles, p.StallCycles, StudyMetrics.LoadEfficiency(p.IdealCycles, p.Cycles));
            }
        var csv11 = new Csv("layer", "rows", "pes", "act_queue_depth", "cycles", "speedup");
        var csv12 = new Csv("layer", "rows", "pes", "entries", "padding_entries", "padding_share");
        var csv13 = new Csv("layer", "rows", "pes", "ideal_cycles", "entries", "load_balance");
        foreach (bool balanced in new[] { false, true })
            foreach (var l in r.Plan.Layers)
                foreach (int n in pes)
                {
                    var p = s.At(l.Key, n, s.BaseDepth, balanced);
                    string rows = balanced ? "balanced" : "interleaved";
                    csv11.Row(l.Key, rows, n, s.BaseDepth, p.Cycles, StudyMetrics.SpeedUp(s.At(l.Key, 1, s.BaseDepth, balanced).Cycles, p.Cycles));
                    csv12.Row(l.Key, rows, n, p.Entries, p.PaddingEntries, StudyMetrics.PaddingShare(p.PaddingEntries, p.Entries));
                    csv13.Row(l.Key, rows, n, p.IdealCycles, p.Entries, p.LoadBalance);
                }
        string[] fpgaColumns = r.FpgaMhz is null ? [] : ["fpga_mhz", "us_at_fpga_mhz"];
        var csvEie = new Csv(["layer", "pes", "act_queue_depth", "cycles", "us_at_800mhz", "paper_actual_us", "paper_theoretical_us", .. fpgaColumns]);
        foreach (var e in r.EieTimes)
            csvEie.Row([e.Layer, s.BasePes, s.BaseDepth, e.Cycles, e.Us, e.PaperActualUs, e.PaperTheoreticalUs, .. r.FpgaMhz is double f ? new object?[] { f, e.UsAtFpgaMhz } : []]);
        var csvBe = new Csv("sparsity", "kept_weights", "cycles", "us_at_800mhz");
        foreach (var b in r.BreakEvenEie) csvBe.Row(b.Sparsity, b.KeptWeights, b.Cycles, b.Us);

        Text(dir, "fig8-load-efficiency.csv", csv8.ToString());
        Text(dir, "fig11-speedup.csv", csv11.ToString());
        Text(dir, "fig12-padding.csv", csv12.ToString());
        Text(dir, "fig13-load-balance.csv", csv13.ToString());
        Text(dir, "table4-eie.csv", csvEie.ToString());
        Text(dir, "breakeven-eie.csv", csvBe.ToString());

        draw(Path.Combine(dir, "fig8-load-efficiency.png"), new LineFigure($"Fig. 8: load efficiency vs act-queue depth ({s.BasePes} PEs)",
            "act queue depth", "load efficiency (ideal / actual cycles)", Lines(fig8, r), Log2X: true, YRange: (0, 1.05)));
        draw(Path.Combine(dir, "fig11-speedup.png"), new LineFigure($"Fig. 11: speed-up over 1 PE (act queue depth {s.BaseDepth}; dashed: balanced rows)",
            "PEs", "speed-up over 1 PE", Lines(fig11, r).Append(new FigureLine("linear", pes.Select(n => (double)n).ToArray(), pes.Select(n => (double)n).ToArray(), Dashed: true)).ToArray(),
            Log2X: true, Log10Y: true));
        draw(Path.Combine(dir, "fig12-padding.png"), new LineFigure("Fig. 12: padding share of the entries processed vs PEs (dashed: balanced rows)",
            "PEs", "padding entries / entries", Lines(fig12, r), Log2X: true));
        draw(Path.Combine(dir, "fig13-load-balance.png"), new LineFigure("Fig. 13: load balance (mean / max entries per PE) vs PEs (dashed: balanced rows)",
            "PEs", "load balance", Lines(fig13, r), Log2X: true, YRange: (0, 1.05)));

        var document = new
        {
            plan = r.Plan.Name,
            config = r.Config,
            clockMhz = StudyPlan.ClockMhz,
            fpgaMhz = r.FpgaMhz,
            seed = StudyPlan.Seed,
            layers = r.Plan.Layers.Select(l => new { l.Key, l.Name, l.Inputs, l.Outputs, l.WeightDensity, l.ActDensity }),
            fig8LoadEfficiency = fig8,
            fig11SpeedUp = fig11,
            fig12PaddingShare = fig12,
            fig13LoadBalance = fig13,
            table4Eie = r.EieTimes,
            breakEvenEie = new { layer = r.Plan.BreakEvenLayer.Name, r.Plan.BreakEvenLayer.Inputs, r.Plan.BreakEvenLayer.Outputs, points = r.BreakEvenEie },
            fig10Accuracy = r.Precision,
            energy = r.Energy is { } en ? EnergyOutput.Document(en) : null,
            points = s.Points,
        };
        Text(dir, "study.json", JsonSerializer.Serialize(document, Json) + "\n");

        if (r.Energy is { } energy) EnergyOutput.Write(dir, energy, draw);
        if (r.Precision is { } precision)
        {
            var csv10 = new Csv("precision", "bits", "act_frac_bits", "weight_frac_bits", "acc_width", "accuracy", "overflows");
            foreach (var p in precision) csv10.Row(p.Label, p.Bits, p.ActFracBits, p.WeightFracBits, p.AccWidth, p.Accuracy, p.Overflows);
            Text(dir, "fig10-accuracy.csv", csv10.ToString());
            draw(Path.Combine(dir, "fig10-accuracy.png"), new LineFigure("Fig. 10: LeNet-300-100 on MNIST, accuracy vs arithmetic precision",
                "acts and weights", "test accuracy (%)",
                [new("golden model (float: the shared float network)", precision.Select((_, k) => (double)k).ToArray(), precision.Select(p => 100 * p.Accuracy).ToArray(), MarkersOnly: true)],
                XTickLabels: precision.Select(p => p.Bits == 0 ? "float" : $"{p.Bits}-bit fixed").ToArray()));
        }
        if (r.Measured is { } m)
        {
            string measured = Path.Combine(dir, MeasuredFolder);
            Directory.CreateDirectory(measured);
            MeasuredOutput.Write(measured, r, m, draw);
        }
        Text(dir, "report.md", StudyReport.Markdown(r));
    }

    private static FigureLine[] Lines(IEnumerable<Series> series, StudyResult r) => series.Select(x => new FigureLine(
        $"{r.Plan.Layers.First(l => l.Key == x.Layer).Name}{(x.Rows == "balanced" ? " (balanced)" : "")}",
        x.X.Select(v => (double)v).ToArray(), x.Values, Dashed: x.Rows == "balanced")).ToArray();

    internal static void Text(string dir, string name, string text) => File.WriteAllText(Path.Combine(dir, name), text, AtomicOutput.Utf8);

    internal static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json) + "\n";

    internal static string F(double v, string format) => v.ToString(format, Inv);
}
