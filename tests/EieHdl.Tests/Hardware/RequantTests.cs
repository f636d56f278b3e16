using System.Numerics;
using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Processes;

namespace EieHdl.Tests.Hardware;

/// <summary>
/// eie_requant against <see cref="FixedPoint.Requantize"/>: tool checks, and co-checks under
/// Icarus, exhaustive for 12-bit accumulators and random plus corner values for the default.
/// </summary>
public class RequantTests
{
    private const string Module = "eie_requant";

    /// <summary>A small config: AccWidth 12, ActWidth 6, ActFracBits 2, s = WeightFracBits - ProductShift.</summary>
    private static EieConfig Small(int shift) => new()
    {
        Pes = 4, AccWidth = 12, ActWidth = 6, ActFracBits = 2, WeightWidth = 16, WeightFracBits = 15,
        ProductShift = 15 - shift,
    };

    public static TheoryData<int> SmallShifts => [0, 1, 3, 6, 7, 8, 11, 12, 15];

    [Fact]
    public void TheDefaultConfigShiftsByTwelve()
    {
        var p = new Requant(new EieConfig()).Params;
        Assert.Equal(new RequantParams(32, 16, 12), p);
        Assert.Equal(33, p.SumWidth);
        Assert.Equal(21, p.ShiftedWidth);
    }

    /// <summary>
    /// Rules R1-R3 of docs/arithmetic.md written out independently of <see cref="FixedPoint"/>, in
    /// exact integers: ReLU, then the nearest integer to acc / 2^shift with ties toward +infinity,
    /// i.e. floor((2 acc + 2^shift) / 2^(shift+1)), then clamped to the act's range.
    /// </summary>
    private static long Reference(long acc, bool relu, int shift, int actWidth)
    {
        var a = new BigInteger(relu && acc < 0 ? 0 : acc);
        var step = BigInteger.One << shift;
        var quotient = BigInteger.DivRem(2 * a + step, 2 * step, out var remainder);
        if (remainder.Sign < 0) quotient -= 1;   // DivRem truncates; the rule floors
        var max = (BigInteger.One << (actWidth - 1)) - 1;
        return (long)BigInteger.Clamp(quotient, -max - 1, max);
    }

    [Theory]
    [MemberData(nameof(SmallShifts))]
    public void ModelMatchesAnIndependentReferenceExhaustively(int shift)
    {
        var config = Small(shift);
        var unit = new Requant(config);
        Assert.Equal(shift, unit.Params.Shift);
        foreach (long acc in Enumerable.Range(-2048, 4096))
            foreach (bool relu in new[] { false, true })
                Assert.True(Reference(acc, relu, shift, 6) == unit.Step(acc, relu), $"acc {acc} relu {relu} shift {shift}");
    }

