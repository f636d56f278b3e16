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
    ];

    public static void Write(string dir, StudyEnergy e)
    {
        var csv9 = new Csv("layer", "spmat_width_bits", "spmat_depth", "cycles", "spmat_reads", "spmat_read_pj", "spmat_read_uj", "spmat_unit_uj", "energy_uj");
        foreach (var p in e.Fig9.Points)
            csv9.Row(p.Layer, p.WidthBits, p.Depth, p.Cycles, p.SpmatReads, p.SpmatReadPj, p.SpmatReadUj, p.SpmatUj, p.EnergyUj);
        StudyOutput.Text(dir, "fig9-spmat-width.csv", csv9.ToString());
        SpmatWidthSweep.SavePlot(Path.Combine(dir, "fig9-spmat-width.png"), e.Fig9.Points, StudyPlots.Width, StudyPlots.Height);
    }

    /// <summary>The study.json entry.</summary>
    public static object Document(StudyEnergy e) => new
    {
        process = e.Process,
        clockMhz = e.ClockMhz,
        fig9SpmatWidth = e.Fig9,
    };

    /// <summary>The report's energy sections.</summary>
    public static void Report(StringBuilder md, StudyResult r, StudyEnergy e)
    {
        void L(string line = "") => md.Append(line).Append('\n');
        var f9 = e.Fig9;
        L($"## Fig. 9: energy vs spmat SRAM width");
        L();
        L(($"Each layer compressed once and run through the cycle model with spmat words of {string.Join(", ", f9.Widths)} bits, "
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
    }

    private static string Reads(SpmatWidthResult f9, int width)
    {
        var at = f9.Points.Where(p => p.WidthBits == width).ToArray();
        return string.Create(Inv, $"at {width} bits the layers make {at.Sum(p => p.SpmatReads)} spmat reads of {at[0].SpmatReadPj:F2} pJ and take {at.Sum(p => p.EnergyUj):F2} µJ in all");
    }
}
