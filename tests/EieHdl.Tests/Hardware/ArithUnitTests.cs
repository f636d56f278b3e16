using System.Numerics;
using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Processes;

namespace EieHdl.Tests.Hardware;

public class ArithUnitTests
{
    private const string Module = "eie_arith_unit";
    private static readonly string[] Files = ["eie_sram_sp.v", Module + ".v"];

    /// <summary>Products much wider than the accumulator: sums wrap all the time; 7 rows, runs of 3.</summary>
    internal static EieConfig Wrap => new()
    {
        Pes = 1, ActWidth = 8, ActFracBits = 4, WeightWidth = 8, WeightFracBits = 6, AccWidth = 10,
        ProductShift = 1, IndexBits = 2, RunBits = 2, CodebookSize = 4, ActRegEntries = 7, SpmatWordBits = 32,
    };

    internal static EieConfig ConfigNamed(string name) => name switch
    {
        "default" => new EieConfig(),
        "odd" => PtrReadTests.Odd,
        "wrap" => Wrap,
        "one-row" => new EieConfig { ActRegEntries = 1, CodebookSize = 5 },
        "three-rows" => new EieConfig { ActRegEntries = 3, RunBits = 2, SpmatWordBits = 48 },
        "wide" => new EieConfig { ActWidth = 12, ActFracBits = 6, WeightWidth = 9, WeightFracBits = 8, AccWidth = 40, ProductShift = 3 },
        _ => throw new ArgumentException(name),
    };

    /// <summary>A named config with the accumulators in <paramref name="storage"/>.</summary>
    internal static EieConfig ConfigNamed(string name, AccStorage storage) => ConfigNamed(name) with { AccStorage = storage };

    [Theory]
    [InlineData(AccStorage.Flops)]
    [InlineData(AccStorage.Ram)]
    public void ModelIsExactForBackToBackHitsAndReadsAnEntryOutSixCyclesLater(AccStorage storage)
    {
        var config = new EieConfig { ActRegEntries = 8, AccStorage = storage };
        var unit = new ArithUnit(config);
        var fp = new FixedPoint(config);
        var idle = new ArithInputs(false, 0, 0, false, 0, false, 0, 0, false, 2);
        unit.Step(idle with { CbWe = true, CbAddr = 3, CbWdata = 0x1800 }); // 1.5
        unit.Step(idle with { CbWe = true, CbAddr = 0, CbWdata = 0x7FFF }); // ignored: entry 0 is 0
        // Column: rows 2, 2? no: rows 2 (z=2), 3 (z=0), then the next column hits row 2 and 2's
        // neighbour back to back; a padding entry (v=0) lands on row 3 again.
        int act = fp.QuantizeActivation(2.0);
        ArithInputs E(int v, int z, bool first, int a) => idle with { InValid = true, InV = v, InZ = z, InFirst = first, InAct = (uint)a };
        var seen = new List<ArithOutputs>
        {
            unit.Step(E(3, 2, true, act) with { RdAddr = 6 }),  // t0: row 2 += 3.0
            unit.Step(E(3, 0, false, act)), // t1: row 3 += 3.0
            unit.Step(E(3, 2, true, act)),  // t2: row 2 += 3.0 (new column)
            unit.Step(E(0, 0, false, act)), // t3: row 3 += 0 (padding)
            unit.Step(E(3, 0, true, act)),  // t4: row 0 += 3.0
            unit.Step(E(3, 1, false, -act)), // t5: row 2 -= 3.0
        };
        for (int k = 0; k < 5; k++) seen.Add(unit.Step(idle));
        // Three one-entry columns on row 5 in adjacent cycles: each adds to its predecessor's sum.
        unit.Step(E(3, 5, true, act));
        unit.Step(E(3, 5, true, act));
        unit.Step(E(3, 5, true, -2 * act));
        unit.Step(E(3, 5, true, act));
        for (int k = 0; k < 4; k++) unit.Step(idle);
        Assert.Equal(3L << 20, unit.Accumulator(5));
        Assert.Equal(3L << 20, unit.Accumulator(2)); // 3.0 + 3.0 - 3.0
        Assert.False(seen[0].Busy);
        Assert.True(seen[1].Busy);
        Assert.True(seen[9].Busy);                                          // t5 written at the end of t9
        Assert.False(seen[10].Busy);
        // Row 2 addressed at t9, while t5's sum is written to it: the register file shows the
        // word before the write; the RAM's word is undefined then (its simulation and the model
        // invert it), which is why a read-out waits for busy_o low.
        ulong before = 6UL << 20;
        Assert.Equal(storage == AccStorage.Flops ? before : ~before & 0xFFFF_FFFFUL, seen[10].RdData);
        Assert.Equal(3L << 20, unit.Accumulator(0));
        Assert.Equal(3L << 20, unit.Accumulator(3));
        Assert.False(unit.Error);
        // One entry alone, row 6 addressed all along: its sum is written at the end of t+4, so
        // the read addressed at t+5 shows it at t+6; the one addressed at t+4 does not.
        var alone = new List<ArithOutputs> { unit.Step(E(3, 6, true, act) with { RdAddr = 6 }) };
        for (int k = 0; k < 7; k++) alone.Add(unit.Step(idle with { RdAddr = 6 }));
        Assert.Equal(0UL, alone[5].RdData);
        Assert.Equal((ulong)(3 << 20), alone[6].RdData);
        Assert.False(alone[5].Busy);
        Assert.Equal(3L << 20, unit.Accumulator(6));
        unit.Step(idle with { InValid = true, InZ = 7, InFirst = false, InAct = 1, InV = 3 }); // row 2+7+1 = 10 >= 8
        Assert.False(unit.Error);                                           // in the entry register
        unit.Step(idle);
        Assert.False(unit.Error);                                           // flagged from a register
        Assert.True(unit.Busy);                                             // ... which busy_o covers
        unit.Step(idle);
        Assert.True(unit.Error);
        Assert.False(unit.Busy);
        unit.Step(idle with { Clear = true, RdAddr = 6 });
        Assert.False(unit.Error);
        Assert.Equal(0L, unit.Accumulator(0));
        Assert.Equal((ulong)(3 << 20), unit.Step(idle with { RdAddr = 6 }).RdData); // addressed before the clear's edge
        Assert.Equal(0UL, unit.Step(idle).RdData);
    }

