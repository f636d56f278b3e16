using System.Reflection;
using EieHdl.Energy;

namespace EieHdl.Tests.Energy;

/// <summary>
/// The model's arithmetic on one PE of <see cref="RoundTech"/>, every figure worked out by hand
/// in the comments from the round technology (adder 0.01 pJ and 10 µm² per bit, n x n
/// multiplier 0.001 n² pJ and n² µm², register bit 10 µm², write 1 pJ, read 0.5 pJ, leak
/// 1 µW, clock 1 pJ per edge) and <see cref="RoundTech.OnePe"/> (act 8, weight 8, acc 16
/// bits; 4 accumulators; act queue 4; spmat 64 x 1024, pointer banks 8 x 16, act SRAM 8 x 16,
/// CCU codebook 8 x 16).
/// </summary>
public sealed class EnergyModelTests
{
    private readonly EnergyModel _model = new(RoundTech.OnePe(), RoundTech.Model());

    [Fact]
    public void DerivedWidthsAndTree()
    {
        Assert.Equal(3, _model.ActIndexBits);   // j < Pes * ActHalfDepth = 8
        Assert.Equal(2, _model.RowBits);        // 4 accumulators
        Assert.Equal(0, _model.LnzdNodes);      // one PE needs no tree
        Assert.Equal(8, _model.MultiplierBits); // sqrt(8 * 8)
        Assert.Equal(21, EnergyModel.TreeNodes(64, 4)); // 16 + 4 + 1, the paper's tree
        Assert.Equal(3, EnergyModel.TreeNodes(5, 4));   // 2 + 1
        Assert.Equal([1, 1, 2, 6, 7], new long[] { 1, 2, 3, 64, 65 }.Select(EnergyModel.Bits));
    }

    [Fact]
    public void AreaPerUnitByHand()
    {
        // SpmatRead: SRAM 0.64 mm²; registers 64 (word) + 2*8 + 8 (pointers, entry) = 88 bits
        // = 880 µm²; an 8-bit address adder 80 µm².
        AssertUnit(UnitNames.SpmatRead, sramMm2: 0.64, registerMm2: 880e-6, combMm2: 80e-6, flops: 24,
            leakageMw: 6.4 + 88e-3 + 80e-6);
        // PtrRead: two 0.01 mm² banks; registers 2*8 + 3 = 19 bits.
        AssertUnit(UnitNames.PtrRead, sramMm2: 0.02, registerMm2: 190e-6, combMm2: 0, flops: 19,
            leakageMw: 0.2 + 19e-3);
        // ArithmUnit: codebook 16*8 = 128 bits plus pipeline (8+8) + (8+8+2) + (16+2) + (16+2) = 70;
        // 8x8 multiplier 64 µm², 16-bit adder 160, 2-bit address adder 20.
        AssertUnit(UnitNames.ArithmUnit, sramMm2: 0, registerMm2: 1980e-6, combMm2: 244e-6, flops: 70,
            leakageMw: 198e-3 + 244e-6);
        // ActRW: act SRAM 0.01 mm²; accumulators 4*16 = 64 bits, the offer buffer 3 x (8 + 3) = 33,
        // plus 8 + 2*4 = 16 pipeline bits; two 4-bit address counters and an 8-bit ReLU test, 160 µm².
        AssertUnit(UnitNames.ActRW, sramMm2: 0.01, registerMm2: 1130e-6, combMm2: 160e-6, flops: 16,
            leakageMw: 0.1 + 113e-3 + 160e-6);
        // ActQueue: 4 entries of 8 + 3 bits = 44, head/tail 2*2 + 1 = 5; two 2-bit incrementers 40 µm².
        AssertUnit(UnitNames.ActQueue, sramMm2: 0, registerMm2: 490e-6, combMm2: 40e-6, flops: 5,
            leakageMw: 49e-3 + 40e-6);

        double pe = 0.64 + 880e-6 + 80e-6 + 0.02 + 190e-6 + 1980e-6 + 244e-6 + 0.01 + 1130e-6 + 160e-6 + 490e-6 + 40e-6;
        Assert.Equal(pe, _model.PeAreaMm2, 12);
        Assert.Equal(0.67, _model.PeMemoryAreaMm2, 12);
        // The chip adds the CCU's codebook SRAM (0.01 mm²) and 11-bit broadcast register; one PE has no LNZD node.
        AssertUnit(UnitNames.Ccu, sramMm2: 0.01, registerMm2: 110e-6, combMm2: 0, flops: 11, leakageMw: 0.1 + 11e-3);
        Assert.Equal(pe + 0.01 + 110e-6, _model.ChipAreaMm2, 12);
    }

