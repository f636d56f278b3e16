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
public sealed record StudyEnergy(string Process, double ClockMhz, SpmatWidthResult Fig9)
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
        return new StudyEnergy(tech.Process, StudyPlan.ClockMhz, sweep);
    }
}
