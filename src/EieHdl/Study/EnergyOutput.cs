using System.Globalization;
using System.Text;
using EieHdl.Energy;

namespace EieHdl.Study;

/// <summary>The energy figures' files (CSV and PNG per figure) and their report section.</summary>
public static class EnergyOutput
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The files <see cref="Write"/> makes, relative to the study folder; all deterministic.</summary>
    public static readonly string[] Files =
    [
        "fig9-spmat-width.csv", "fig9-spmat-width.png",
        "fig7-energy-efficiency.csv", "fig7-energy-efficiency.png",
        "table5-eie.csv",
        "fig10-multiplier-energy.csv", "fig10-multiplier-energy.png",
    ];

    /// <summary>[P]'s published EIE figures (eie-reference.md: abstract and Section V), shown as published.</summary>
    public const double PaperAreaMm2 = 40.8, PaperPowerMw = 590, PaperGopPerSecond = 102, PaperDenseGopPerSecond = 3000,
        PaperEnergyEfficiencyOverCpu = 24000, PaperEnergyEfficiencyOverGpu = 3400;

    public static void Write(string dir, StudyEnergy e, Action<string, Figure> draw)
    {
        var csv9 = new Csv("layer", "spmat_width_bits", "spmat_depth", "cycles", "spmat_reads", "spmat_read_pj", "spmat_read_uj", "spmat_unit_uj", "energy_uj");
        foreach (var p in e.Fig9.Points)
            csv9.Row(p.Layer, p.WidthBits, p.Depth, p.Cycles, p.SpmatReads, p.SpmatReadPj, p.SpmatReadUj, p.SpmatUj, p.EnergyUj);
        StudyOutput.Text(dir, "fig9-spmat-width.csv", csv9.ToString());
        draw(Path.Combine(dir, "fig9-spmat-width.png"), new SpmatWidthFigure(e.Fig9.Points));

        var csv7 = new Csv("layer", "cycles", "us_at_800mhz", "energy_uj", "power_mw", "operations", "dense_operations",
            "gop_per_s", "gop_per_s_per_w", "dense_gop_per_s", "dense_gop_per_s_per_w");
        foreach (var l in e.Fig7)
            csv7.Row(l.Layer, l.Cycles, l.TimeUs, l.EnergyUj, l.PowerMw, l.Operations, l.DenseOperations, l.GopPerSecond, l.GopPerSecondPerWatt, l.DenseGopPerSecond, l.DenseGopPerSecondPerWatt);
        StudyOutput.Text(dir, "fig7-energy-efficiency.csv", csv7.ToString());
        double[] idx = Enumerable.Range(0, e.Fig7.Count).Select(k => (double)k).ToArray();
        draw(Path.Combine(dir, "fig7-energy-efficiency.png"), new LineFigure($"Fig. 7 analogue: energy efficiency per layer ({e.TableV.Pes} PEs, {e.ClockMhz} MHz, {e.Process})",
            "layer", "GOP/s/W (log)",
            [
                new("operations done (compressed)", idx, e.Fig7.Select(l => l.GopPerSecondPerWatt).ToArray(), MarkersOnly: true),
                new("dense-equivalent operations", idx, e.Fig7.Select(l => l.DenseGopPerSecondPerWatt).ToArray(), MarkersOnly: true),
            ], Log10Y: true, XTickLabels: e.Fig7.Select(l => l.Name).ToArray()));

        var t = e.TableV;
        var csv5 = new Csv("platform", "process", "clock_mhz", "pes", "power_mw", "area_mm2", "gop_per_s", "dense_gop_per_s", "peak_gop_per_s", "gop_per_s_per_w", "dense_gop_per_s_per_w");
        csv5.Row("EieHdl model", e.Process, t.ClockMhz, t.Pes, t.PowerMw, t.AreaMm2, t.GopPerSecond, t.DenseGopPerSecond, t.PeakGopPerSecond, t.GopPerSecondPerWatt, t.DenseGopPerSecondPerWatt);
        csv5.Row("EIE [P] as published", "45 nm", 800.0, 64, PaperPowerMw, PaperAreaMm2, PaperGopPerSecond, PaperDenseGopPerSecond, PaperGopPerSecond,
            PaperGopPerSecond / PaperPowerMw * 1e3, PaperDenseGopPerSecond / PaperPowerMw * 1e3);
        StudyOutput.Text(dir, "table5-eie.csv", csv5.ToString());

        var csv10 = new Csv("precision", "bits", "multiplier_bits", "multiply_pj");
        foreach (var m in e.Fig10Multiplier) csv10.Row(m.Label, m.Bits, m.MultiplierBits, m.EnergyPj);
        StudyOutput.Text(dir, "fig10-multiplier-energy.csv", csv10.ToString());
        draw(Path.Combine(dir, "fig10-multiplier-energy.png"), new LineFigure($"Fig. 10: multiplier energy per operation vs precision ({e.Process})",
            "acts and weights", "energy per multiply (pJ, log)",
            [new("technology file", e.Fig10Multiplier.Select((_, k) => (double)k).ToArray(), e.Fig10Multiplier.Select(m => m.EnergyPj).ToArray(), MarkersOnly: true)],
            Log10Y: true, XTickLabels: e.Fig10Multiplier.Select(m => m.Bits == 0 ? "32-bit float" : $"{m.Bits}-bit fixed").ToArray()));
    }

    /// <summary>The study.json entry.</summary>
    public static object Document(StudyEnergy e) => new
    {
        process = e.Process,
        clockMhz = e.ClockMhz,
        fig9SpmatWidth = e.Fig9,
        fig7EnergyEfficiency = e.Fig7,
        table5 = e.TableV,
        fig10MultiplierEnergy = e.Fig10Multiplier,
    };

    /// <summary>The report's energy sections.</summary>
    public static void Report(StringBuilder md, StudyResult r, StudyEnergy e)
    {
        void L(string line = "") => md.Append(line).Append('\n');
        var f9 = e.Fig9;
        L($"## Fig. 9: energy vs spmat SRAM width");
        L();
        L(($"Each of the study's layers compressed once and run through the cycle model with spmat words of {string.Join(", ", f9.Widths)} bits (every width, under --quick too), "
            + $"the spmat capacity per PE held at {f9.CapacityBits / 8192} KB (depth = capacity / width), {r.Config.Pes} PEs, {e.ClockMhz} MHz, {e.Process} (energy model, uncalibrated); the pointer depth, act SRAM and accumulators grown to hold each layer as in the sweeps. "
            + "Spmat reads and cycles are counted by the cycle model; the energy per read of each SRAM shape comes from the technology file's SRAM grid. "
            + "Total: the whole chip's energy for one inference of every layer. Figure `fig9-spmat-width.png` (each layer relative to its 64-bit energy), data `fig9-spmat-width.csv`."));
        L();
        L(SpmatWidthSweep.Table(f9.Points).TrimEnd('\n'));
        L();
        L(($"Paper [P] (Fig. 9): a 64-bit spmat SRAM minimises the energy. "
            + $"Here the least total energy is at {f9.BestWidthBits} bits"
            + (f9.BestWidthBits == 64 ? ", as in the paper" : $", unlike the paper's 64 bits: {Reads(f9, 64)}, against {Reads(f9, f9.BestWidthBits)}. "
                + "The paper's SRAM energies are not published per width, so the balance between fewer reads and dearer reads is the technology file's, not the paper's")
            + $"; the spmat read energy alone is least at {f9.BestReadWidthBits} bits."));
        L();

        string G(double v) => v.ToString(v < 100 ? "F1" : "F0", Inv);
        var t = e.TableV;
        L($"## Fig. 7 analogue: energy efficiency per layer ({t.Pes} PEs, {e.ClockMhz} MHz)");
        L();
        bool sameCycles = e.Fig7.All(l => r.EieTimes.FirstOrDefault(t => t.Layer == l.Layer)?.Cycles == l.Cycles);
        L(("Each layer run once through the cycle model at the base config as `eiehdl energy` runs it "
            + (sameCycles ? "(the same cycles as Table IV's EIE column), " : "(compressed by the benchmark flow: its cycles differ from Table IV's EIE column, see table4-eie.csv), ")
            + "its units' events priced by the energy model. GOP/s/W counts the operations done (a multiply and an add per entry, padding included) "
            + "and, dense-equivalent, the uncompressed layer's 2 x inputs x outputs, per joule. Figure `fig7-energy-efficiency.png`, data `fig7-energy-efficiency.csv`."));
        L();
        L("| layer | cycles | us | energy per inference (µJ) | power (mW) | GOP/s | GOP/s/W | dense-equivalent GOP/s | dense-equivalent GOP/s/W |");
        L("|---|---|---|---|---|---|---|---|---|");
        foreach (var l in e.Fig7)
            L(string.Create(Inv, $"| {l.Name} | {l.Cycles} | {l.TimeUs:F2} | {l.EnergyUj:F3} | {l.PowerMw:F0} | {G(l.GopPerSecond)} | {G(l.GopPerSecondPerWatt)} | {G(l.DenseGopPerSecond)} | {G(l.DenseGopPerSecondPerWatt)} |"));
        L();
        L(($"Paper [P] (Fig. 7, abstract): EIE is {PaperEnergyEfficiencyOverCpu.ToString("N0", Inv)}x and {PaperEnergyEfficiencyOverGpu.ToString("N0", Inv)}x more energy efficient than the CPU and GPU running the network uncompressed. "
            + "The reference file gives neither the CPU's nor the GPU's power, nor the per-layer values of Fig. 7, so no ratio against the CPU timed here is claimed: "
            + "its energy would need a power this machine does not measure. Our per-layer values stand alone."));
        L();

        L($"## Table V analogue: the platform ({t.Pes} PEs, {e.ClockMhz} MHz)");
        L();
        L(("EieHdl: the energy model over the study's layers run one after the other (their energy over their time), area from the base config's memories; "
            + $"{e.Process}, uncalibrated. EIE [P]: as published (eie-reference.md). Data `table5-eie.csv`."));
        L();
        L("| platform | process | clock | power (mW) | area (mm²) | GOP/s (compressed) | dense-equivalent GOP/s | peak GOP/s | GOP/s/W | dense-equivalent GOP/s/W |");
        L("|---|---|---|---|---|---|---|---|---|---|");
        L(string.Create(Inv, $"| EieHdl model | {e.Process} | {t.ClockMhz} MHz | {t.PowerMw:F0} | {t.AreaMm2:F1} | {G(t.GopPerSecond)} | {G(t.DenseGopPerSecond)} | {G(t.PeakGopPerSecond)} | {G(t.GopPerSecondPerWatt)} | {G(t.DenseGopPerSecondPerWatt)} |"));
        L(string.Create(Inv, $"| EIE [P] | 45 nm | 800 MHz | about {PaperPowerMw} | {PaperAreaMm2} | {PaperGopPerSecond} | {PaperDenseGopPerSecond} | {PaperGopPerSecond} | {G(PaperGopPerSecond / PaperPowerMw * 1e3)} (derived) | {G(PaperDenseGopPerSecond / PaperPowerMw * 1e3)} (derived) |"));
        L();
        L(($"Our modelled power is {(t.PowerMw / PaperPowerMw).ToString("F2", Inv)}x the paper's and our area {(t.AreaMm2 / PaperAreaMm2).ToString("F2", Inv)}x; "
            + "the model is built from published primitives, not calibrated to the paper (docs/energy.md). GOP/s/W of [P] is derived here from its published GOP/s and power. "
            + "The paper's 102 GOP/s is 64 PEs x 0.8 GHz x 2, the peak; our GOP/s column counts the operations the layers did over their cycles. "
            + "[P] Table V's other platforms (CPU, GPU, mobile GPU, DaDianNao, TrueNorth) are not in the reference file, so none are shown; "
            + "the abstract gives against DaDianNao 2.9x throughput, 19x energy efficiency and 3x area efficiency."));
        L();

        L("## Fig. 10 (energy): multiplier energy vs precision");
        L();
        L(("The energy of one multiply at each precision of Fig. 10, from the technology file: 32-bit float its `floatMultiply32Energy`; W-bit fixed point its integer multiply "
            + "curve (published points joined as a power law) at the operand width the energy model prices EIE's multiplier at (the geometric mean of act and weight width, here W). "
            + "Figure `fig10-multiplier-energy.png`, data `fig10-multiplier-energy.csv`."));
        L();
        L("| precision | operand bits | pJ per multiply | relative to 32-bit float |");
        L("|---|---|---|---|");
        double fp = e.Fig10Multiplier[0].EnergyPj;
        foreach (var m in e.Fig10Multiplier)
            L(string.Create(Inv, $"| {(m.Bits == 0 ? "32-bit float" : $"{m.Bits}-bit fixed")} | {m.MultiplierBits:G} | {m.EnergyPj:F3} | {m.EnergyPj / fp:F3} |"));
        L();
        L("Paper [P] (Table I, after Horowitz): 32-bit float multiply 3.7 pJ, 32-bit int multiply 3.1 pJ; Fig. 10's own energy values are not in the reference file.");
        L();
    }

    private static string Reads(SpmatWidthResult f9, int width)
    {
        var at = f9.Points.Where(p => p.WidthBits == width).ToArray();
        return string.Create(Inv, $"at {width} bits the layers make {at.Sum(p => p.SpmatReads)} spmat reads of {at[0].SpmatReadPj:F2} pJ and take {at.Sum(p => p.EnergyUj):F2} µJ in all");
    }
}