    private void AssertUnit(string name, double sramMm2, double registerMm2, double combMm2, int flops, double leakageMw)
    {
        var unit = _model[name];
        Assert.Equal(sramMm2, unit.SramAreaMm2, 12);
        Assert.Equal(registerMm2, unit.RegisterAreaMm2, 12);
        Assert.Equal(combMm2, unit.CombinationalAreaMm2, 12);
        Assert.Equal(flops, unit.ClockedFlipFlops);
        Assert.Equal(leakageMw, unit.LeakageMw, 12);
    }

    private static readonly UnitActivity Run = new()
    {
        Cycles = 1000,
        SpmatWordReads = 10, SpmatEntryReads = 80,
        PtrEvenReads = 5, PtrOddReads = 5,
        CodebookReads = 80, Multiplies = 80, Adds = 80, AddressAdds = 80,
        AccumulatorReads = 80, AccumulatorWrites = 80,
        ActSramReads = 16, ActSramWrites = 4, ActOffers = 4,
        ActQueuePushes = 5, ActQueuePops = 5,
        LnzdGrants = 3, Broadcasts = 5, CcuCodebookReads = 16,
    };

    [Fact]
    public void DynamicEnergyPerUnitByHand()
    {
        var pj = _model.DynamicPj(Run);
        // 10 words x 64 pJ; 10 x 64 bits into the word buffer at 1 pJ; 80 pointer adds of 8 bits.
        AssertPj((640, 640, 80 * 0.08), pj[UnitNames.SpmatRead]);
        AssertPj((10 * 1, 0, 0), pj[UnitNames.PtrRead]);
        // Codebook 80 x 8 bits x 0.5; multiplies 80 x 0.064, accumulations 80 x 0.16, address adds 80 x 0.02.
        AssertPj((0, 320, 5.12 + 12.8 + 1.6), pj[UnitNames.ArithmUnit]);
        // SRAM 16 reads x 1 + 4 writes x 2; accumulators 80 x 16 x 0.5 + 80 x 16 x 1, offers
        // 4 x 11 bits x 1; 20 address counts x 0.04 and 4 ReLU tests x 0.08.
        AssertPj((24, 640 + 1280 + 44, 0.8 + 0.32), pj[UnitNames.ActRW]);
        // 5 pushes x 11 bits x 1 + 5 pops x 11 x 0.5; 10 pointer increments x 0.02.
        AssertPj((0, 55 + 27.5, 0.2), pj[UnitNames.ActQueue]);
        // 3 grants x 4 inputs x an 8-bit test at 0.08 pJ.
        AssertPj((0, 0, 0.96), pj[UnitNames.Lnzd]);
        // 16 codebook reads x 1 pJ; 5 broadcasts x 11 bits and 16 codebook entries x 8 bits at
        // 1 pJ/bit/mm over one chip side.
        AssertPj((16, 0, (55 + 128) * Math.Sqrt(_model.ChipAreaMm2)), pj[UnitNames.Ccu]);
    }

    private static void AssertPj((double Sram, double Register, double Combinational) expected,
        (double Sram, double Register, double Combinational) actual)
    {
        Assert.Equal(expected.Sram, actual.Sram, 9);
        Assert.Equal(expected.Register, actual.Register, 9);
        Assert.Equal(expected.Combinational, actual.Combinational, 9);
    }

