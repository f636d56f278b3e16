using System.Globalization;
using EieHdl.Config;
using EieHdl.Workloads;

namespace EieHdl.Energy;

/// <summary>One layer at one spmat word width.</summary>
/// <param name="SpmatReadUj">Spmat SRAM read energy alone (reads x energy per read): the quantity of EIE's Fig. 9.</param>
/// <param name="SpmatUj">The spmat read unit's energy (SRAM reads and leakage, word buffer, clock).</param>
/// <param name="EnergyUj">The whole chip's energy for one inference of the layer.</param>
public sealed record SweepPoint(
    string Layer, int WidthBits, int Depth, long Cycles, long SpmatReads, double SpmatReadPj, double SpmatReadUj, double SpmatUj, double EnergyUj);

/// <summary>
/// EIE's Figure 9: the energy of the benchmark layers against the spmat SRAM word width, the
/// spmat capacity per PE held fixed (depth = capacity / width). Each layer is compressed once
/// (the entries do not depend on the word width), repacked into words of each width, and run
/// through the cycle model at each width, so spmat reads and cycles are counted, not estimated.
/// </summary>
public static class SpmatWidthSweep
{
    public static IReadOnlyList<int> Widths { get; } = [32, 64, 128, 256, 512];

    /// <summary>
    /// <paramref name="config"/> with <paramref name="widthBits"/>-bit spmat words and the same
    /// spmat capacity; refused (one line) when the width cannot hold a power-of-two number of
    /// entries or the capacity is not a whole number of words.
    /// </summary>
    public static EieConfig At(EieConfig config, int widthBits)
    {
        long capacity = (long)config.SpmatWordBits * config.SpmatDepth;
        string source = $"--sweep-spmat-width at {widthBits} bits";
        if (capacity % widthBits != 0)
            throw new EieInputException(
                $"{source}: the spmat capacity {capacity} bits ({nameof(EieConfig.SpmatWordBits)} x {nameof(EieConfig.SpmatDepth)}) must be a whole number of words, got {capacity} / {widthBits}");
        return (config with { SpmatWordBits = widthBits, SpmatDepth = (int)(capacity / widthBits) }).Validate(source);
    }

    /// <summary>Checks every width against <paramref name="config"/> before any work.</summary>
    public static void Check(EieConfig config)
    {
        foreach (int w in Widths) At(config, w);
    }

    public static IReadOnlyList<SweepPoint> Run(EieConfig config, TechModel tech, IReadOnlyList<BenchmarkLayer> specs,
        ulong seed, double clockMhz, Action<string> progress)
    {
        Check(config);
        LayerEnergy.CheckFits(config, specs);
        var points = new List<SweepPoint>();
        foreach (var spec in specs)
        {
            progress($"{spec.Key}: compressing");
            var built = LayerEnergy.Compress(config, spec, seed);
            foreach (int w in Widths)
            {
                var at = At(config, w);
                var run = LayerEnergy.Run(LayerEnergy.Repack(built.Model, at), built.Input, spec);
                var model = new EnergyModel(at, tech);
                var energy = model.Evaluate(run.Activity, clockMhz, run.Dense);
                points.Add(new SweepPoint(spec.Name, w, at.SpmatDepth, run.Stats.Cycles, run.Activity.SpmatWordReads,
                    model.SpmatSram.ReadEnergyPj, run.Activity.SpmatWordReads * model.SpmatSram.ReadEnergyPj * 1e-6, energy.Units.Single(u => u.Name == UnitNames.SpmatRead).EnergyUj, energy.EnergyUj));
            }
            progress($"{spec.Key}: {Widths.Count} widths done");
        }
        return points;
    }

    /// <summary>The width of least total energy over the layers (the first if tied).</summary>
    public static int BestWidth(IReadOnlyList<SweepPoint> points) => Best(points, p => p.EnergyUj);

    /// <summary>The width of least spmat read energy over the layers (the first if tied).</summary>
    public static int BestReadWidth(IReadOnlyList<SweepPoint> points) => Best(points, p => p.SpmatReadUj);

    private static int Best(IReadOnlyList<SweepPoint> points, Func<SweepPoint, double> energy) =>
        Widths.OrderBy(w => points.Where(p => p.WidthBits == w).Sum(energy)).First();

    /// <summary>The table, a Markdown row per width: total energy of all layers, then each layer's.</summary>
    public static string Table(IReadOnlyList<SweepPoint> points)
    {
        var inv = CultureInfo.InvariantCulture;
        var layers = points.Select(p => p.Layer).Distinct().ToArray();
        var s = new System.Text.StringBuilder();
        s.AppendLine("| width | depth | read pJ | spmat reads | read µJ | spmat unit µJ | total µJ | " + string.Join(" | ", layers.Select(l => l + " µJ")) + " |");
        s.AppendLine("|---:|---:|---:|---:|---:|---:|---:|" + string.Concat(layers.Select(_ => "---:|")));
        foreach (int w in Widths)
        {
            var row = points.Where(p => p.WidthBits == w).ToArray();
            if (row.Length == 0) continue;
            s.AppendLine(string.Create(inv,
                $"| {w} | {row[0].Depth} | {row[0].SpmatReadPj:F2} | {row.Sum(p => p.SpmatReads)} | {row.Sum(p => p.SpmatReadUj):F2} | {row.Sum(p => p.SpmatUj):F2} | {row.Sum(p => p.EnergyUj):F2} | ")
                + string.Join(" | ", layers.Select(l => row.Single(p => p.Layer == l).EnergyUj.ToString("F2", inv))) + " |");
        }
        return s.ToString();
    }
}
