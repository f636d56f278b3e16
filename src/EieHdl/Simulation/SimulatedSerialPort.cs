using EieHdl.Hardware;

namespace EieHdl.Simulation;

/// <summary>
/// The PC's end of a verilated board top's UART: bytes go out on uart_rx_i as 8N1 frames of
/// <see cref="HostBitCycles"/> clocks per bit, and uart_tx_o is decoded the way a PC's UART
/// does (start edge, then one sample in the middle of each bit). Every clock of the board runs
/// through <see cref="Tick"/>, so replies are caught even while the host is still sending.
/// A malformed byte on uart_tx_o throws.
/// </summary>
public sealed class SimulatedSerialPort : IUartLink, IDisposable
{
    private readonly VerilatedModel model;
    private readonly int clk, rx, tx;
    private readonly Queue<byte> received = new();
    private int txCount = -1;
    private int txBit;
    private int txByte;
    private bool txLast = true;

    public SimulatedSerialPort(VerilatedLibrary library, int bitCycles, int hostBitCycles)
    {
        model = new VerilatedModel(library);
        BitCycles = bitCycles;
        HostBitCycles = hostBitCycles;
        clk = model.Port("clk_i");
        bool bare = model.Ports.Any(p => p.Name == "rx_i");
        rx = model.Port(bare ? "rx_i" : "uart_rx_i");
        tx = model.Port(bare ? "tx_o" : "uart_tx_o");
        if (model.Ports.Any(p => p.Name == "rst_btn_ni")) model.Set(model.Port("rst_btn_ni"), 1);
        model.Set(rx, 1);
        if (model.Ports.Any(p => p.Name == "rst_ni"))
        {
            // A bare bridge: its own reset port instead of a board's power-on reset.
            model.Set(model.Port("rst_ni"), 0);
            Tick();
            Tick();
            model.Set(model.Port("rst_ni"), 1);
        }
        // The power-on reset: synchroniser plus its counter.
        for (int i = 0; i < 4 + BoardTop.ResetCycles; i++) Tick();
    }

    /// <summary>The verilated model, for a look at ports other than the UART's.</summary>
    public VerilatedModel Model => model;

    /// <summary>The board's clocks per bit (its baud divisor): the receiver samples at this rate.</summary>
    public int BitCycles { get; }

    /// <summary>Clocks per bit of the bytes this port sends (BitCycles, or off by a few percent).</summary>
    public int HostBitCycles { get; }

    /// <summary>Board clock cycles so far.</summary>
    public long Cycles { get; private set; }

    /// <summary>The cycle at which each received byte's start bit appeared on uart_tx_o.</summary>
    public List<long> StartBitCycles { get; } = [];

    /// <summary>Receive gives up after this many cycles without the bytes it waits for.</summary>
    public long ReceiveTimeoutCycles { get; set; } = 200_000;

    public int Pending => received.Count;

    public void Send(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) SendByte(b);
    }

    public void SendByte(byte b)
    {
        // Start bit, 8 data bits LSB first, stop bit.
        for (int bit = 0; bit < 10; bit++)
        {
            int level = bit == 0 ? 0 : bit == 9 ? 1 : (b >> (bit - 1)) & 1;
            model.Set(rx, (ulong)level);
            for (int c = 0; c < HostBitCycles; c++) Tick();
        }
    }

    /// <summary>Drives uart_rx_i to a level for some cycles (a glitch, a break, idle time).</summary>
    public void Hold(int level, long cycles)
    {
        model.Set(rx, (ulong)level);
        for (long c = 0; c < cycles; c++) Tick();
    }

    public byte[] Receive(int count)
    {
        long deadline = Cycles + ReceiveTimeoutCycles;
        while (received.Count < count)
        {
            if (Cycles > deadline)
                throw new TimeoutException($"the board sent {received.Count} of {count} reply bytes in {ReceiveTimeoutCycles} cycles");
            Tick();
        }
        var reply = new byte[count];
        for (int i = 0; i < count; i++) reply[i] = received.Dequeue();
        return reply;
    }

    public void Tick()
    {
        model.Tick(clk);
        Cycles++;
        bool line = model.Get(tx) != 0;
        if (txCount < 0)
        {
            if (txLast && !line)
            {
                // Falling edge: the start bit began at this edge. Sample it again half a bit on.
                StartBitCycles.Add(Cycles);
                txCount = BitCycles / 2;
                txBit = 0;
                txByte = 0;
            }
        }
        else if (--txCount == 0)
        {
            if (txBit == 0)
            {
                if (line) throw new InvalidOperationException($"uart_tx_o: a start bit shorter than half a bit at cycle {Cycles}");
            }
            else if (txBit <= 8)
            {
                txByte |= (line ? 1 : 0) << (txBit - 1);
            }
            else
            {
                if (!line) throw new InvalidOperationException($"uart_tx_o: framing error (stop bit low) at cycle {Cycles}");
                received.Enqueue((byte)txByte);
                txCount = -1;
            }
            if (txCount == 0)
            {
                txBit++;
                txCount = BitCycles;
            }
        }
        txLast = line;
    }

    public void Dispose() => model.Dispose();
}
