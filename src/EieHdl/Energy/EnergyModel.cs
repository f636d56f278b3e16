using EieHdl.Config;
using EieHdl.Hardware;

namespace EieHdl.Energy;

/// <summary>The units the model reports, in the paper's names (Table II) plus the two chip-level ones.</summary>
public static class UnitNames
{
    public const string SpmatRead = "SpmatRead";
    public const string PtrRead = "PtrRead";
    public const string ArithmUnit = "ArithmUnit";
    public const string ActRW = "ActRW";
    public const string ActQueue = "ActQueue";
    public const string Lnzd = "LNZD";
    /// <summary>The CCU: its codebook memory, the broadcast register and the bus to every PE.</summary>
    public const string Ccu = "CCU";

    /// <summary>The five units every PE has.</summary>
    public static readonly IReadOnlyList<string> PerPe = [SpmatRead, PtrRead, ArithmUnit, ActRW, ActQueue];
}

/// <summary>
/// The hardware of one unit: of one PE for a per-PE unit, of the chip for LNZD and broadcast.
/// Memory is the SRAM arrays; logic is registers (flip-flops) plus combinational arithmetic.
/// </summary>
/// <param name="RegisterBits">Flip-flops of the unit: clock-gated storage plus always-clocked pipeline.</param>
/// <param name="ClockedFlipFlops">Flip-flops clocked every cycle (pipeline and control); storage is clock-gated and pays per write.</param>
public sealed record UnitHardware(
    string Name,
    bool PerPe,
    double SramAreaMm2,
    double RegisterAreaMm2,
    double CombinationalAreaMm2,
    double SramLeakageMw,
    double LogicLeakageMw,
    int RegisterBits,
    int ClockedFlipFlops)
{
    public double MemoryAreaMm2 => SramAreaMm2;
    public double LogicAreaMm2 => RegisterAreaMm2 + CombinationalAreaMm2;
    public double AreaMm2 => MemoryAreaMm2 + LogicAreaMm2;
    public double LeakageMw => SramLeakageMw + LogicLeakageMw;

    /// <summary>Clock power of the always-clocked flip-flops at <paramref name="clockMhz"/>.</summary>
    public double ClockMw(TechModel tech, double clockMhz) => ClockedFlipFlops * tech.FlipFlopClockEnergyFj * clockMhz * 1e-6;
}

/// <summary>
/// One unit's share of a run, for the whole chip (all PEs together for a per-PE unit).
/// Memory energy is SRAM access and SRAM leakage; logic energy is everything else. The
/// dynamic split follows the categories of the paper's Table II: memory, register,
/// combinational (the broadcast wire counts as combinational), and clock.
/// </summary>
public sealed record UnitEnergy(
    string Name,
    bool PerPe,
    double SramDynamicUj,
    double RegisterDynamicUj,
    double CombinationalDynamicUj,
    double SramLeakageUj,
    double LogicLeakageUj,
    double ClockUj,
    double TimeUs,
    int Pes)
{
    public double LogicDynamicUj => RegisterDynamicUj + CombinationalDynamicUj;
    public double DynamicUj => SramDynamicUj + LogicDynamicUj;
    public double MemoryUj => SramDynamicUj + SramLeakageUj;
    public double EnergyUj => DynamicUj + SramLeakageUj + LogicLeakageUj + ClockUj;
    /// <summary>Average power over the run (µJ / µs = W, reported in mW).</summary>
    public double PowerMw => EnergyUj / TimeUs * 1e3;
    /// <summary>Average power of one PE's copy of the unit; 0 for the chip-level units.</summary>
    public double PerPePowerMw => PerPe ? PowerMw / Pes : 0;

    public UnitEnergy Calibrated(CalibrationFactors f) => this with
    {
        SramDynamicUj = SramDynamicUj * f.Sram,
        SramLeakageUj = SramLeakageUj * f.Sram,
        RegisterDynamicUj = RegisterDynamicUj * f.Logic,
        CombinationalDynamicUj = CombinationalDynamicUj * f.Logic,
        LogicLeakageUj = LogicLeakageUj * f.Logic,
        ClockUj = ClockUj * f.Clock,
    };
}

