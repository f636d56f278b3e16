using System.Globalization;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>
/// A board top: eie_top behind <see cref="UartHost"/> on one <see cref="Board"/>'s clock, UART
/// pins, reset button and LEDs, with a power-on reset. One template serves every board; the
/// board decides the module name, the clock, the button and the LED polarities.
/// </summary>
public sealed class BoardTop : HardwareUnit
{
    /// <summary>Clock cycles the power-on reset holds after configuration or a button release.</summary>
    public const int ResetCycles = 8;

    public BoardTop(EieConfig config, Board board, long? baud = null)
    {
        Config = config.Validate();
        Board = board;
        Timing = new UartTiming(board.ClockHz, baud ?? board.DefaultBaud, "--baud");
        Host = new UartHost(config, Timing);
        Top = new Top(config);
    }

    public EieConfig Config { get; }
    public Board Board { get; }
    public UartTiming Timing { get; }
    public UartHost Host { get; }
    public Top Top { get; }

    public override string ModuleName => Board.Module;

    public override string TemplateName => "eie_board_top.v.sbn";

    public override IReadOnlyList<HardwareUnit> Submodules => [Host, Top];

    /// <summary>Bits of the free-running counter whose top bit blinks the alive LED at ~1 Hz.</summary>
    public int AliveBits => Math.Max(2, VerilogText.CeilLog2(Board.ClockHz));

    /// <summary>Bits of the counter that keeps the busy LED lit ~0.1-0.2 s after a run (a run lasts microseconds).</summary>
    public int BusyHoldBits => Math.Max(2, VerilogText.CeilLog2(Board.ClockHz / 10));

    public override object TemplateModel
    {
        get
        {
            var p = Host.Params;
            var signals = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["alive"] = Inv($"alive_q[{AliveBits - 1}]"), ["busy"] = "busy_seen", ["done"] = "done", ["error"] = "error",
            };
            return new
            {
                Module = Board.Module,
                HasButton = Board.ResetButton is not null,
                HasPll = Board.Pll is not null,
                PllNote = Board.Pll?.ToString() ?? "",
                PllDivr = Inv($"4'd{Board.Pll?.DivR ?? 0}"),
                PllDivf = Inv($"7'd{Board.Pll?.DivF ?? 0}"),
                PllDivq = Inv($"3'd{Board.Pll?.DivQ ?? 0}"),
                PllFilter = Inv($"3'd{Board.Pll?.FilterRange ?? 0}"),
                ButtonNet = Board.ResetButton?.Net ?? "",
                ClockNet = Board.Clock.Net,
                RxNet = Board.UartRx.Net,
                TxNet = Board.UartTx.Net,
                Leds = Board.Leds.Select(l => new
                {
                    l.Pin.Port,
                    Expr = (l.ActiveLow ? "~" : "") + signals[l.Shows],
                    Note = Inv($"{l.Pin.Net}: {l.Shows}{(l.ActiveLow ? ", lit when low" : "")}"),
                }).ToArray(),
                AddrRange = VerilogText.Range(p.HostAddrWidth),
                DataRange = VerilogText.Range(p.HostDataWidth),
                AliveRange = VerilogText.Range(AliveBits),
                AliveZero = VerilogText.Dec(AliveBits, 0),
                AliveOne = VerilogText.Dec(AliveBits, 1),
                HoldRange = VerilogText.Range(BusyHoldBits),
                HoldZero = VerilogText.Dec(BusyHoldBits, 0),
                HoldOne = VerilogText.Dec(BusyHoldBits, 1),
                HoldFull = VerilogText.Dec(BusyHoldBits, (1L << BusyHoldBits) - 1),
            };
        }
    }

    public override string Doc
    {
        get
        {
            string?[] lines =
            [
        Inv($"{Board.Module}: EIE on the {Board.Title} ({Board.Device}),"),
        "driven by a PC over the board's USB-UART.",
        Inv($"eie_top ({Config.Pes} PEs) is the host bus slave of eie_uart_host at {Timing.Baud} baud 8N1"),
        Inv($"({Board.ClockHz / 1e6:0.###} MHz clock{(Board.Pll is null ? "" : Inv($" from the PLL on the {Board.OscillatorHz / 1e6:0.###} MHz oscillator"))}, {Timing.Divisor} clocks per bit, {Timing.RateError * 100:0.00}% rate error). The PC loads"),
        "the model and the input, starts a run, waits, and reads the outputs and the cycle count:",
        "see eie_uart_host for the byte protocol and EieHdl's UartHostProtocol for the host side.",
        "",
        "Reset: a power-on reset of " + Inv($"{ResetCycles}") + " cycles after configuration" + (Board.Pll is null ? "" : " and the PLL's lock") + " (FPGA flip-flops start at 0),",
        Board.ResetButton is null
            ? "restarted by nothing else: this board has no user button (reload the bitstream)."
            : Inv($"and again while {Board.ResetButton.Net} is held, through a 2-flop synchroniser."),
        "eie_top and the bridge share the synchronous active-low reset.",
        "",
        Inv($"LEDs: alive blinks at ~1 Hz while the clock runs; busy stays lit {(1L << BusyHoldBits) / (double)Board.ClockHz:0.00} s after busy_o"),
        "falls, so that a run of microseconds shows; done and error are eie_top's outputs.",
        "",
        Inv($"Pins: {Board.ConstraintFile}."),
        Inv($"Pin source: {Board.PinSource}."),
            ];
            return string.Join("\n", lines.OfType<string>());
        }
    }

    public override IReadOnlyList<Port> Ports =>
    [
        Port.In("clk_i", 1, Inv($"{Board.Clock.Net} ({Board.Clock.Site})")),
        .. Board.ResetButton is null ? [] : new[] { Port.In("rst_btn_ni", 1, Inv($"{Board.ResetButton.Net} ({Board.ResetButton.Site})")) },
        Port.In("uart_rx_i", 1, Inv($"{Board.UartRx.Net} ({Board.UartRx.Site})")),
        Port.Out("uart_tx_o", 1, Inv($"{Board.UartTx.Net} ({Board.UartTx.Site})")),
        .. Board.Leds.Select(l => Port.Out(l.Pin.Port, 1, Inv($"{l.Pin.Net} ({l.Pin.Site}): {l.Shows}{(l.ActiveLow ? ", low-active" : "")}"))),
    ];

    public override IReadOnlyList<Latency> Latencies =>
    [
        new("uart_rx_i", "uart_tx_o", Host.ReadReplyLatency,
            "a read frame: from the last address byte's start bit to the reply's start bit (eie_uart_host's per frame)"),
    ];

    public override string LatencyNote => "A run takes eie_top's cycles (its cycle counter, read over the UART).";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