    /// <summary>Each (config, seed) once per accumulator storage.</summary>
    private static TheoryData<string, int, AccStorage> InBothStorages(params (string Name, int Seed)[] cases)
    {
        var data = new TheoryData<string, int, AccStorage>();
        foreach (var (name, seed) in cases)
            foreach (var storage in Enum.GetValues<AccStorage>()) data.Add(name, seed, storage);
        return data;
    }

    public static TheoryData<string, int, AccStorage> SumCases => InBothStorages(("default", 1), ("odd", 2), ("wrap", 3), ("one-row", 4), ("wide", 5));

    /// <summary>Depths that are not powers of two (the rows left are counted); in three-rows a
    /// column's first entry may be out of range too (MaxRun exceeds the depth).</summary>
    public static TheoryData<string, int, AccStorage> BrokenStreamCases => InBothStorages(("odd", 7), ("wrap", 8), ("three-rows", 9));

    [Theory]
    [MemberData(nameof(SumCases))]
    public void RtlMatchesTheModelAndThePlainSum(string name, int seed, AccStorage storage)
    {
        var config = ConfigNamed(name, storage);
        var run = new ArithRun(config, seed);
        var rng = run.Rng;
        run.LoadCodebook();
        for (int layer = 0; layer < 2; layer++)
        {
            run.Cycle(run.Idle with { Clear = true });
            var exact = new long[config.ActRegEntries];
            int columns = 150;
            for (int c = 0; c < columns; c++)
            {
                run.Column(exact);
                if (rng.Next(10) < 3) run.Cycle(run.Idle);
            }
            run.DrainAndReadOut();
            var fp = new FixedPoint(config);
            for (int row = 0; row < exact.Length; row++)
                Assert.Equal(fp.Wrap(exact[row]), run.Unit.Accumulator(row));
            Assert.False(run.Unit.Error);
            if (name == "wrap")
                Assert.Contains(exact, fp.Overflows);
        }
        // Both bypasses must have been exercised, many times.
        Assert.True(run.AdjacentHits >= 20, $"only {run.AdjacentHits} adjacent hits");
        Assert.True(run.DistanceTwoHits >= 20, $"only {run.DistanceTwoHits} distance-two hits");
        using var scratch = new RtlScratch(config);
        run.Bench.Run(scratch, Files);
    }