/// <summary>
/// Opt-in scale factors, one per class of hardware: SRAM (access and leakage), logic (register
/// and combinational energy, logic leakage) and clock. Reports show the scaled figures beside
/// the model's own.
/// </summary>
public sealed record CalibrationFactors(double Sram, double Logic, double Clock, string Source);

/// <summary>Energy, power and throughput of one run.</summary>
public sealed record RunEnergy(
    long Cycles,
    double ClockMhz,
    double TimeUs,
    IReadOnlyList<UnitEnergy> Units,
    long Operations,
    long? DenseOperations)
{
    public double EnergyUj => Units.Sum(u => u.EnergyUj);
    public double PowerMw => EnergyUj / TimeUs * 1e3;
    public double MemoryPowerMw => Units.Sum(u => u.MemoryUj) / TimeUs * 1e3;

    /// <summary>Average power of one PE (its five units), the chip-level units left out.</summary>
    public double PerPePowerMw => Units.Where(u => u.PerPe).Sum(u => u.PerPePowerMw);

    /// <summary>Operations actually done (a multiply and an add per entry) per second, in GOP/s.</summary>
    public double GopPerSecond => Operations / (TimeUs * 1e3);
    public double GopPerSecondPerWatt => GopPerSecond / (PowerMw * 1e-3);

    /// <summary>The uncompressed layer's operations per second: what a dense engine would need for the same result.</summary>
    public double? DenseGopPerSecond => DenseOperations / (TimeUs * 1e3);
    public double? DenseGopPerSecondPerWatt => DenseGopPerSecond / (PowerMw * 1e-3);

    public RunEnergy Calibrated(CalibrationFactors f) => this with { Units = Units.Select(u => u.Calibrated(f)).ToArray() };
}

/// <summary>
/// Energy of fetching a layer's weights from off-chip DRAM at every inference, the cost EIE
/// avoids by keeping the compressed model in SRAM.
/// </summary>
/// <param name="DenseFloat32Bits">The uncompressed layer: one 32-bit float per weight.</param>
/// <param name="CompressedBits">EIE's format: entries (padding included), pointers of every PE, codebook.</param>
/// <param name="DenseFloat32ComputeUj">A dense float32 multiply and add per weight, for scale.</param>
public sealed record DramArgument(
    long DenseFloat32Bits,
    long CompressedBits,
    double DenseFloat32DramUj,
    double CompressedDramUj,
    double DenseFloat32ComputeUj);

/// <summary>
/// What an EIE configuration costs in a technology: per-PE area by unit (memory vs logic),
/// static power, and, given a run's <see cref="UnitActivity"/>, energy and power by unit.
/// Each unit is built from the technology's primitives as docs/energy.md lists: SRAM arrays
/// sized by the config, clock-gated register storage, always-clocked pipeline flip-flops,
/// adders and multipliers. Multiplexers and control logic are not modelled.
/// </summary>
public sealed class EnergyModel
{
    public EieConfig Config { get; }
    public TechModel Tech { get; }

    /// <summary>Per-PE units first (<see cref="UnitNames.PerPe"/> order), then LNZD and the CCU.</summary>
    public IReadOnlyList<UnitHardware> Units { get; }

    public SramCost SpmatSram { get; }
    /// <summary>One of the two pointer banks (even or odd), each half of PtrDepth.</summary>
    public SramCost PtrBankSram { get; }
    public SramCost ActSram { get; }
    /// <summary>The CCU's codebook memory: MaxLayers codebooks of CodebookSize entries.</summary>
    public SramCost CcuCodebookSram { get; }

    /// <summary>Bits of a global input index j.</summary>
    public int ActIndexBits { get; }
    /// <summary>Bits of a destination row (accumulator) address inside a PE.</summary>
    public int RowBits { get; }
    /// <summary>LNZD nodes of the quadtree (fan-in LnzdFanIn) over the PEs.</summary>
    public int LnzdNodes { get; }
    /// <summary>Multiplier operand width: the geometric mean of act and codebook widths, so area and energy follow their product.</summary>
    public double MultiplierBits { get; }

