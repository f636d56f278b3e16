using System.Numerics;
using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Processes;

namespace EieHdl.Tests.Hardware;

public class PtrReadTests
{
    private const string Module = "eie_ptr_read";
    private static readonly string[] Files = ["eie_sram_sp.v", "eie_ptr_read.v"];

    /// <summary>The non-default config of the hardware tests: odd widths, a small even PtrDepth.</summary>
    internal static EieConfig Odd => new()
    {
        Pes = 3, ActWidth = 8, ActFracBits = 4, WeightWidth = 8, WeightFracBits = 6, AccWidth = 20,
        ProductShift = 2, IndexBits = 3, RunBits = 3, CodebookSize = 8, PtrDepth = 100, PtrWidth = 12,
        ActRegEntries = 10, SpmatWordBits = 48,
    };

    public static TheoryData<int, int> Shapes => new()
    {
        { 100, 12 },
        { 2, 5 },
        { 3, 4 },
        { 5, 8 },
        { 101, 9 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void LintsSynthesisesAndCompilesClean(int ptrDepth, int ptrWidth)
    {
        using var scratch = new RtlScratch(new EieConfig { PtrDepth = ptrDepth, PtrWidth = ptrWidth });
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, Files, Module));
        ToolAssert.SynthClean(RtlTools.SynthCheck(scratch.Folder, Files, Module));
        ToolAssert.CompileClean(RtlTools.Icarus(scratch.Folder, Files, Module));
    }

