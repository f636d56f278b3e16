using EieHdl.Hardware;
using EieHdl.Tests.Fpga;

namespace EieHdl.Tests.Board;

/// <summary>The PLL settings against icestorm's icepll (values from <c>icepll -i REF -o OUT</c>).</summary>
public sealed class Ice40PllTests
{
    [Theory]
    // ref MHz, requested MHz, achieved Hz, DIVR, DIVF, DIVQ, FILTER_RANGE
    [InlineData(12, 48, 48_000_000, 0, 63, 4, 1)]
    [InlineData(12, 36, 36_000_000, 0, 47, 4, 1)]
    [InlineData(12, 30, 30_000_000, 0, 79, 5, 1)]
    [InlineData(12, 25, 25_125_000, 0, 66, 5, 1)]
    [InlineData(12, 40, 39_750_000, 0, 52, 4, 1)]
    [InlineData(12, 100, 100_500_000, 0, 66, 3, 1)]
    [InlineData(12, 16, 15_937_500, 0, 84, 6, 1)]
    [InlineData(40, 100, 100_000_000, 0, 19, 3, 3)]
    public void SettingsAreIcepllsSettings(int refMhz, int outMhz, long achievedHz, int divr, int divf, int divq, int filter)
    {
        var pll = Ice40Pll.For(refMhz * 1_000_000L, outMhz * 1_000_000L);
        Assert.Equal((divr, divf, divq, filter), (pll.DivR, pll.DivF, pll.DivQ, pll.FilterRange));
        Assert.Equal(achievedHz, pll.OutHz);
    }

    [Theory]
    [InlineData(15_000_000, "PLL clock: must be in [16, 275] MHz, got 15 MHz")]
    [InlineData(300_000_000, "PLL clock: must be in [16, 275] MHz, got 300 MHz")]
    public void AClockOutsideThePllsRangeIsBadInput(long hz, string message)
    {
        var e = Assert.Throws<EieInputException>(() => Ice40Pll.For(12_000_000, hz));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void TheIceBreakerRunsFromItsPllAndTheUartFollows()
    {
        var board = EieHdl.Hardware.Board.IceBreaker;
        Assert.Equal(12_000_000, board.OscillatorHz);
        Assert.Equal(board.Pll!.OutHz, board.ClockHz);
        var top = BoardRtl.Generate(FpgaTestConfigs.Small, board);
        // 30 MHz / 115200 baud = 260.4 clocks per bit, to the nearest.
        Assert.Equal(260, top.Top.Timing.Divisor);
        string v = top.Rtl.Modules.Single(m => m.Name == board.Module + ".v").Text;
        Assert.Contains($".DIVF(7'd{board.Pll.DivF})", v);
        Assert.Contains("SB_PLL40_PAD", v);
        Assert.Contains($"--freq {board.ClockHz / 1e6:0.###}", top.Constraints.Text);
    }
}