    public EnergyModel(EieConfig config, TechModel tech)
    {
        Config = config;
        Tech = tech;
        var c = config;
        ActIndexBits = Bits((long)c.Pes * c.ActHalfDepth);
        RowBits = Bits(c.ActRegEntries);
        LnzdNodes = TreeNodes(c.Pes, c.LnzdFanIn);
        MultiplierBits = Math.Sqrt((double)c.ActWidth * c.WeightWidth);
        SpmatSram = tech.Sram.Estimate(c.SpmatWordBits, c.SpmatDepth);
        PtrBankSram = tech.Sram.Estimate(c.PtrWidth, (c.PtrDepth + 1) / 2);
        ActSram = tech.Sram.Estimate(c.ActWidth, c.ActSramDepth);
        CcuCodebookSram = tech.Sram.Estimate(c.WeightWidth, c.MaxLayers * c.CodebookSize);

        int queueEntryBits = c.ActWidth + ActIndexBits;
        int queuePointerBits = Bits(c.ActQueueDepth);
        int actAddressBits = Bits(c.ActSramDepth);
        Units =
        [
            Unit(UnitNames.SpmatRead, true, [SpmatSram], storageBits: c.SpmatWordBits,
                pipelineBits: 2 * c.PtrWidth + c.EntryBits, combinationalUm2: AdderUm2(c.PtrWidth)),
            Unit(UnitNames.PtrRead, true, [PtrBankSram, PtrBankSram], storageBits: 0,
                pipelineBits: 2 * c.PtrWidth + ActIndexBits, combinationalUm2: 0),
            Unit(UnitNames.ArithmUnit, true, [], storageBits: c.CodebookSize * c.WeightWidth,
                // The four stages: lookup (act and entry), multiply, add, write back, the last
                // three carrying the row address.
                pipelineBits: (c.ActWidth + c.EntryBits) + (c.ActWidth + c.WeightWidth + RowBits)
                    + (c.ProductWidth + RowBits) + (c.AccWidth + RowBits),
                combinationalUm2: MultiplierUm2(MultiplierBits) + AdderUm2(c.AccWidth) + AdderUm2(RowBits)),
            // The accumulators are the paper's destination register file, which its Table II
            // counts in the act read/write unit, not in the arithmetic unit; the scan's offer
            // buffer holds (act, j) pairs for the LNZD tree.
            Unit(UnitNames.ActRW, true, [ActSram],
                storageBits: c.ActRegEntries * c.AccWidth + ActRwParams.BufferDepth * queueEntryBits,
                pipelineBits: c.ActWidth + 2 * actAddressBits,
                // Read and write address counters, and the ReLU / local non-zero test on a word.
                combinationalUm2: 2 * AdderUm2(actAddressBits) + AdderUm2(c.ActWidth)),
            Unit(UnitNames.ActQueue, true, [], storageBits: c.ActQueueDepth * queueEntryBits,
                pipelineBits: 2 * queuePointerBits + 1, combinationalUm2: 2 * AdderUm2(queuePointerBits)),
            Unit(UnitNames.Lnzd, false, [], storageBits: 0,
                pipelineBits: LnzdNodes * queueEntryBits,
                // A node tests and selects among its fan-in candidates: one word-wide test per input.
                combinationalUm2: LnzdNodes * c.LnzdFanIn * AdderUm2(c.ActWidth)),
            Unit(UnitNames.Ccu, false, [CcuCodebookSram], storageBits: 0, pipelineBits: queueEntryBits, combinationalUm2: 0),
        ];
    }

    private double AdderUm2(double bits) => Tech.IntAddAreaUm2.At(bits);
    private double MultiplierUm2(double bits) => Tech.IntMultiplyAreaUm2.At(bits);

