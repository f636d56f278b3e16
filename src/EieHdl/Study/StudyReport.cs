using System.Globalization;
using System.Text;

namespace EieHdl.Study;

/// <summary>
/// report.md: each figure with its table, what the paper claims beside what we found, the
/// measured Table IV, the break-even sweep, the energy figures (<see cref="EnergyOutput"/>), and a closing note
/// with the headline numbers.
/// </summary>
public static class StudyReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Markdown(StudyResult r)
    {
        var s = r.Sweeps;
        var plan = r.Plan;
        var pes = plan.PeCounts.ToArray();
        var depths = plan.QueueDepths.ToArray();
        var names = plan.Layers.ToDictionary(l => l.Key, l => l.Name);
        var md = new StringBuilder();
        void L(string line = "") => md.Append(line).Append('\n');
        string P(double v) => (100 * v).ToString("F1", Inv) + "%";
        string X(double v) => v.ToString("F1", Inv) + "x";

        L($"# EIE study ({plan.Name})");
        L();
        L(($"`eiehdl study{(plan.Name == "quick" ? " --quick" : "")}`: the evaluation of Han et al., EIE (ISCA 2016) [P], reproduced on EieHdl's exact cycle model "
            + $"for {plan.Layers.Count} synthetic benchmark layers (the shapes and densities of [P] Table III, seed {StudyPlan.Seed}; not the trained networks). "
            + $"Base config: {s.BasePes} PEs, act queue depth {s.BaseDepth}, {r.Config.SpmatWordBits}-bit spmat words, LNZD fan-in {r.Config.LnzdFanIn}; "
            + "each sweep point sets its PEs and depth and grows the memories (accumulators, act SRAM, pointer and spmat depth, pointer width) to hold the layer, "
            + "which does not change the cycles. Paper values come from /work/shared/eie-reference.md, cited per table; nothing is fitted to them."));
        L();
        L("Deterministic: `study.json` and every `fig*.csv`/`fig*.png`, `table4-eie.csv`, `table5-eie.csv`, `breakeven-eie.csv` (the same inputs give the same bytes). "
            + "Measured: everything under `measured/` and this report, which quotes the CPU times and the run time.");
        L();

        // Fig. 8
        var fig8 = s.LoadEfficiency(depths);
        L($"## Fig. 8: load efficiency vs act-queue depth ({s.BasePes} PEs)");
        L();
        L("Load efficiency = ideal cycles (the busiest PE's entries) / the layer's cycles. Figure `fig8-load-efficiency.png`, data `fig8-load-efficiency.csv`.");
        L();
        Table(md, "layer", depths.Select(d => d.ToString(Inv)), fig8.Select(x => (names[x.Layer], x.Values.Select(P))));
        double Mean(IEnumerable<Series> ser, int k) => ser.Average(x => x.Values[k]);
        int k8 = Array.IndexOf(depths, 8);
        double first = Mean(fig8, 0), last = Mean(fig8, depths.Length - 1);
        L(($"Mean over the layers: {P(first)} at depth {depths[0]}, {(k8 >= 0 ? P(Mean(fig8, k8)) + " at depth 8, " : "")}{P(last)} at depth {depths[^1]}."));
        L();
        if (k8 >= 0)
        {
            double total = last - first, beyond = last - Mean(fig8, k8);
            bool flat = total <= 0 || beyond <= 0.25 * total;
            L(($"Paper [P] (Fig. 8): with depth 1 about half the cycles are idle, and gains flatten beyond depth 8. "
                + $"Here: depth {depths[0]} reaches {P(first)} of ideal; depths above 8 add {(100 * beyond).ToString("F1", Inv)} points of the {(100 * total).ToString("F1", Inv)} gained from depth {depths[0]} to {depths[^1]}, "
                + (flat ? "so the gains do flatten beyond depth 8, as the paper says." : "so the gains do not flatten at depth 8 here: the layers' per-column work is uneven enough that deeper queues keep smoothing it.")
                + (first > 0.6 ? $" Unlike the paper, depth {depths[0]} is far from half idle. The paper's simulator used a ring buffer holding depth - 1 items (eie-reference.md), so its depth 1 buffered nothing; EieHdl's act queue holds ActQueueDepth entries, so depth 1 still lets a PE take the next column while the others finish theirs." : "")));
            L();
        }

        // Fig. 11
        var up = s.SpeedUp(pes, false);
        var upBal = s.SpeedUp(pes, true);
        L("## Fig. 11: speed-up over 1 PE vs PEs");
        L();
        L($"Cycles on 1 PE / cycles on N PEs, act queue depth {s.BaseDepth}, rows interleaved (EIE) and, in brackets, dealt largest-first. Figure `fig11-speedup.png`, data `fig11-speedup.csv`.");
        L();
        Table(md, "layer", pes.Select(n => n.ToString(Inv)), up.Zip(upBal, (a, b) => (names[a.Layer], a.Values.Zip(b.Values, (x, y) => $"{X(x)} ({X(y)})"))));
        var eff = up.Select(x => (x.Layer, Eff: x.Values[^1] / pes[^1])).OrderBy(x => x.Eff).ToArray();
        L(($"Paper [P] (Fig. 11): near-linear speed-up from 1 to 256 PEs except NT-We (600 rows over 64 PEs is about one entry per PE per column). "
            + $"Here at {pes[^1]} PEs the speed-up is {string.Join(", ", up.Select(x => $"{names[x.Layer]} {X(x.Values[^1])}"))}; "
            + $"the least linear is {names[eff[0].Layer]} ({P(eff[0].Eff)} of linear), the most {names[eff[^1].Layer]} ({P(eff[^1].Eff)}). "
            + (eff[0].Layer == "nt-we" ? "NT-We is the exception here too, as the paper says. " : $"Unlike the paper, the exception is {names[eff[0].Layer]}, not NT-We. ")
            + "Below linear, the busiest PE or the broadcast bounds the layer: with few rows per PE a column is a few entries per PE, "
            + "so the one-column-per-cycle broadcast and the per-column pipeline cost dominate"
            + (eff[^1].Eff > 1 ? "; above linear, the padding entries vanish as PEs are added (Fig. 12: a PE's rows are N apart, so its zero runs are shorter), so the total work shrinks." : ".")));
        L();

        // Fig. 12 and 13
        var pad = s.Padding(pes, false);
        var padBal = s.Padding(pes, true);
        var bal = s.LoadBalance(pes, false);
        var balBal = s.LoadBalance(pes, true);
        L("## Fig. 12: padding vs PEs");
        L();
        L("Padding entries / all entries the PEs process (active columns), interleaved rows (balanced in brackets). Figure `fig12-padding.png`, data `fig12-padding.csv`.");
        L();
        Table(md, "layer", pes.Select(n => n.ToString(Inv)), pad.Zip(padBal, (a, b) => (names[a.Layer], a.Values.Zip(b.Values, (x, y) => $"{P(x)} ({P(y)})"))));
        L("## Fig. 13: load balance vs PEs");
        L();
        L("Mean / max entries per PE, interleaved rows (balanced in brackets). Figure `fig13-load-balance.png`, data `fig13-load-balance.csv`.");
        L();
        Table(md, "layer", pes.Select(n => n.ToString(Inv)), bal.Zip(balBal, (a, b) => (names[a.Layer], a.Values.Zip(b.Values, (x, y) => $"{P(x)} ({P(y)})"))));
        L(($"Paper [P] (Figs. 12, 13): more PEs mean fewer padding entries but worse load balance. "
            + $"Here, mean over the layers, padding goes from {P(Mean(pad, 0))} at {pes[0]} PE to {P(Mean(pad, pes.Length - 1))} at {pes[^1]} PEs "
            + $"({(Mean(pad, pes.Length - 1) < Mean(pad, 0) ? "fewer, as in the paper: a PE's rows are N apart, so its zero runs in a column are N times shorter" : "not fewer, unlike the paper")}), "
            + $"and load balance from {P(Mean(bal, 0))} to {P(Mean(bal, pes.Length - 1))} "
            + $"({(Mean(bal, pes.Length - 1) < Mean(bal, 0) ? "worse, as in the paper" : "not worse, unlike the paper")}); "
            + $"dealing rows largest-first holds it at {P(Mean(balBal, pes.Length - 1))} at {pes[^1]} PEs."));
        L();

        // Table IV
        L("## Table IV and Fig. 6 on this machine (measured)");
        L();
        if (r.Measured is { } m) MeasuredSection(md, r, m);
        else L("Not measured in this run.");
        L();

        if (r.Energy is { } energy) EnergyOutput.Report(md, r, energy);
        else
        {
            L("## Energy");
            L();
            L("Not in this run: no technology file was given to the study.");
            L();
        }
        L("## Fig. 10: accuracy vs arithmetic precision");
        L();
        if (r.Precision is { } precision)
        {
            L("LeNet-300-100 (the `mnist` flow's pruned, weight-shared network) over the 10,000 MNIST test images: float, and the golden model with acts and weights of W bits "
                + "(W/2 act fraction bits, 3W/4 weight fraction bits, a 2W-bit accumulator up to 62 bits: 16 bits is EIE's default). Figure `fig10-accuracy.png`, data `fig10-accuracy.csv`.");
            L();
            L("| precision | act frac bits | weight frac bits | accumulator | accuracy | accumulator wraps |");
            L("|---|---|---|---|---|---|");
            foreach (var p in precision)
                L(p.Bits == 0 ? $"| float | - | - | - | {(100 * p.Accuracy).ToString("F2", Inv)}% | - |"
                    : $"| {p.Bits}-bit fixed | {p.ActFracBits} | {p.WeightFracBits} | {p.AccWidth} | {(100 * p.Accuracy).ToString("F2", Inv)}% | {p.Overflows} |");
            L();
            L("Paper [P] (Fig. 10) compares 32-bit float with 32, 16 and 8-bit fixed point; its numbers are not in the reference file, so none are drawn. "
                + "Float is the trained network itself (double precision, shared weights)."
                + (r.Energy is null ? "" : " The multiplier energy per precision is in the section \"Fig. 10 (energy)\" above."));
        }
        else L("Not in this run: `--mnist` adds it (the `mnist` flow's cached network; trained first if the cache has none).");
        L();

        // Closing note
        var e = r.EieTimes;
        L("## Closing note");
        L();
        L(($"On {s.BasePes} PEs at 800 MHz the cycle model gives {string.Join(", ", e.Select(t => $"{t.Name} {t.Us:F1} us (paper {t.PaperActualUs:F1})"))}. "
            + $"Load efficiency at depth {depths[0]} / {depths[^1]}: {P(first)} / {P(last)}; speed-up at {pes[^1]} PEs: {X(up.Min(x => x.Values[^1]))} to {X(up.Max(x => x.Values[^1]))}."
            + (r.Measured is { } mm ? $" On this machine EIE's model is {X(mm.Layers.Min(l => l.EieSpeedUp))} to {X(mm.Layers.Max(l => l.EieSpeedUp))} faster than one thread of dense float32"
                + (mm.BreakEvenCsr is double b ? $", and CSR beats dense above {P(b)} weight sparsity." : ", and CSR never beat dense in the sweep.") : "")
            + (r.Energy is { } en ? $" Energy model: least total energy at {en.Fig9.BestWidthBits}-bit spmat words (paper: 64); the chip at {en.TableV.PowerMw:F0} mW, {en.TableV.AreaMm2:F1} mm², "
                + $"{en.TableV.GopPerSecondPerWatt:F1} GOP/s/W on the operations done ({en.TableV.DenseGopPerSecondPerWatt:F0} dense-equivalent); paper about 590 mW, 40.8 mm²." : "")
            + (r.Precision is { } pr ? " LeNet-300-100 on MNIST: " + string.Join(", ", pr.Select(p => $"{(p.Bits == 0 ? "float" : $"{p.Bits}-bit")} {(100 * p.Accuracy).ToString("F2", Inv)}%")) + "." : "")));
        L();
        L("Plots: `fig8-load-efficiency.png`, `fig11-speedup.png`, `fig12-padding.png`, `fig13-load-balance.png`"
            + (r.Precision is null ? "" : ", `fig10-accuracy.png`")
            + (r.Energy is null ? "" : ", `fig9-spmat-width.png`, `fig7-energy-efficiency.png`, `fig10-multiplier-energy.png`")
            + (r.Measured is null ? "." : ", `measured/fig6-speedup.png`, `measured/breakeven.png`."));
        L();
        L(($"The study took {r.Seconds:F0} s."));
        return md.ToString();
    }

    private static void MeasuredSection(StringBuilder md, StudyResult r, MeasuredResults m)
    {
        void L(string line = "") => md.Append(line).Append('\n');
        string U(double v) => v.ToString(v < 100 ? "F1" : "F0", Inv);
        string X(double v) => v.ToString(v < 10 ? "F2" : "F0", Inv) + "x";
        L(($"Batch 1, float32, median of repeated runs on {m.Machine}; times in us. Dense: System.Numerics.Tensors' vectorised dot product per row "
            + $"(1 thread, and the rows split over {m.Threads} threads); CSR: a plain CSR loop; sparse x sparse: the CSC columns of the non-zero inputs only "
            + $"(what [P] calls CPU sparse); golden: EieHdl's bit-exact fixed-point model; EIE: the cycle model's cycles at 800 MHz. Speed-up = dense 1-thread time / time. "
            + "Paper columns are [P] Table IV as published (i7-5930K sparse, Titan X sparse, EIE actual), on the trained networks, not these synthetic layers. "
            + "Data `measured/table4-cpu.csv`, figure `measured/fig6-speedup.png`."));
        L();
        string fpga = r.FpgaMhz is double mhz ? $"EIE at {mhz.ToString("R", Inv)} MHz | speed-up at {mhz.ToString("R", Inv)} MHz | " : "";
        L($"| layer | dense | dense all cores | CSR | sparse x sparse | golden | EIE | EIE speed-up | {fpga}EIE / CPU sparse | paper CPU sparse | paper GPU sparse | paper EIE | paper EIE / CPU sparse |");
        L("|---|---|---|---|---|---|---|---|" + (r.FpgaMhz is null ? "" : "---|---|") + "---|---|---|---|---|");
        foreach (var l in m.Layers)
            L($"| {l.Name} | {U(l.Dense.MedianUs)} | {U(l.DenseAllCores.MedianUs)} ({X(l.SpeedUp(l.DenseAllCores))}) | {U(l.Csr.MedianUs)} ({X(l.SpeedUp(l.Csr))}) | "
                + $"{U(l.SparseSparse.MedianUs)} ({X(l.SpeedUp(l.SparseSparse))}) | {U(l.Golden.MedianUs)} ({X(l.SpeedUp(l.Golden))}) | {U(l.EieUs)} | {X(l.EieSpeedUp)} | "
                + (r.FpgaMhz is double f ? $"{U(StudyMetrics.Microseconds(l.EieCycles, f))} | {X(l.EieSpeedUpAt(f))} | " : "")
                + $"{X(l.EieOverCpuSparse)} | {U(l.PaperCpuSparseUs)} | {U(l.PaperGpuSparseUs)} | {U(l.PaperEieActualUs)} | {X(l.PaperEieOverCpuSparse)} |");
        L();
        // The FPGA flow gives no Fmax for a config this large, so the clock is the user's and the
        // report says where it came from.
        L(r.FpgaMhz is double at
            ? $"EIE at {at.ToString("R", Inv)} MHz: the clock given with `--fpga-mhz`, e.g. the Fmax `eiehdl synth` reports; the cycles are the {r.Sweeps.BasePes}-PE config's (the EIE column's), "
                + "only the clock differs. Also in `table4-eie.csv` (`us_at_fpga_mhz`) and `measured/table4-cpu.csv`."
            : $"`--fpga-mhz F` adds EIE's time at F MHz (e.g. the Fmax `eiehdl synth` reports) with the same {r.Sweeps.BasePes}-PE cycles, and its speed-up over dense.");
        L();
        L(($"Dense library: {m.Provider}. Its single-thread dense product on the {r.Plan.BreakEvenLayer.Name} shape took {U(m.MathNetDense.MedianUs)} us, "
            + $"System.Numerics.Tensors {U(m.TensorsDenseSameShape.MedianUs)} us; the dense baseline is always the System.Numerics.Tensors product"
            + (m.MathNetDense.MedianUs < m.TensorsDenseSameShape.MedianUs ? ", although MathNet's was faster here, so the dense column overstates the CPU's dense time." : ", the faster of the two here.")));
        L();
        L($"### Break-even sparsity ({r.Plan.BreakEvenLayer.Name}, {r.Plan.BreakEvenLayer.Inputs} x {r.Plan.BreakEvenLayer.Outputs}, acts {(100 * r.Plan.BreakEvenLayer.ActDensity).ToString("F1", Inv)}% non-zero, one thread)");
        L();
        L("| weight sparsity | dense | CSR | sparse x sparse | EIE cycles | EIE us |");
        L("|---|---|---|---|---|---|");
        for (int k = 0; k < m.BreakEven.Count; k++)
        {
            var p = m.BreakEven[k];
            L($"| {(100 * p.Sparsity).ToString("F1", Inv)}% | {U(p.Dense.MedianUs)} | {U(p.Csr.MedianUs)} | {U(p.SparseSparse.MedianUs)} | {r.BreakEvenEie[k].Cycles} | {U(r.BreakEvenEie[k].Us)} |");
        }
        L();
        string Where(double? b) => b is double v ? $"above {(100 * v).ToString("F1", Inv)}% weight sparsity" : "nowhere in the sweep";
        var dense = m.BreakEven.Select(p => p.Dense.MedianUs).ToArray();
        L($"Dense does the same work at every sparsity: its times here span {U(dense.Min())} to {U(dense.Max())} us, which shows the measurement noise; "
            + $"the crossings are taken against their median, {U(StudyMetrics.Median(dense))} us. "
            + $"CSR is faster than dense {Where(m.BreakEvenCsr)}; sparse x sparse {Where(m.BreakEvenSparseSparse)} (interpolated between measured points). "
            + "The project's seed slides found CSR beating dense GEMM on a CPU only above roughly 95% sparsity; "
            + (m.BreakEvenCsr is double c ? $"here it is {(c < 0.95 ? "below" : "at or above")} that. " : "here CSR never caught up within the sweep. ")
            + "For reference, CSR stores 8 bytes per kept weight (value and column index) and dense 4 per weight, so CSR moves less data above 50% sparsity."
            + " Data `measured/breakeven-cpu.csv`, figure `measured/breakeven.png`.");
    }

    private static void Table(StringBuilder md, string first, IEnumerable<string> columns, IEnumerable<(string Name, IEnumerable<string> Cells)> rows)
    {
        var cols = columns.ToArray();
        md.Append($"| {first} | {string.Join(" | ", cols)} |\n");
        md.Append($"|---|{string.Concat(cols.Select(_ => "---|"))}\n");
        foreach (var (name, cells) in rows) md.Append($"| {name} | {string.Join(" | ", cells)} |\n");
        md.Append('\n');
    }
}