    /// <summary>
    /// The default config's banks are 8192 words: a generic synth would map them to flip-flops for
    /// minutes, so here yosys stops after the coarse (word-level) passes, where the banks are still
    /// two memories, and checks there. The full SynthCheck runs on the smaller shapes above.
    /// </summary>
    [Fact]
    public void DefaultConfigIsCleanWithTheBanksKeptAsMemories()
    {
        using var scratch = new RtlScratch(new EieConfig());
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, Files, Module));
        ToolAssert.CompileClean(RtlTools.Icarus(scratch.Folder, Files, Module));
        var result = RtlTools.Yosys(scratch.Folder, Files,
            $"hierarchy -check -top {Module}; proc; check -assert; select -assert-none t:$dlatch t:$adlatch t:$dlatchsr t:$sr; "
            + $"synth -top {Module} -flatten -run begin:fine; check -assert; select -assert-count 2 t:$mem t:$mem_v2; "
            + "select -assert-none t:$dlatch t:$adlatch t:$dlatchsr t:$sr; stat");
        Assert.True(result.Ok, result.ToString());
    }

    [Fact]
    public void NonDefaultConfigIsCleanToo()
    {
        using var scratch = new RtlScratch(Odd);
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, Files, Module));
        ToolAssert.SynthClean(RtlTools.SynthCheck(scratch.Folder, Files, Module));
        ToolAssert.CompileClean(RtlTools.Icarus(scratch.Folder, Files, Module));
    }

    [Theory]
    [InlineData(16384, 17)]
    [InlineData(100, 12)]
    public void BothBanksAreMemories(int ptrDepth, int ptrWidth)
    {
        using var scratch = new RtlScratch(new EieConfig { PtrDepth = ptrDepth, PtrWidth = ptrWidth });
        var result = RtlTools.Yosys(scratch.Folder, Files,
            $"hierarchy -check -top {Module}; proc; flatten; opt; memory -nomap; select -assert-count 2 t:$mem t:$mem_v2");
        Assert.True(result.Ok, result.ToString());
    }

    [Fact]
    public void ModelAnswersTheColumnRangeOneCycleLaterAndHoldsIt()
    {
        var unit = new PtrRead(new PtrReadParams(PtrDepth: 6, PtrWidth: 8, ActWidth: 4));
        uint[] p = [0, 3, 3, 7, 20, 21];
        for (int i = 0; i < p.Length; i++) unit.Step(new PtrReadInputs(false, 0, 0, false, true, i, p[i]));
        var a = unit.Step(new PtrReadInputs(true, 1, 5, false, false, 0, 0));
        Assert.True(a.ReqReady);
        Assert.False(a.RspValid);
        var b = unit.Step(new PtrReadInputs(true, 2, 6, false, false, 0, 0));
        Assert.Equal(new PtrReadOutputs(false, true, 3, 3, 5), b);
        var c = unit.Step(new PtrReadInputs(true, 2, 6, true, false, 0, 0));
        Assert.Equal(new PtrReadOutputs(true, true, 3, 3, 5), c);
        var d = unit.Step(new PtrReadInputs(false, 0, 0, true, false, 0, 0));
        Assert.Equal(new PtrReadOutputs(true, true, 3, 7, 6), d);
        Assert.False(unit.Step(new PtrReadInputs(false, 0, 0, true, true, 0, 0)).RspValid);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void RtlMatchesTheModel(int which)
    {
        var config = which switch
        {
            0 => new EieConfig(),
            1 => Odd,
            _ => new EieConfig { PtrDepth = 5, PtrWidth = 6, ActWidth = 4, ActFracBits = 2 },
        };
        var unit = new PtrRead(config);
        var p = unit.Params;
        var bench = new CosimBench(Module,
            [new("req_valid_i", 1), new("req_col_i", p.IdxWidth), new("req_act_i", p.ActWidth), new("rsp_ready_i", 1),
             new("load_we_i", 1), new("load_addr_i", p.IdxWidth), new("load_data_i", p.PtrWidth)],
            [new("req_ready_o", 1), new("rsp_valid_o", 1), new("rsp_start_o", p.PtrWidth, "rsp_valid_o"),
             new("rsp_end_o", p.PtrWidth, "rsp_valid_o"), new("rsp_act_o", p.ActWidth, "rsp_valid_o")]);
        var rng = new Random(which + 17);
        // Columns hit: a window of indices (all loaded) plus the first and the last column.
        int window = Math.Min(p.PtrDepth, 300);
        int windowBase = p.PtrDepth - window;
        var loadOrder = Enumerable.Range(windowBase, window).Prepend(0).Prepend(1).Distinct()
            .OrderBy(_ => rng.Next()).ToArray();
        uint Rand(int bits) => (uint)rng.NextInt64(1L << bits);

        void Cycle(PtrReadInputs inputs)
        {
            var seen = unit.Step(inputs);
            bench.Cycle(
                [B(inputs.ReqValid), inputs.ReqCol, inputs.ReqAct, B(inputs.RspReady), B(inputs.LoadWe),
                 inputs.LoadAddr, inputs.LoadData],
                [B(seen.ReqReady), B(seen.RspValid), seen.RspValid ? seen.RspStart : 0,
                 seen.RspValid ? seen.RspEnd : 0, seen.RspValid ? seen.RspAct : 0]);
        }

        // I/O mode: load the pointers (random values; the unit does not care that they ascend),
        // with junk on the request port (not valid: loads and requests never meet) and ready noise.
        foreach (var addr in loadOrder)
            Cycle(new PtrReadInputs(false, rng.Next(1 << p.IdxWidth), Rand(p.ActWidth), rng.Next(2) == 0,
                true, addr, Rand(p.PtrWidth)));
        int Column() => rng.Next(4) switch
        {
            0 => 0,
            1 => p.PtrDepth - 2,
            _ => windowBase + rng.Next(window - 1),
        };
        for (int cycle = 0; cycle < 800; cycle++)
        {
            bool pressure = cycle / 100 % 2 == 1;
            bool valid = rng.Next(4) != 0;
            int col = valid ? Column() : rng.Next(1 << p.IdxWidth);
            Cycle(new PtrReadInputs(valid, col, Rand(p.ActWidth), rng.Next(4) < (pressure ? 1 : 3), false, 0, 0));
        }
        using var scratch = new RtlScratch(config);
        bench.Run(scratch, Files);
    }

    private static BigInteger B(bool bit) => bit ? BigInteger.One : BigInteger.Zero;
}
