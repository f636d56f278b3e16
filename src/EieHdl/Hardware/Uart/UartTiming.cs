using System.Globalization;

namespace EieHdl.Hardware;

/// <summary>
/// The serial timing of a board's UART link, decided in C#: clocks per bit (the baud divisor,
/// the nearest integer to ClockHz / Baud) and the receiver's frame timeout. A divisor below 4
/// leaves no room for mid-bit sampling behind the 2-flop synchroniser, and a rate error above
/// 2% can misplace the last sample of a frame, so both are refused as bad input.
/// </summary>
public sealed record UartTiming
{
    public const int MinDivisor = 4;
    public const double MaxRateError = 0.02;

    /// <summary>A frame left unfinished for this long is dropped (USB-serial bridges pause for ~1 ms between packets).</summary>
    public const double FrameTimeoutSeconds = 0.02;

    public UartTiming(long clockHz, long baud, string source = "uart")
    {
        if (clockHz < 1_000 || clockHz > 2_000_000_000)
            throw new EieInputException(Inv($"{source}: clock frequency must be in [1000, 2000000000] Hz, got {clockHz}"));
        if (baud < 300 || baud > clockHz / MinDivisor)
            throw new EieInputException(Inv($"{source}: baud must be in [300, clock / {MinDivisor} = {clockHz / MinDivisor}], got {baud}"));
        ClockHz = clockHz;
        Baud = baud;
        Divisor = (int)Math.Round((double)clockHz / baud, MidpointRounding.AwayFromZero);
        RateError = Math.Abs((double)clockHz / Divisor - baud) / baud;
        if (RateError > MaxRateError)
            throw new EieInputException(Inv(
                $"{source}: baud {baud} from a {clockHz} Hz clock needs a divisor of {(double)clockHz / baud:F2}; the nearest, {Divisor}, is {RateError * 100:0.0}% off, limit {MaxRateError * 100:0}%"));
        // At least 64 byte times, so that a slow link never times out inside a burst.
        TimeoutCycles = Math.Max((long)(clockHz * FrameTimeoutSeconds), 64L * 10 * Divisor);
    }

    public long ClockHz { get; }
    public long Baud { get; }

    /// <summary>Clock cycles per bit.</summary>
    public int Divisor { get; }

    /// <summary>|ClockHz / Divisor - Baud| / Baud.</summary>
    public double RateError { get; }

    /// <summary>Idle cycles after which a half-received frame is dropped.</summary>
    public long TimeoutCycles { get; }

    /// <summary>Bits of a counter that counts down from Divisor - 1.</summary>
    public int CountWidth => VerilogText.IndexBits(Divisor);

    /// <summary>
    /// The bit counter of eie_uart_rx and eie_uart_tx: CountWidth + 1 bits, loaded with n - 1 to
    /// wait n + 1 cycles, so that it runs below zero into its top bit, the tick (a flip-flop
    /// where a compare with zero would be logic ahead of every next-state decision).
    /// </summary>
    public object CounterModel
    {
        get
        {
            int w = CountWidth + 1;
            // n >= 1, as Divisor >= MinDivisor.
            string Load(int n) => VerilogText.Dec(w, n - 1);
            return new
            {
                CountRange = VerilogText.Range(w),
                CountTick = CountWidth,
                BitLoad = Load(Divisor - 1),
                HalfLoad = Load(Divisor / 2 - 1),
                CountZero = VerilogText.Dec(w, 0),
                CountOne = VerilogText.Dec(w, 1),
            };
        }
    }

    /// <summary>The baud rate the divisor actually gives.</summary>
    public double ActualBaud => (double)ClockHz / Divisor;

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