    /// <summary>Broken streams: rows beyond ActRegEntries, columns continued without a first entry, clears.</summary>
    [Theory]
    [MemberData(nameof(BrokenStreamCases))]
    public void RtlMatchesTheModelOnBrokenStreams(string name, int seed, AccStorage storage)
    {
        var config = ConfigNamed(name, storage);
        var run = new ArithRun(config, seed);
        var rng = run.Rng;
        run.LoadCodebook();
        var p = run.Unit.Params;
        int errors = 0;
        for (int cycle = 0; cycle < 1500; cycle++)
        {
            if (cycle % 150 == 149)
            {
                run.DrainAndReadOut();
                errors += run.Unit.Error ? 1 : 0;
                run.Cycle(run.Idle with { Clear = true });
                continue;
            }
            run.Cycle(run.Idle with
            {
                InValid = rng.Next(4) != 0,
                InV = rng.Next(1 << p.IndexBits),
                InZ = rng.Next(4) == 0 ? p.MaxRun : rng.Next(2),
                InFirst = rng.Next(5) == 0,
                InAct = (uint)rng.Next(1 << p.ActWidth),
                RdAddr = rng.Next(1 << p.ActRegAddrWidth),
            });
        }
        Assert.True(errors > 0, "no broken stream raised error_o");
        using var scratch = new RtlScratch(config);
        run.Bench.Run(scratch, Files);
    }

    /// <summary>Drives the model and records the same cycles for the Icarus bench.</summary>
    private sealed class ArithRun
    {
        private readonly long[] _codebook;
        private int _lastRow = -1;
        private readonly int _hotRow;
        private long _cycles;
        // Cycle and row of the last two entries offered, for the bypass coverage counts.
        private (long Cycle, int Row) _last1 = (-9, -1), _last2 = (-9, -1);

        public ArithRun(EieConfig config, int seed)
        {
            Config = config;
            Unit = new ArithUnit(config);
            Rng = new Random(seed);
            Fp = new FixedPoint(config);
            var p = Unit.Params;
            Bench = new CosimBench(Module,
                [new("in_valid_i", 1), new("in_v_i", p.IndexBits), new("in_z_i", p.RunBits), new("in_first_i", 1),
                 new("in_act_i", p.ActWidth), new("cb_we_i", 1), new("cb_addr_i", p.IndexBits),
                 new("cb_wdata_i", p.WeightWidth), new("clear_i", 1), new("rd_addr_i", p.ActRegAddrWidth)],
                [new("rd_data_o", p.AccWidth), new("rd_word_o", p.AccWidth, "rd_live_o"), new("rd_live_o", 1),
                 new("busy_o", 1), new("error_o", 1)]);
            _codebook = new long[p.CodebookSize];
            _hotRow = Rng.Next(Math.Min(p.ActRegEntries, p.MaxRun + 1));
            Idle = new ArithInputs(false, 0, 0, false, 0, false, 0, 0, false, 0);
        }

        public EieConfig Config { get; }
        public ArithUnit Unit { get; }
        public Random Rng { get; }
        public FixedPoint Fp { get; }
        public CosimBench Bench { get; }
        public ArithInputs Idle { get; }

        /// <summary>Coverage: entries offered the cycle after an entry of the same row (the S3 forward).</summary>
        public long AdjacentHits { get; private set; }

        /// <summary>Coverage: entries offered two cycles after an entry of the same row, and not one (the S4 bypass).</summary>
        public long DistanceTwoHits { get; private set; }

        private int RandomRdAddr() => Rng.Next(1 << Unit.Params.ActRegAddrWidth);

