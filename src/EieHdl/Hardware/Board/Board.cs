using System.Globalization;

namespace EieHdl.Hardware;

/// <summary>How a board's pins are constrained: nextpnr-ice40's .pcf or Vivado's .xdc.</summary>
public enum ConstraintFormat { Pcf, Xdc }

/// <summary>One top-level port of a board top and the package pin it goes to.</summary>
/// <param name="Port">Port name in the board top.</param>
/// <param name="Site">Package pin (iCE40 pin number or ball, 7-series ball).</param>
/// <param name="Net">The board's own name for the net, as its schematic calls it.</param>
public sealed record BoardPin(string Port, string Site, string Net);

/// <summary>An LED: the pin, which eie_top signal it shows, and whether it lights on a low level.</summary>
public sealed record BoardLed(BoardPin Pin, string Shows, bool ActiveLow);

/// <summary>
/// A development board that runs eie_top behind <see cref="UartHost"/>: its clock, its USB-UART
/// pins, its reset button (if any) and four LEDs (alive: a ~1 Hz blink from the clock; busy;
/// done; error). Pins are the boards' documented ones; <see cref="PinSource"/> says where they
/// were read.
/// </summary>
public sealed record Board(
    string Name,
    string Module,
    string Title,
    string Device,
    long ClockHz,
    long DefaultBaud,
    string FpgaTarget,
    ConstraintFormat Format,
    BoardPin Clock,
    BoardPin UartRx,
    BoardPin UartTx,
    BoardPin? ResetButton,
    IReadOnlyList<BoardLed> Leds,
    string PinSource,
    string Program,
    Ice40Pll? Pll = null)
{
    /// <summary>The oscillator on the clock pin: the PLL's reference, or <see cref="ClockHz"/> itself.</summary>
    public long OscillatorHz => Pll?.ReferenceHz ?? ClockHz;

    /// <summary>
    /// The iCEBreaker's design clock: the PLL's output from the 12 MHz oscillator. 30 MHz is met
    /// by every placement seed tried of the LeNet-300-100 board top (hw/configs/icebreaker-lenet.json,
    /// 32.4-34.2 MHz over seeds 1-8, the PE's accumulator path the limit) and at seed 1 by the
    /// small configuration's (docs/fpga.md); the UART divisor and nextpnr's --freq follow it.
    /// </summary>
    public static readonly Ice40Pll IceBreakerPll = Ice40Pll.For(12_000_000, 30_000_000);

    /// <summary>File name of the pin constraints, e.g. <c>icebreaker.pcf</c>.</summary>
    public string ConstraintFile => Name + (Format == ConstraintFormat.Pcf ? ".pcf" : ".xdc");

    public IEnumerable<BoardPin> Pins =>
        new[] { Clock, ResetButton, UartRx, UartTx }.OfType<BoardPin>().Concat(Leds.Select(l => l.Pin));

    // Pins: icestorm's examples/icebreaker/icebreaker.pcf and the iCEBreaker v1.0 schematic
    // (12 MHz on 35, a PLL-capable global input, FTDI channel B: RX 6 into the FPGA, TX 9 out; BTN_N 10; LEDR_N 11,
    // LEDG_N 37 low-active; break-off PMOD2 LED1 26, LED2 27 high-active).
    public static readonly Board IceBreaker = new(
        "icebreaker", "eie_icebreaker_top", "1BitSquared iCEBreaker v1.0", "iCE40UP5K-SG48",
        IceBreakerPll.OutHz, 115_200, "ice40-up5k", ConstraintFormat.Pcf,
        new("clk_i", "35", "CLK (12 MHz oscillator)"),
        new("uart_rx_i", "6", "RX (FTDI channel B TXD)"),
        new("uart_tx_o", "9", "TX (FTDI channel B RXD)"),
        new("rst_btn_ni", "10", "BTN_N (user button, low when pressed)"),
        [
            new(new("led_alive_o", "26", "LED1 (PMOD2)"), "alive", false),
            new(new("led_busy_o", "27", "LED2 (PMOD2)"), "busy", false),
            new(new("led_done_o", "37", "LEDG_N"), "done", true),
            new(new("led_error_o", "11", "LEDR_N"), "error", true),
        ],
        "icestorm examples/icebreaker/icebreaker.pcf, iCEBreaker schematic",
        "iceprog eie_icebreaker_top.bin",
        IceBreakerPll);

    // Pins: Lattice iCE40HX-8K Breakout Board user guide and the iCE40-HX8K demo pin files of
    // icestorm / picorv32 (12 MHz on J3; FT2232H channel B: B10 into the FPGA, B12 out;
    // LEDs D2..D9 on B5 B4 A2 A1 C5 C4 B3 C3, high-active). The board has no user button: a
    // power-on reset inside the top, and the FPGA's CRESET via the programmer, reset it.
    public static readonly Board Hx8kBreakout = new(
        "hx8k-breakout", "eie_hx8k_breakout_top", "Lattice iCE40-HX8K Breakout Board", "iCE40HX8K-CT256",
        12_000_000, 115_200, "ice40-hx8k", ConstraintFormat.Pcf,
        new("clk_i", "J3", "12 MHz oscillator"),
        new("uart_rx_i", "B10", "RS232_Tx_TTL (FTDI channel B TXD)"),
        new("uart_tx_o", "B12", "RS232_Rx_TTL (FTDI channel B RXD)"),
        null,
        [
            new(new("led_alive_o", "B5", "D2"), "alive", false),
            new(new("led_busy_o", "B4", "D3"), "busy", false),
            new(new("led_done_o", "A2", "D4"), "done", false),
            new(new("led_error_o", "A1", "D5"), "error", false),
        ],
        "Lattice iCE40HX-8K Breakout user guide; icestorm/picorv32 HX8K pin files",
        "iceprog -S eie_hx8k_breakout_top.bin (SRAM programming: set the jumpers as the board user guide says)");

    // Pins: Digilent Arty-A7-35-Master.xdc (CLK100MHZ E3; ck_rst C2, low when pressed;
    // uart_txd_in A9 into the FPGA, uart_rxd_out D10 out; LD4..LD7 H5 J5 T9 T10; LVCMOS33).
    public static readonly Board ArtyA7 = new(
        "arty-a7", "eie_arty_a7_top", "Digilent Arty A7-35T", "XC7A35T-1CSG324C",
        100_000_000, 115_200, "xc7", ConstraintFormat.Xdc,
        new("clk_i", "E3", "CLK100MHZ"),
        new("uart_rx_i", "A9", "uart_txd_in"),
        new("uart_tx_o", "D10", "uart_rxd_out"),
        new("rst_btn_ni", "C2", "ck_rst (RESET button, low when pressed)"),
        [
            new(new("led_alive_o", "H5", "LD4"), "alive", false),
            new(new("led_busy_o", "J5", "LD5"), "busy", false),
            new(new("led_done_o", "T9", "LD6"), "done", false),
            new(new("led_error_o", "T10", "LD7"), "error", false),
        ],
        "Digilent Arty-A7-35-Master.xdc, Arty A7 reference manual",
        "Vivado: synth_design/place/route with arty-a7.xdc (not available on this machine)");

    public static IReadOnlyList<Board> All { get; } = [IceBreaker, Hx8kBreakout, ArtyA7];

    public static string Names => string.Join(", ", All.Select(b => b.Name));

    /// <summary>The board called <paramref name="name"/>; a bad name is bad input.</summary>
    public static Board Find(string name) =>
        All.FirstOrDefault(b => b.Name == name)
        ?? throw new EieInputException(string.Create(CultureInfo.InvariantCulture,
            $"--board: must be one of {Names}, got '{name}'"));
}