    private UnitHardware Unit(string name, bool perPe, SramCost[] srams, int storageBits, int pipelineBits, double combinationalUm2)
    {
        int registerBits = storageBits + pipelineBits;
        double registerMm2 = registerBits * Tech.RegisterBitAreaUm2 * 1e-6;
        double combinationalMm2 = combinationalUm2 * 1e-6;
        double logicLeakageMw = registerBits * Tech.RegisterBitLeakageNw * 1e-6 + combinationalMm2 * Tech.LogicLeakageMwPerMm2;
        return new UnitHardware(name, perPe, srams.Sum(s => s.AreaMm2), registerMm2, combinationalMm2,
            srams.Sum(s => s.LeakageMw), logicLeakageMw, registerBits, pipelineBits);
    }

    public UnitHardware this[string name] => Units.First(u => u.Name == name);

    /// <summary>Area of one PE (its five units).</summary>
    public double PeAreaMm2 => Units.Where(u => u.PerPe).Sum(u => u.AreaMm2);
    public double PeMemoryAreaMm2 => Units.Where(u => u.PerPe).Sum(u => u.MemoryAreaMm2);
    /// <summary>Area of the chip: every PE plus the LNZD tree and the CCU (codebook memory, broadcast register).</summary>
    public double ChipAreaMm2 => Config.Pes * PeAreaMm2 + Units.Where(u => !u.PerPe).Sum(u => u.AreaMm2);

    /// <summary>Broadcast wire length: one chip side, the shortest bus that reaches PEs spread over a square die.</summary>
    public double BroadcastWireMm => Math.Sqrt(ChipAreaMm2);

    /// <summary>Dynamic energy of each unit's events, in pJ for the whole chip, split SRAM / register / combinational.</summary>
    public IReadOnlyDictionary<string, (double SramPj, double RegisterPj, double CombinationalPj)> DynamicPj(UnitActivity a)
    {
        var c = Config;
        var t = Tech;
        double regWrite = t.RegisterBitWriteEnergyFj * 1e-3, regRead = t.RegisterBitReadEnergyFj * 1e-3;
        double AddPj(double bits) => t.IntAddEnergyPj.At(bits);
        return new Dictionary<string, (double, double, double)>
        {
            [UnitNames.SpmatRead] = (
                a.SpmatWordReads * SpmatSram.ReadEnergyPj + a.SpmatWordWrites * SpmatSram.WriteEnergyPj,
                a.SpmatWordReads * c.SpmatWordBits * regWrite,
                a.SpmatEntryReads * AddPj(c.PtrWidth)),
            [UnitNames.PtrRead] = (
                (a.PtrEvenReads + a.PtrOddReads) * PtrBankSram.ReadEnergyPj + a.PtrWrites * PtrBankSram.WriteEnergyPj,
                0, 0),
            [UnitNames.ArithmUnit] = (0,
                a.CodebookReads * c.WeightWidth * regRead + a.CodebookWrites * c.WeightWidth * regWrite,
                a.Multiplies * t.IntMultiplyEnergyPj.At(MultiplierBits) + a.Adds * AddPj(c.AccWidth)
                + a.AddressAdds * AddPj(RowBits)),
            [UnitNames.ActRW] = (
                a.ActSramReads * ActSram.ReadEnergyPj + a.ActSramWrites * ActSram.WriteEnergyPj,
                a.AccumulatorReads * c.AccWidth * regRead + a.AccumulatorWrites * c.AccWidth * regWrite
                + a.ActOffers * (c.ActWidth + ActIndexBits) * regWrite,
                (a.ActSramReads + a.ActSramWrites) * AddPj(Bits(c.ActSramDepth)) + a.ActSramWrites * AddPj(c.ActWidth)),
            [UnitNames.ActQueue] = (0,
                (a.ActQueuePushes * regWrite + a.ActQueuePops * regRead) * (c.ActWidth + ActIndexBits),
                (a.ActQueuePushes + a.ActQueuePops) * AddPj(Bits(c.ActQueueDepth))),
            [UnitNames.Lnzd] = (0, 0, a.LnzdGrants * c.LnzdFanIn * AddPj(c.ActWidth)),
            // Each broadcast drives (act, j) and each codebook entry of the stream drives
            // WeightWidth bits over the bus to every PE.
            [UnitNames.Ccu] = (a.CcuCodebookReads * CcuCodebookSram.ReadEnergyPj, 0,
                (a.Broadcasts * (c.ActWidth + ActIndexBits) + a.CcuCodebookReads * c.WeightWidth)
                * t.WireEnergyFjPerBitMm * 1e-3 * BroadcastWireMm),
        };
    }