        public void Cycle(ArithInputs inputs)
        {
            if (inputs == (Idle with { Clear = inputs.Clear, RdAddr = inputs.RdAddr }) && inputs.RdAddr == 0)
                inputs = inputs with { RdAddr = RandomRdAddr() };
            _cycles++;
            var seen = Unit.Step(inputs);
            Bench.Cycle(
                [B(inputs.InValid), inputs.InV, inputs.InZ, B(inputs.InFirst), inputs.InAct, B(inputs.CbWe),
                 inputs.CbAddr, inputs.CbWdata, B(inputs.Clear), inputs.RdAddr],
                [seen.RdData, seen.RdLive ? seen.RdWord : 0, B(seen.RdLive), B(seen.Busy), B(seen.Error)]);
        }

        /// <summary>Random codebook, entry 0 left at 0; a write to entry 0 must be ignored.</summary>
        public void LoadCodebook()
        {
            var p = Unit.Params;
            for (int k = 1; k < p.CodebookSize; k++)
            {
                int w = k == 1 ? Fp.WeightMin : k == 2 ? Fp.WeightMax : Fp.WeightMin + Rng.Next(Fp.WeightMax - Fp.WeightMin + 1);
                _codebook[k] = w;
                Cycle(Idle with { CbWe = true, CbAddr = k, CbWdata = (uint)w & Mask(p.WeightWidth) });
            }
            Cycle(Idle with { CbWe = true, CbAddr = 0, CbWdata = Mask(p.WeightWidth) });
        }

        /// <summary>
        /// One column in storage order (padding included), adding its products to <paramref name="exact"/>
        /// (exact sums: a few thousand products of at most 62 bits stay far inside a long).
        /// </summary>
        public void Column(long[] exact)
        {
            var p = Unit.Params;
            int depth = p.ActRegEntries;
            double density = Rng.Next(4) switch { 0 => 0.9, 1 => 0.5, 2 => 0.15, _ => 0.0 };
            var rows = Enumerable.Range(0, depth).Where(_ => Rng.NextDouble() < density).ToList();
            if (rows.Count == 0) rows.Add(Rng.Next(depth)); // an empty column sends no entry at all
            // Two columns in three start on the row where the previous one ended, or are short runs on
            // a hot row, so that entries of adjacent cycles hit one accumulator (the S3 forward).
            if (Rng.Next(3) != 0 && _lastRow >= 0)
            {
                // A start beyond MaxRun would begin with padding, so it would not be adjacent.
                int start = _lastRow <= p.MaxRun && Rng.Next(3) != 0 ? _lastRow : _hotRow;
                rows = rows.Where(r => r > start).Prepend(start).Take(Rng.Next(4) == 0 ? depth : 1 + Rng.Next(3)).ToList();
                if (Rng.Next(3) == 0) Cycle(Idle); // one bubble: the hit is two cycles apart (S4 bypass)
            }
            _lastRow = rows[^1];
            int act = Rng.Next(5) switch
            {
                0 => Fp.ActMin,
                1 => Fp.ActMax,
                2 => Fp.ActOne,
                _ => Fp.ActMin + Rng.Next(Fp.ActMax - Fp.ActMin + 1),
            };
            int prev = -1;
            bool first = true;
            void Emit(int v, int z, int row)
            {
                exact[row] += Fp.ShiftedProduct(act, (int)_codebook[v]);
                Cycle(Idle with
                {
                    InValid = true, InV = v, InZ = z, InFirst = first, InAct = (uint)act & Mask(p.ActWidth),
                    RdAddr = RandomRdAddr(),
                });
                if (_last1.Cycle == _cycles - 1 && _last1.Row == row) AdjacentHits++;
                else if ((_last1.Cycle == _cycles - 2 && _last1.Row == row) || (_last2.Cycle == _cycles - 2 && _last2.Row == row)) DistanceTwoHits++;
                (_last2, _last1) = (_last1, (_cycles, row));
                first = false;
                if (Rng.Next(10) == 0) Cycle(Idle);
            }
            foreach (int row in rows)
            {
                while (row - prev - 1 > p.MaxRun)
                {
                    prev += p.MaxRun + 1;
                    Emit(0, p.MaxRun, prev);
                }
                int v = Rng.Next(6) == 0 ? 0 : Rng.Next(p.CodebookSize);
                Emit(v, row - prev - 1, row);
                prev = row;
            }
        }

