using System.Globalization;

namespace EieHdl.Hardware;

/// <summary>
/// <c>eie_uart_rx</c>: an 8N1 UART receiver. The line goes through a 2-flop synchroniser, a start
/// bit is confirmed half a bit after its falling edge and every later bit is sampled once in its
/// middle, Divisor clocks apart. The divisor is fixed at generation (<see cref="UartTiming"/>).
/// </summary>
public sealed class UartRx(UartTiming timing) : HardwareUnit
{
    public UartTiming Timing { get; } = timing;

    public override string ModuleName => "eie_uart_rx";

    /// <summary>Clock edges from the start bit's falling edge at rx_i to valid_o high: synchroniser, 9.5 bits, output register.</summary>
    public int Latency => 2 + Timing.Divisor / 2 + 9 * Timing.Divisor;

    public override object TemplateModel => Timing.CounterModel;

    public override string Doc => string.Join("\n",
    [
        Inv($"eie_uart_rx: 8N1 UART receiver, {Timing.Divisor} clocks per bit ({Timing.ClockHz} Hz / {Timing.Baud} baud)."),
        "rx_i is asynchronous: two flip-flops bring it into clk_i's domain. A low level starts a",
        "frame; half a bit later the start bit is checked again (a shorter pulse is a glitch and is",
        "ignored), then the 8 data bits (LSB first) and the stop bit are each sampled once, in the",
        "middle of the bit. The receiver re-arms in the middle of the stop bit, so back-to-back",
        "frames and a sender up to ~4% fast or slow are received. A low stop bit is a framing",
        "error: the byte is dropped, frame_err_o pulses and the receiver waits for the line to go",
        "high again (a break does not start a stream of zero bytes).",
    ]);

    public override IReadOnlyList<Port> Ports =>
    [
        Port.Clock(),
        Port.Reset(),
        Port.In("rx_i", 1, "serial input, idle high (asynchronous)"),
        Port.Out("data_o", 8, "a received byte") with { IsReg = true },
        Port.Out("valid_o", 1, "data_o holds a received byte; high for one cycle") with { IsReg = true },
        Port.Out("frame_err_o", 1, "one-cycle pulse: a frame whose stop bit was low") with { IsReg = true },
    ];

    public override IReadOnlyList<Latency> Latencies =>
    [
        new("rx_i", "valid_o", Latency,
            Inv($"valid_o rises {Latency} clock edges after the edge that first sees the start bit low on rx_i: 2 (synchroniser) + 9.5 bits of {Timing.Divisor} clocks (the stop bit's middle), registered")),
    ];

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
