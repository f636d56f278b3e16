using System.Text.Json;
using EieHdl.Tests.Cli;
using EieHdl.Tests.Fpga;
using HwBoard = EieHdl.Hardware.Board;

namespace EieHdl.Tests.Board;

/// <summary>
/// The iCE40 board tops with hw/configs/ice40-small.json through `eiehdl synth --board`:
/// yosys, nextpnr-ice40 on the real package with the board's .pcf at the board's clock (timing
/// must be met: the flow does not pass --timing-allow-fail) and icepack. A few minutes each.
/// </summary>
public sealed class BoardPlaceAndRouteTests
{
    [Theory]
    // The iCEBreaker runs from its PLL at 30 MHz (260 clocks per bit at 115200 baud), the HX8K
    // breakout from its 12 MHz oscillator (104).
    [InlineData("icebreaker", 5280, 2, 8, 260)]
    [InlineData("hx8k-breakout", 7680, 0, 7, 104)]
    public void TheBoardTopPlacesAndRoutesOnItsPackageWithItsPins(string name, int lcsAvailable, int dsps, int ios, int divisor)
    {
        var board = HwBoard.Find(name);
        using var scratch = new ScratchFolder();
        string outDir = scratch["board"];
        var result = CliRunner.Run(scratch.Path, "synth", "--board", name, "--config", FpgaTestConfigs.SmallConfigPath,
            "--out", outDir, "--json");
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}\n{result.Stdout}");

        using var doc = JsonDocument.Parse(result.Stdout);
        var r = doc.RootElement;
        Assert.Equal(board.Module, r.GetProperty("module").GetString());
        Assert.Equal(divisor, r.GetProperty("divisor").GetInt32());
        var pnr = r.GetProperty("placeAndRoute");
        Assert.Equal(lcsAvailable, pnr.GetProperty("logicCellsAvailable").GetInt32());
        Assert.InRange(pnr.GetProperty("logicCells").GetInt32(), 1000, lcsAvailable);
        // 11 EBR a PE (spmat 4, ptr banks 4, act halves 2, codebook 1) and the CCU's codebook.
        Assert.Equal(23, pnr.GetProperty("blockRams").GetInt32());
        Assert.Equal(dsps, pnr.GetProperty("dsps").GetInt32());
        Assert.Equal(ios, pnr.GetProperty("ios").GetInt32());
        Assert.True(pnr.GetProperty("fmaxMhz").GetDouble() >= board.ClockHz / 1e6, pnr.ToString());

        // Every port went to the pin the .pcf names, none was left for nextpnr to choose.
        string log = File.ReadAllText(Path.Combine(outDir, "nextpnr.log"));
        foreach (var pin in board.Pins)
            Assert.Contains($"constrained '{pin.Port}' to bel", log);
        // With a PLL nextpnr also places the PLL at the clock pad and the cells that pass its
        // LOCK output into the fabric: three cells beside the pins.
        Assert.Contains($"Placed {ios + (board.Pll is null ? 0 : 3)} cells based on constraints", log);
        var bitstream = new FileInfo(Path.Combine(outDir, board.Module + ".bin"));
        Assert.True(bitstream.Exists && bitstream.Length > 100_000, $"{bitstream.FullName} missing or short");
    }
}