    [Fact]
    public void RunTotalsPowerAndThroughputByHand()
    {
        // 1000 cycles at 100 MHz = 10 µs.
        var run = _model.Evaluate(Run, 100, new DenseLayer(8, 20));
        Assert.Equal(10, run.TimeUs, 12);

        var spmat = run.Units.Single(u => u.Name == UnitNames.SpmatRead);
        Assert.Equal(640e-6, spmat.SramDynamicUj, 12);
        Assert.Equal(640e-6, spmat.RegisterDynamicUj, 12);
        Assert.Equal(6.4e-6, spmat.CombinationalDynamicUj, 12);
        Assert.Equal(6.4 * 10 * 1e-3, spmat.SramLeakageUj, 12);          // 6.4 mW x 10 µs = 64 nJ
        Assert.Equal((88e-3 + 80e-6) * 10 * 1e-3, spmat.LogicLeakageUj, 12);
        Assert.Equal(24 * 1000 * 1e-6, spmat.ClockUj, 12);                // 24 flops x 1000 edges x 1 pJ
        double spmatUj = 646.4e-6 + 640e-6 + 0.064 + 0.00088080 + 0.024;
        Assert.Equal(spmatUj, spmat.EnergyUj, 12);
        Assert.Equal(spmatUj / 10 * 1e3, spmat.PowerMw, 9);               // µJ / µs = W
        Assert.Equal(spmat.PowerMw, spmat.PerPePowerMw, 12);              // one PE

        // Whole run: dynamic (pJ) + leakage (mW x 10 µs) + clock (flops x 1000 x 1 pJ). Leakage:
        // SRAM, then 1 µW per register bit, then 1 mW/mm² of combinational logic.
        double dynamicPj = 640 + 646.4 + 10 + 339.52 + 24 + 1965.12 + 82.7 + 0.96 + 16 + 183 * Math.Sqrt(_model.ChipAreaMm2);
        double leakageMw = _model.Units.Sum(u => u.LeakageMw);
        Assert.Equal(6.4 + 0.2 + 0.1 + 0.1 + 88e-3 + 19e-3 + 198e-3 + 113e-3 + 49e-3 + 11e-3 + (80 + 244 + 160 + 40) * 1e-6, leakageMw, 12);
        int flops = 24 + 19 + 70 + 16 + 5 + 11;
        double energyUj = dynamicPj * 1e-6 + leakageMw * 10 * 1e-3 + flops * 1000 * 1e-6;
        Assert.Equal(energyUj, run.EnergyUj, 12);
        Assert.Equal(energyUj * 100, run.PowerMw, 9);
        Assert.Equal((6.4 + 0.2 + 0.1 + 0.1) * 10 * 1e-3 + (640 + 10 + 24 + 16) * 1e-6, run.MemoryPowerMw * 10 * 1e-3, 12);

        // 80 multiply-adds = 160 operations in 10 µs = 0.016 GOP/s; the dense 8 x 20 layer is 320.
        Assert.Equal(160, run.Operations);
        Assert.Equal(0.016, run.GopPerSecond, 12);
        Assert.Equal(0.032, run.DenseGopPerSecond!.Value, 12);
        Assert.Equal(0.016 / (run.PowerMw * 1e-3), run.GopPerSecondPerWatt, 9);
        Assert.Equal(0.032 / (run.PowerMw * 1e-3), run.DenseGopPerSecondPerWatt!.Value, 9);
        Assert.Null(_model.Evaluate(Run, 100).DenseGopPerSecond);
    }

    [Fact]
    public void StaticPowerScalesWithTimeAndDynamicDoesNot()
    {
        // At half the clock the run takes twice as long: leakage energy doubles, events and
        // clock edges cost the same.
        var fast = _model.Evaluate(Run, 100);
        var slow = _model.Evaluate(Run, 50);
        foreach (var (f, s) in fast.Units.Zip(slow.Units))
        {
            Assert.Equal(f.DynamicUj, s.DynamicUj, 15);
            Assert.Equal(f.ClockUj, s.ClockUj, 15);
            Assert.Equal(2 * f.SramLeakageUj, s.SramLeakageUj, 15);
            Assert.Equal(2 * f.LogicLeakageUj, s.LogicLeakageUj, 15);
        }
    }

    [Fact]
    public void DramArgumentByHand()
    {
        // Dense float32: 8 x 4 x 32 = 1024 bits at 1 pJ per bit. Compressed: 80 entries x 8 bits
        // + (8 + 1) pointers x 8 bits + 16 x 8 codebook bits = 840 bits.
        var dram = _model.Dram(new DenseLayer(8, 4), 80);
        Assert.Equal(1024, dram.DenseFloat32Bits);
        Assert.Equal(840, dram.CompressedBits);
        Assert.Equal(1024e-6, dram.DenseFloat32DramUj, 15);
        Assert.Equal(840e-6, dram.CompressedDramUj, 15);
        Assert.Equal(32 * (2 + 1) * 1e-6, dram.DenseFloat32ComputeUj, 15); // 32 float multiply-adds
    }

    [Fact]
    public void BadActivityIsRefused()
    {
        Assert.Throws<ArgumentException>(() => _model.Evaluate(Run with { Cycles = 0 }, 100));
        Assert.Contains("Multiplies", Assert.Throws<ArgumentException>(() => _model.Evaluate(Run with { Multiplies = -1 }, 100)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => _model.Evaluate(Run, 0));
    }

    [Fact]
    public void ActivityCountsListEveryEvent()
    {
        // Validate and reports walk Counts(); an event added to the record must appear there.
        var events = typeof(UnitActivity).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(long) && p.Name != nameof(UnitActivity.Cycles))
            .Select(p => p.Name).Order();
        Assert.Equal(events, new UnitActivity().Counts().Select(c => c.Name).Order());
    }
}