        /// <summary>Waits for busy_o to fall, then reads every accumulator address (and one beyond).</summary>
        public void DrainAndReadOut()
        {
            for (int k = 0; k < 4; k++) Cycle(Idle with { RdAddr = RandomRdAddr() });
            Assert.False(Unit.Busy);
            for (int row = 0; row < 1 << Unit.Params.ActRegAddrWidth; row++) Cycle(Idle with { RdAddr = row });
            Cycle(Idle); // shows the last address's word
        }
    }

    private static BigInteger B(bool bit) => bit ? BigInteger.One : BigInteger.Zero;

    private static uint Mask(int width) => width >= 32 ? uint.MaxValue : (1u << width) - 1;
}

public class ArithUnitToolTests
{
    private const string Module = "eie_arith_unit";
    private static readonly string[] Files = ["eie_sram_sp.v", Module + ".v"];

    [Theory]
    [InlineData("default", AccStorage.Flops)]
    [InlineData("default", AccStorage.Ram)]
    [InlineData("odd", AccStorage.Flops)]
    [InlineData("odd", AccStorage.Ram)]
    [InlineData("wrap", AccStorage.Flops)]
    [InlineData("wrap", AccStorage.Ram)]
    [InlineData("one-row", AccStorage.Flops)]
    [InlineData("one-row", AccStorage.Ram)]
    public void LintsSynthesisesAndCompilesClean(string config, AccStorage storage)
    {
        using var scratch = new RtlScratch(ArithUnitTests.ConfigNamed(config, storage));
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, Files, Module));
        ToolAssert.SynthClean(RtlTools.SynthCheck(scratch.Folder, Files, Module));
        ToolAssert.CompileClean(RtlTools.Icarus(scratch.Folder, Files, Module));
    }

    /// <summary>
    /// One signed multiplier of act x weight, kept as a $mul cell for later DSP mapping; the
    /// codebook RAM, and in the unit itself the accumulator RAM (ActRegEntries words of AccWidth
    /// bits, one read port and one write port) with ram, none with flops.
    /// </summary>
    [Theory]
    [InlineData("default", AccStorage.Flops)]
    [InlineData("default", AccStorage.Ram)]
    [InlineData("odd", AccStorage.Flops)]
    [InlineData("odd", AccStorage.Ram)]
    public void TheMultiplierSurvivesAsOneSignedMulCellAndTheAccumulatorsAsTheirStorage(string config, AccStorage storage)
    {
        var c = ArithUnitTests.ConfigNamed(config, storage);
        using var scratch = new RtlScratch(c);
        string accumulators = storage == AccStorage.Ram
            ? "select -assert-count 2 t:$mem_v2; "
              + $"select -assert-count 1 {Module}/t:$mem_v2 r:WIDTH={c.AccWidth} %i r:SIZE={c.ActRegEntries} %i r:RD_PORTS=1 %i r:WR_PORTS=1 %i"
            : $"select -assert-count 1 t:$mem_v2; select -assert-none {Module}/t:$mem_v2";
        var result = RtlTools.Yosys(scratch.Folder, Files,
            $"hierarchy -check -top {Module}; synth -top {Module} -noalumacc -run begin:fine; "
            + "select -assert-count 1 t:$mul; "
            + $"select -assert-count 1 t:$mul r:A_SIGNED=1 %i r:B_SIGNED=1 %i r:A_WIDTH={c.ActWidth} %i r:B_WIDTH={c.WeightWidth} %i; "
            + "select -assert-none t:$mem; " + accumulators);
        Assert.True(result.Ok, result.ToString());
    }

    /// <summary>A 40-bit accumulator, odd operand widths and a shift: lint and compile (synthesis as above).</summary>
    [Theory]
    [InlineData(AccStorage.Flops)]
    [InlineData(AccStorage.Ram)]
    public void WideAccumulatorLintsAndCompilesClean(AccStorage storage)
    {
        using var scratch = new RtlScratch(ArithUnitTests.ConfigNamed("wide", storage));
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, Files, Module));
        ToolAssert.CompileClean(RtlTools.Icarus(scratch.Folder, Files, Module));
    }
}
