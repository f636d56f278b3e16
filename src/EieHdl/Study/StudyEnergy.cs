using EieHdl.Config;
using EieHdl.Energy;
using WidthPoint = EieHdl.Energy.SweepPoint;

namespace EieHdl.Study;

/// <summary>Fig. 9: the spmat width sweep of the study's layers and the widths of least energy.</summary>
public sealed record SpmatWidthResult(IReadOnlyList<int> Widths, long CapacityBits, int BestWidthBits, int BestReadWidthBits, IReadOnlyList<WidthPoint> Points);

/// <summary>
/// The energy figures of the study, from the energy model (src/EieHdl/Energy) and the
/// technology file: Fig. 9 (energy vs spmat word width, <see cref="SpmatWidthSweep"/>), each
/// layer run at the base config through the cycle model as `eiehdl energy` runs it.
/// </summary>
/// <summary>Fig. 7 analogue: one layer's energy per inference and efficiency at the base config.</summary>
/// <param name="GopPerSecondPerWatt">Operations done (a multiply and an add per entry, padding included) per joule.</param>
/// <param name="DenseGopPerSecondPerWatt">The uncompressed layer's operations (2 x inputs x outputs) per joule.</param>
public sealed record LayerEfficiency(string Layer, string Name, long Cycles, double TimeUs, double EnergyUj, double PowerMw,
    long Operations, long DenseOperations, double GopPerSecond, double GopPerSecondPerWatt, double DenseGopPerSecond, double DenseGopPerSecondPerWatt);

/// <summary>
/// Table V analogue: the chip at the base config over the study's layers run one after the
/// other (their energy over their time), its area from the base config's memories.
/// </summary>
public sealed record ChipSummary(int Pes, double ClockMhz, double PowerMw, double AreaMm2, double GopPerSecond, double DenseGopPerSecond,
    double PeakGopPerSecond, double GopPerSecondPerWatt, double DenseGopPerSecondPerWatt);

/// <summary>Fig. 10's energy half: one multiply at a precision, from the technology file.</summary>
/// <param name="Bits">Act and weight width; 0 for 32-bit float.</param>
/// <param name="MultiplierBits">The operand width the energy model prices the multiplier at.</param>
public sealed record MultiplierPoint(string Label, int Bits, double MultiplierBits, double EnergyPj);

public sealed record StudyEnergy(string Process, double ClockMhz, SpmatWidthResult Fig9, IReadOnlyList<LayerEfficiency> Fig7,
    ChipSummary TableV, IReadOnlyList<MultiplierPoint> Fig10Multiplier)
{
    /// <summary>Refuses, before any work, a base config the energy figures cannot run on.</summary>
    public static void Check(EieConfig config, StudyPlan plan)
    {
        foreach (var spec in plan.Layers)
        {
            var at = ConfigFor(config, spec);
            SpmatWidthSweep.Check(at);
            LayerEnergy.CheckFits(at, [spec]);
        }
        foreach (int bits in PrecisionStudy.Widths) PrecisionStudy.ConfigFor(config, bits);
    }

    /// <summary>
    /// The base config with the memories a layer's shape needs grown as the sweeps grow them
    /// (pointer depth, act SRAM, accumulators), its spmat and pointer width kept: the energy
    /// per access of the memories the base config has is what the figures measure.
    /// </summary>
    public static EieConfig ConfigFor(EieConfig config, Workloads.BenchmarkLayer spec) =>
        StudyLayer.ConfigFor(spec, config, config.Pes, config.ActQueueDepth, maxPeEntries: 0);

    public static StudyEnergy Run(EieConfig config, TechModel tech, StudyPlan plan, int jobs, Action<string> log)
    {
        Check(config, plan);
        // One layer an item: each is compressed once and run at every width.
        var fig9 = SweepRunner.Run("fig9 spmat width", plan.Layers,
                spec => SpmatWidthSweep.Run(ConfigFor(config, spec), tech, [spec], StudyPlan.Seed, StudyPlan.ClockMhz, _ => { }), jobs, log,
                cost: spec => (double)spec.Inputs * spec.Outputs, label: spec => $"{spec.Key} at {SpmatWidthSweep.Widths.Count} widths")
            .SelectMany(p => p).ToArray();
        var sweep = new SpmatWidthResult(SpmatWidthSweep.Widths, (long)config.SpmatWordBits * config.SpmatDepth,
            SpmatWidthSweep.BestWidth(fig9), SpmatWidthSweep.BestReadWidth(fig9), fig9);
        var runs = SweepRunner.Run("fig7 energy", plan.Layers, spec => LayerEnergy.Run(ConfigFor(config, spec), spec, StudyPlan.Seed), jobs, log,
            cost: spec => (double)spec.Inputs * spec.Outputs, label: spec => $"{spec.Key} run");
        var fig7 = runs.Select(run =>
        {
            var e = new EnergyModel(ConfigFor(config, run.Spec), tech).Evaluate(run.Activity, StudyPlan.ClockMhz, run.Dense);
            return new LayerEfficiency(run.Spec.Key, run.Spec.Name, e.Cycles, e.TimeUs, e.EnergyUj, e.PowerMw, e.Operations, e.DenseOperations!.Value,
                e.GopPerSecond, e.GopPerSecondPerWatt, e.DenseGopPerSecond!.Value, e.DenseGopPerSecondPerWatt!.Value);
        }).ToArray();
        double timeUs = fig7.Sum(l => l.TimeUs), energyUj = fig7.Sum(l => l.EnergyUj);
        double Gops(long ops) => ops / (timeUs * 1e3);
        double powerMw = energyUj / timeUs * 1e3;
        long done = fig7.Sum(l => l.Operations), dense = fig7.Sum(l => l.DenseOperations);
        var chip = new ChipSummary(config.Pes, StudyPlan.ClockMhz, powerMw, new EnergyModel(config, tech).ChipAreaMm2, Gops(done), Gops(dense),
            // Peak: every PE's multiplier and adder busy every cycle.
            2.0 * config.Pes * StudyPlan.ClockMhz * 1e-3, Gops(done) / (powerMw * 1e-3), Gops(dense) / (powerMw * 1e-3));
        var multiplier = PrecisionStudy.Widths.Select(bits =>
            {
                double operand = new EnergyModel(PrecisionStudy.ConfigFor(config, bits), tech).MultiplierBits;
                return new MultiplierPoint($"fixed {bits}", bits, operand, tech.IntMultiplyEnergyPj.At(operand));
            })
            .Prepend(new MultiplierPoint("float 32", 0, 32, tech.FloatMultiply32EnergyPj)).ToArray();
        return new StudyEnergy(tech.Process, StudyPlan.ClockMhz, sweep, fig7, chip, multiplier);
    }
}