    [Theory]
    [InlineData(5L * 4096 + 2047, 5)]          // just under half an LSB above 5: down
    [InlineData(5L * 4096 + 2048, 6)]          // exactly half: up
    [InlineData(-5L * 4096 - 2048, -5)]        // -5.5: a tie goes toward +infinity
    [InlineData(-5L * 4096 - 2049, -6)]
    [InlineData(32766L * 4096 + 2048, 32767)] // rounds up onto the largest act, no saturation
    [InlineData(32767L * 4096 + 2048, 32767)] // would be 32768: saturates
    [InlineData(-32767L * 4096 - 2049, -32768)]
    [InlineData(-32768L * 4096 - 2049, -32768)] // would be -32769: saturates
    public void TheDefaultConfigRoundsAndSaturatesAsWorkedOutByHand(long acc, int expected)
    {
        var unit = new Requant(new EieConfig());
        Assert.Equal(expected, unit.Step(acc, relu: false));
        Assert.Equal(Math.Max(expected, 0), unit.Step(acc, relu: true));
        Assert.Equal(expected, Reference(acc, false, 12, 16));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TiesRoundUpAndExtremesSaturate(int shift)
    {
        var unit = new Requant(Small(shift));
        long half = 1L << (shift - 1);
        Assert.Equal(1, unit.Step(half, false));            // +0.5 LSB -> 1
        Assert.Equal(0, unit.Step(-half, false));           // -0.5 LSB -> 0 (toward +inf)
        Assert.Equal(0, unit.Step(half - 1, false));
        Assert.Equal(31, unit.Step(2047, false));
        Assert.Equal(-32, unit.Step(-2048, false));
        Assert.Equal(0, unit.Step(-2048, true));
    }

    [Theory]
    [MemberData(nameof(SmallShifts))]
    public void LintsSynthesisesAndCompilesCleanInSmallConfigs(int shift) => ToolsClean(Small(shift));

    [Fact]
    public void LintsSynthesisesAndCompilesCleanInTheDefaultConfig() => ToolsClean(new EieConfig());

    private static void ToolsClean(EieConfig config)
    {
        using var scratch = new RtlScratch(config);
        string[] files = [Module + ".v"];
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, files, Module));
        ToolAssert.SynthClean(RtlTools.SynthCheck(scratch.Folder, files, Module));
        ToolAssert.CompileClean(RtlTools.Icarus(scratch.Folder, files, Module));
    }

    [Theory]
    [MemberData(nameof(SmallShifts))]
    public void RtlMatchesFixedPointExhaustivelyInSmallConfigs(int shift)
    {
        var config = Small(shift);
        CoCheck(config, Enumerable.Range(-2048, 4096).Select(a => (long)a));
    }

    [Fact]
    public void RtlMatchesFixedPointOnRandomAndCornerValuesInTheDefaultConfig()
    {
        var config = new EieConfig();
        var rng = new Random(32);
        long min = -(1L << 31), max = (1L << 31) - 1, lsb = 1L << 12, half = lsb / 2;
        long actMax = (1L << 15) - 1, actMin = -(1L << 15);
        var corners = new List<long> { min, min + 1, max, max - 1, 0, 1, -1, half, -half, half - 1, -half - 1, half + 1 };
        // Ties and neighbours around a few results, and at both saturation edges.
        foreach (long q in new[] { 0L, 1, -1, 5, -5, actMax, actMax + 1, actMin, actMin - 1, actMin + 1 })
            for (long d = -1; d <= 1; d++)
            {
                corners.Add(q * lsb + half + d);
                corners.Add(q * lsb + d);
            }
        var values = corners.Where(v => v >= min && v <= max).ToList();
        for (int i = 0; i < 20000; i++)
        {
            // Mostly values near the act range, some anywhere in the accumulator.
            long v = i % 4 == 0 ? rng.NextInt64(min, max + 1) : rng.NextInt64(-(1L << 28), 1L << 28);
            values.Add(v);
        }
        CoCheck(config, values);
    }

    /// <summary>Each value with relu off and on; the RTL's act, a cycle later, must equal Requantize's.</summary>
    private static void CoCheck(EieConfig config, IEnumerable<long> values)
    {
        var fp = new FixedPoint(config);
        var p = RequantParams.From(config);
        // The bench drives clk_i and rst_ni; the unit has no reset, so a wrapper ignores it. Its
        // register took acc 0 at the bench's reset edge, so cycle 0 shows act 0.
        var bench = new CosimBench("requant_wrap",
            [new("acc_i", p.AccWidth), new("relu_i", 1), new("acc_live_i", 1)], [new("act_o", p.ActWidth)]);
        long previous = fp.Requantize(0, false);
        int k = 0;
        foreach (long acc in values)
            foreach (bool relu in new[] { false, true })
            {
                // One value in five with acc_live_i low: the act of an accumulator of 0.
                bool live = k++ % 5 != 4;
                bench.Cycle([acc, relu ? BigInteger.One : BigInteger.Zero, live ? BigInteger.One : BigInteger.Zero], [previous]);
                previous = fp.Requantize(live ? acc : 0, relu);
            }
        using var scratch = new RtlScratch(config);
        scratch.Write("requant_wrap.v", $$"""
            `default_nettype none
            module requant_wrap (
              input  wire clk_i,
              input  wire rst_ni,
              input  wire [{{p.AccWidth - 1}}:0] acc_i,
              input  wire relu_i,
              input  wire acc_live_i,
              output wire [{{p.ActWidth - 1}}:0] act_o
            );
              eie_requant u_requant (.clk_i(clk_i), .acc_i(acc_i), .relu_i(relu_i), .acc_live_i(acc_live_i), .act_o(act_o));
            endmodule
            `default_nettype wire

            """);
        bench.Run(scratch, [Module + ".v", "requant_wrap.v"]);
    }
}
