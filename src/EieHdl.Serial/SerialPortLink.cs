using System.Globalization;
using System.IO.Ports;
using EieHdl.Hardware;

namespace EieHdl.Host;

/// <summary>
/// The PC's serial port to a board (a USB-UART such as the iCEBreaker's FTDI channel B,
/// /dev/ttyUSB1): 8N1 at the board's baud, no flow control, raw bytes (System.IO.Ports puts
/// the tty in raw mode, so 0x0a, 0x0d and 0x11/0x13 pass untouched). A reply that does not come
/// in time is a <see cref="TimeoutException"/> naming the port and the byte counts, so a board
/// that is not programmed, or runs at another baud, fails in seconds instead of hanging.
/// </summary>
public sealed class SerialPortLink : IUartLink, IDisposable
{
    private readonly SerialPort port;
    private readonly TimeProvider time;

    /// <summary>Bytes sent since the last reply: the board answers only after they are all on the wire.</summary>
    private long unanswered;

    /// <summary>Opens <paramref name="portName"/>; a missing or unopenable device is bad input.</summary>
    /// <param name="replyTimeout">How long a reply may take beyond the line time of the bytes still in flight.</param>
    /// <param name="time">The clock a reply's budget is measured on (the system's by default; tests inject one).</param>
    public SerialPortLink(string portName, long baud, TimeSpan replyTimeout, TimeProvider? time = null)
    {
        this.time = time ?? TimeProvider.System;
        if (!File.Exists(portName))
            throw new EieInputException($"--port: must name an existing serial device, got '{portName}'");
        if (baud < 300 || baud > int.MaxValue)
            throw new EieInputException(Inv($"--baud: must be in [300, {int.MaxValue}], got {baud}"));
        PortName = portName;
        Baud = baud;
        ReplyTimeout = replyTimeout;
        port = new SerialPort(portName, (int)baud, Parity.None, 8, StopBits.One) { Handshake = Handshake.None };
        try
        {
            port.Open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            port.Dispose();
            throw new EieInputException($"--port: must be a serial device this user can open, got '{portName}' ({e.Message.ReplaceLineEndings(" ")})");
        }
        // A run aborted mid-frame leaves the bridge waiting for the rest of that frame; after
        // its frame timeout it takes a command byte again, so wait that out before the first
        // byte. Bytes the board sent before we listened are not replies to anything of ours.
        Thread.Sleep(TimeSpan.FromSeconds(2 * UartTiming.FrameTimeoutSeconds));
        port.DiscardInBuffer();
    }

    public string PortName { get; }
    public long Baud { get; }
    public TimeSpan ReplyTimeout { get; }

    public void Send(ReadOnlySpan<byte> bytes)
    {
        // A write returns once the driver has queued it; at 115200 baud a model of a few
        // kilobytes takes a while to drain, so the write may wait that long too.
        var budget = ReplyTimeout + LineTime(bytes.Length);
        port.WriteTimeout = Milliseconds(budget);
        try
        {
            port.BaseStream.Write(bytes);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(Inv($"{PortName}: could not send {bytes.Length} byte(s) within {budget.TotalSeconds:0.###} s (a stalled USB-UART adapter?)"));
        }
        catch (IOException e)
        {
            throw new IOException($"{PortName}: sending failed: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        unanswered += bytes.Length;
    }

    public byte[] Receive(int count)
    {
        var reply = new byte[count];
        var budget = ReplyTimeout + LineTime(unanswered + count);
        long start = time.GetTimestamp();
        int got = 0;
        while (got < count)
        {
            var left = budget - time.GetElapsedTime(start);
            if (left <= TimeSpan.Zero) throw NoReply(count, got, budget);
            port.ReadTimeout = Milliseconds(left);
            try
            {
                got += port.BaseStream.Read(reply, got, count - got);
            }
            catch (TimeoutException)
            {
                throw NoReply(count, got, budget);
            }
            catch (IOException e)
            {
                throw new IOException($"{PortName}: receiving failed after {got} of {count} reply byte(s): {e.Message.ReplaceLineEndings(" ")}", e);
            }
        }
        unanswered = 0;
        return reply;
    }

    /// <summary>Time the bytes take on the wire: 10 bits each (start, 8 data, stop).</summary>
    public TimeSpan LineTime(long bytes) => TimeSpan.FromSeconds(bytes * 10.0 / Baud);

    public void Dispose() => port.Dispose();

    private TimeoutException NoReply(int count, int got, TimeSpan budget) => new(Inv(
        $"{PortName}: expected {count} reply byte(s) within {budget.TotalSeconds:0.###} s, got {got} (is the board programmed with an EieHdl board top at {Baud} baud?)"));

    private static int Milliseconds(TimeSpan t) => (int)Math.Clamp(Math.Ceiling(t.TotalMilliseconds), 1, int.MaxValue);

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
