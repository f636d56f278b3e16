using EieHdl.CycleModel;
using EieHdl.Energy;

namespace EieHdl.Tests.Energy;

/// <summary>
/// The mapping from the cycle model's per-layer events to the energy model's activity, on a
/// hand-made layer, and the linearity the command's whole-run figures rest on.
/// </summary>
public sealed class CycleActivityTests
{
    private static readonly LayerCycleStats Layer = new("l", Cycles: 100, CodebookCycles: 17, ComputeCycles: 70,
        WriteBackCycles: 13, StallCycles: 2, Broadcasts: 9, PeEntries: [30, 20],
        Events: new LayerEvents(SpmatReads: 11, PtrReads: 18, ActReads: 40, ActWrites: 12, CodebookReads: 50,
            CodebookWrites: 32, CcuCodebookReads: 16, Macs: 50, QueuePushes: 18, QueuePops: 17, Offers: 8, LnzdGrants: 7));

    [Fact]
    public void EveryEventComesFromTheUnitsCounts()
    {
        var a = CycleActivity.FromLayer(Layer);
        Assert.Equal(100, a.Cycles);
        var expected = new Dictionary<string, long>
        {
            ["SpmatWordReads"] = 11,
            ["SpmatEntryReads"] = 50,      // one entry per MAC, padding included
            ["SpmatWordWrites"] = 0,       // host loads are outside a run
            ["PtrEvenReads"] = 18,         // a ptr request reads both banks
            ["PtrOddReads"] = 18,
            ["PtrWrites"] = 0,
            ["CodebookReads"] = 50, ["CodebookWrites"] = 32,
            ["Multiplies"] = 50, ["Adds"] = 50, ["AddressAdds"] = 50,
            ["AccumulatorReads"] = 62,     // 50 read-modify-writes + 12 write-back reads
            ["AccumulatorWrites"] = 50,
            ["ActSramReads"] = 40, ["ActSramWrites"] = 12, ["ActOffers"] = 8,
            ["ActQueuePushes"] = 18, ["ActQueuePops"] = 17,
            ["LnzdGrants"] = 7, ["Broadcasts"] = 9, ["CcuCodebookReads"] = 16,
        };
        Assert.Equal(expected.OrderBy(e => e.Key), a.Counts().ToDictionary(c => c.Name, c => c.Value).OrderBy(e => e.Key));
    }

    [Fact]
    public void SumAddsEveryCount()
    {
        var a = CycleActivity.FromLayer(Layer);
        var b = a with { Cycles = 7, SpmatWordReads = 1, PtrWrites = 3, CcuCodebookReads = 2 };
        var sum = CycleActivity.Sum([a, b]);
        Assert.Equal(a.Cycles + b.Cycles, sum.Cycles);
        foreach (var ((name, x), (_, y), (_, s)) in a.Counts().Zip(b.Counts(), sum.Counts()))
            Assert.True(x + y == s, $"{name}: {x} + {y} != {s}");
    }

    [Fact]
    public void TwoRunsCostWhatTheirSumCosts()
    {
        // Events, leakage and clock are each linear in the counts and cycles, so the per-PE and
        // chip figures of several layers can come from one evaluation of their summed activity.
        var model = new EnergyModel(RoundTech.OnePe(), RoundTech.Model());
        var a = CycleActivity.FromLayer(Layer);
        var b = a with { Cycles = 333, SpmatWordReads = 5, Multiplies = 9 };
        var ea = model.Evaluate(a, 100);
        var eb = model.Evaluate(b, 100);
        var sum = model.Evaluate(CycleActivity.Sum([a, b]), 100);
        Assert.Equal(ea.EnergyUj + eb.EnergyUj, sum.EnergyUj, 12);
        Assert.Equal(ea.TimeUs + eb.TimeUs, sum.TimeUs, 12);
        foreach (var ((ua, ub), us) in ea.Units.Zip(eb.Units).Zip(sum.Units))
            Assert.Equal(ua.EnergyUj + ub.EnergyUj, us.EnergyUj, 12);
    }

    [Fact]
    public void CalibrationScalesEachClassByItsFactor()
    {
        var model = new EnergyModel(RoundTech.OnePe(), RoundTech.Model());
        var run = model.Evaluate(CycleActivity.FromLayer(Layer), 100);
        var scaled = run.Calibrated(new CalibrationFactors(2, 3, 5, "test"));
        foreach (var (u, c) in run.Units.Zip(scaled.Units))
        {
            Assert.Equal(2 * u.MemoryUj, c.MemoryUj, 12);
            Assert.Equal(3 * (u.LogicDynamicUj + u.LogicLeakageUj), c.LogicDynamicUj + c.LogicLeakageUj, 12);
            Assert.Equal(5 * u.ClockUj, c.ClockUj, 12);
            Assert.Equal(2 * u.MemoryUj + 3 * (u.LogicDynamicUj + u.LogicLeakageUj) + 5 * u.ClockUj, c.EnergyUj, 12);
        }
        // The uncalibrated run is left as it was.
        Assert.Equal(run.Units.Sum(u => u.EnergyUj), run.EnergyUj, 12);
        Assert.NotEqual(run.EnergyUj, scaled.EnergyUj);
    }
}
