using System.Globalization;

namespace EieHdl.Hardware;

/// <summary>
/// <c>eie_uart_tx</c>: an 8N1 UART transmitter with a valid/ready byte input and a registered
/// serial output, Divisor clocks per bit (<see cref="UartTiming"/>).
/// </summary>
public sealed class UartTx(UartTiming timing) : HardwareUnit
{
    public UartTiming Timing { get; } = timing;

    public override string ModuleName => "eie_uart_tx";

    /// <summary>Clock cycles from the edge that takes a byte to the next edge that can take one (10 bits + 1).</summary>
    public int FrameCycles => 10 * Timing.Divisor + 1;

    public override object TemplateModel => Timing.CounterModel;

    public override string Doc => string.Join("\n",
    [
        Inv($"eie_uart_tx: 8N1 UART transmitter, {Timing.Divisor} clocks per bit ({Timing.ClockHz} Hz / {Timing.Baud} baud)."),
        "A byte is taken when valid_i and ready_o are both high; tx_o then sends the start bit, the",
        "8 data bits LSB first and the stop bit, each Divisor clocks long. tx_o comes straight from",
        "a flip-flop, so the line never glitches, and idles high (also during reset).",
    ]);

    public override IReadOnlyList<Port> Ports =>
    [
        Port.Clock(),
        Port.Reset(),
        Port.In("data_i", 8, "the byte to send; taken in a cycle with valid_i and ready_o high"),
        Port.In("valid_i", 1, "data_i is offered"),
        Port.Out("ready_o", 1, "idle: the next byte may be offered"),
        Port.Out("tx_o", 1, "serial output, idle high") with { IsReg = true },
    ];

    public override IReadOnlyList<Latency> Latencies =>
    [
        new("valid_i", "tx_o", 1, "the start bit appears on tx_o at the edge that takes the byte"),
        new("valid_i", "ready_o", FrameCycles,
            Inv($"ready_o is high again after 10 bits, so bytes offered back to back go out every {FrameCycles} cycles (the stop bit is one clock longer than a bit)")),
    ];

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