    /// <summary>
    /// Energy and power of a run at <paramref name="clockMhz"/>: each unit's event energy, plus
    /// its leakage over the run time and the clock energy of its always-clocked flip-flops in
    /// every cycle. <paramref name="dense"/> gives the dense-equivalent operation count.
    /// </summary>
    public RunEnergy Evaluate(UnitActivity activity, double clockMhz, DenseLayer? dense = null)
    {
        activity.Validate();
        if (!(clockMhz > 0) || !double.IsFinite(clockMhz))
            throw new ArgumentOutOfRangeException(nameof(clockMhz), clockMhz, "clock must be a positive frequency");
        double timeUs = activity.Cycles / clockMhz;
        var dynamic = DynamicPj(activity);
        var units = Units.Select(u =>
        {
            int copies = u.PerPe ? Config.Pes : 1;
            var (sramPj, registerPj, combinationalPj) = dynamic[u.Name];
            // mW x µs = nJ = 1e-3 µJ; fJ = 1e-9 µJ.
            return new UnitEnergy(u.Name, u.PerPe,
                SramDynamicUj: sramPj * 1e-6,
                RegisterDynamicUj: registerPj * 1e-6,
                CombinationalDynamicUj: combinationalPj * 1e-6,
                SramLeakageUj: copies * u.SramLeakageMw * timeUs * 1e-3,
                LogicLeakageUj: copies * u.LogicLeakageMw * timeUs * 1e-3,
                ClockUj: copies * u.ClockedFlipFlops * Tech.FlipFlopClockEnergyFj * activity.Cycles * 1e-9,
                TimeUs: timeUs,
                Pes: Config.Pes);
        }).ToArray();
        return new RunEnergy(activity.Cycles, clockMhz, timeUs, units, 2 * activity.Multiplies, dense?.DenseOperations);
    }

    /// <summary>
    /// The DRAM argument for a layer of shape <paramref name="dense"/> stored as
    /// <paramref name="spmatEntries"/> entries (padding included) over all PEs.
    /// </summary>
    public DramArgument Dram(DenseLayer dense, long spmatEntries)
    {
        if (spmatEntries < 0) throw new ArgumentOutOfRangeException(nameof(spmatEntries), spmatEntries, "must be >= 0");
        var c = Config;
        long denseBits = 32L * dense.Inputs * dense.Outputs;
        long pointerBits = (long)c.Pes * (dense.Inputs + 1) * c.PtrWidth;
        long compressedBits = spmatEntries * c.EntryBits + pointerBits + (long)c.CodebookSize * c.WeightWidth;
        double perBitUj = Tech.DramEnergyPer64BitsPj / 64 * 1e-6;
        double computeUj = (double)dense.Inputs * dense.Outputs * (Tech.FloatMultiply32EnergyPj + Tech.FloatAdd32EnergyPj) * 1e-6;
        return new DramArgument(denseBits, compressedBits, denseBits * perBitUj, compressedBits * perBitUj, computeUj);
    }

    /// <summary>Bits to count 0 .. n-1 (at least 1).</summary>
    public static int Bits(long n) => n <= 2 ? 1 : 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(n - 1));

    /// <summary>Nodes of a tree of fan-in <paramref name="fanIn"/> reducing <paramref name="leaves"/> inputs to one.</summary>
    public static int TreeNodes(int leaves, int fanIn)
    {
        int nodes = 0;
        for (int level = leaves; level > 1; level = (level + fanIn - 1) / fanIn)
            nodes += (level + fanIn - 1) / fanIn;
        return nodes;
    }
}
