using System.Runtime.InteropServices;
using EieHdl.Host;
using EieHdl.Simulation;

namespace EieHdl.Tests.Board;

/// <summary>
/// A pseudo-terminal pair (openpty): the slave, /dev/pts/N, is a tty that a serial-port API
/// opens, configures (termios: raw, 8N1, a baud) and reads with timeouts exactly as it does
/// /dev/ttyUSB1; the master is the far end of its wire. The slave stays open here as well, so
/// the master never sees a hang-up between two openers.
/// </summary>
public sealed class PseudoTerminal : IDisposable
{
    private const short PollIn = 0x001;

    private readonly int slave;
    private bool disposed;

    public PseudoTerminal()
    {
        if (openpty(out int m, out int s, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero) != 0)
            throw new IOException($"openpty failed: errno {Marshal.GetLastPInvokeError()}");
        Master = m;
        slave = s;
        SlaveName = Marshal.PtrToStringAnsi(ptsname(m)) ?? throw new IOException("ptsname returned null");
    }

    /// <summary>The tty a <see cref="EieHdl.Hardware.SerialPortLink"/> opens.</summary>
    public string SlaveName { get; }

    public int Master { get; }

    /// <summary>Bytes the slave side wrote, waiting up to <paramref name="timeoutMs"/> for the first; empty when none came.</summary>
    public byte[] Read(int timeoutMs)
    {
        var fds = new[] { new PollFd { Fd = Master, Events = PollIn } };
        int ready = poll(fds, 1, timeoutMs);
        if (ready < 0) throw new IOException($"poll on the pty master failed: errno {Marshal.GetLastPInvokeError()}");
        if (ready == 0 || (fds[0].Revents & PollIn) == 0) return [];
        var buffer = new byte[4096];
        nint n = read(Master, buffer, buffer.Length);
        if (n < 0) throw new IOException($"read on the pty master failed: errno {Marshal.GetLastPInvokeError()}");
        return buffer[..(int)n];
    }

    /// <summary>Bytes for the slave side to read, as if they came down the wire.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        var buffer = bytes.ToArray();
        for (int done = 0; done < buffer.Length;)
        {
            nint n = write(Master, buffer[done..], buffer.Length - done);
            if (n < 0) throw new IOException($"write on the pty master failed: errno {Marshal.GetLastPInvokeError()}");
            done += (int)n;
        }
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        close(slave);
        close(Master);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int openpty(out int master, out int slave, IntPtr name, IntPtr termios, IntPtr winsize);

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr ptsname(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int poll([In, Out] PollFd[] fds, nuint count, int timeoutMs);

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}

/// <summary>
/// A verilated board top on the master side of a <see cref="PseudoTerminal"/>: a background
/// thread feeds the bytes written to /dev/pts/N into uart_rx_i (<see cref="SimulatedSerialPort"/>)
/// and writes what uart_tx_o sends back to the pty. The board's clock runs only while there is
/// something to do: for the bytes on the way in and <see cref="IdleCycles"/> after them (long
/// enough for a run and its reply), so an idle test does not burn a core.
/// </summary>
public sealed class PtyBoard : IDisposable
{
    /// <summary>Board cycles clocked after the last byte in, for the reply or the run to come out.</summary>
    public const long IdleCycles = 50_000;

    private const int TickBatch = 200;

    private readonly PseudoTerminal pty = new();
    private readonly Thread pump;
    private readonly ManualResetEventSlim started = new();
    private volatile bool stop;
    private Exception? failure;

    public PtyBoard(BoardSimFixture fixture)
    {
        // The model is made, clocked and freed on the pump thread only.
        pump = new Thread(() => Pump(fixture)) { IsBackground = true, Name = "pty board" };
        pump.Start();
        started.Wait();
        if (failure is not null) throw new InvalidOperationException("the simulated board did not start", failure);
    }

    public string PortName => pty.SlaveName;

    /// <summary>Bytes the board received and sent, counted on the master side.</summary>
    public long BytesIn { get; private set; }
    public long BytesOut { get; private set; }

    private void Pump(BoardSimFixture fixture)
    {
        SimulatedSerialPort? board = null;
        try
        {
            board = fixture.Open();
            started.Set();
            long idle = 0;
            while (!stop)
            {
                var incoming = pty.Read(idle > 0 ? 0 : 20);
                if (incoming.Length > 0)
                {
                    board.Send(incoming);
                    BytesIn += incoming.Length;
                    idle = IdleCycles;
                }
                else if (idle > 0)
                {
                    for (int c = 0; c < TickBatch; c++) board.Tick();
                    idle -= TickBatch;
                }
                if (board.Pending > 0)
                {
                    var reply = board.Receive(board.Pending);
                    pty.Write(reply);
                    BytesOut += reply.Length;
                }
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            board?.Dispose();
            started.Set();
        }
    }

    /// <summary>Stops the board; a failure on its thread (a framing error on uart_tx_o, say) fails the test here.</summary>
    public void Dispose()
    {
        if (stop) return;
        stop = true;
        pump.Join();
        pty.Dispose();
        started.Dispose();
        if (failure is not null) throw new InvalidOperationException("the simulated board failed", failure);
    }
}
