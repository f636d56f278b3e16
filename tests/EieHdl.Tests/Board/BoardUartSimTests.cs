using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Golden;
using EieHdl.Hardware;
using EieHdl.Simulation;
using EieHdl.Tests.Fpga;
using EieHdl.Tests.Simulation;
using Xunit.Abstractions;

namespace EieHdl.Tests.Board;

/// <summary>
/// The iCEBreaker top with hw/configs/ice40-small.json at 3 Mbaud (10 clocks per bit at the 30 MHz PLL clock,
/// to keep the simulation short), verilated once for the class.
/// </summary>
public sealed class BoardSimFixture
{
    public const long Baud = 3_000_000;

    private readonly Lazy<VerilatedLibrary> library;

    public BoardSimFixture()
    {
        Config = FpgaTestConfigs.Small;
        Output = BoardRtl.Generate(Config, global::EieHdl.Hardware.Board.IceBreaker, Baud);
        library = new(() => VerilatedModelBuilder.Build(Output.Rtl, Output.Top.ModuleName));
    }

    public EieConfig Config { get; }
    public BoardOutput Output { get; }
    public VerilatedLibrary Library => library.Value;
    public int Divisor => Output.Top.Timing.Divisor;

    public SimulatedSerialPort Open(int? hostBitCycles = null) => new(Library, Divisor, hostBitCycles ?? Divisor);
}

/// <summary>
/// The board top end to end through its serial pins only: a PC-side serial port (bytes in on
/// uart_rx_i, bytes decoded from uart_tx_o) loads a random two-layer model with
/// <see cref="UartHostProtocol"/>, runs it and reads the outputs and cycle count, which must equal
/// the golden model's bit for bit and the cycle model's count.
/// </summary>
[Collection(SimCollection.Name)]
public sealed class BoardUartSimTests(BoardSimFixture fixture, ITestOutputHelper output) : IClassFixture<BoardSimFixture>
{
    internal static (ModelImage Image, int[] Input, int[] Expected) RandomCase(EieConfig config, int seed)
    {
        var random = new Random(seed);
        // ice40-small: 2 PEs, ActRegEntries 4 (8 outputs), 32-act halves per PE.
        int[] sizes = [29, 8, 7];
        var image = ModelImage.Build(config, RandomModels.Layers(config, random, sizes, l => 0.4 + 0.3 * l, l => l == 0));
        var input = RandomModels.Input(config, random, sizes[0], -1, 2);
        return (image, input, new GoldenModel(image).RunChain(input));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, true)]
    [InlineData(1, false)]
    public void ARandomLayerRunsBitExactOverTheUart(int seed, bool rlc)
    {
        var config = fixture.Config;
        var (image, input, expected) = RandomCase(config, seed);
        var protocol = new UartHostProtocol(config);
        using var port = fixture.Open();
        var run = protocol.Run(port, image, input, rlc);
        output.WriteLine($"{run.BytesSent} bytes sent, {run.BytesReceived} received, {port.Cycles} board cycles; run {run.Cycles} cycles");

        Assert.Equal(expected.Length, run.Outputs.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i] == run.Outputs[i], $"output {i}: over the UART {run.Outputs[i]}, golden {expected[i]}");
        Assert.Contains(expected, v => v < 0);
        Assert.False(run.Status.Error);
        Assert.True(run.Status.Done);
        Assert.Equal(new global::EieHdl.CycleModel.EieCycleModel(image).Run(input).Cycles, run.Cycles);
        Assert.Equal(0, port.Pending);
    }

    [Fact]
    public void TheRlcPathEqualsTheRawPathImageAfterImage()
    {
        // One model, then inputs RLC-coded and raw in turn on the same board: same outputs and
        // cycles, fewer bytes with RLC.
        var config = fixture.Config;
        var (image, _, _) = RandomCase(config, 3);
        var protocol = new UartHostProtocol(config);
        var random = new Random(3);
        using var port = fixture.Open();
        var io = new UartExchange(port);
        Assert.Equal(UartHost.RlcVersion, protocol.CheckIdent(io));
        io.Send(UartHostProtocol.Stream(protocol.LoadModel(image)));
        for (int k = 0; k < 4; k++)
        {
            var input = Enumerable.Range(0, image.Layers[0].Inputs)
                .Select(j => random.NextDouble() < 0.3 * k ? random.Next(-3000, 3000) : 0).ToArray();
            var golden = new GoldenModel(image).RunChain(input);
            var coded = protocol.RunInput(io, image, input, rlc: true);
            var raw = protocol.RunInput(io, image, input, rlc: false);
            Assert.Equal(golden, coded.Outputs);
            Assert.Equal(golden, raw.Outputs);
            Assert.Equal(raw.Cycles, coded.Cycles);
            Assert.True(coded.BytesSent < raw.BytesSent, $"input {k}: RLC sent {coded.BytesSent} bytes, raw {raw.BytesSent}");
        }
    }

    [Fact]
    public void ActsAndOutsMoveHandBuiltVectorsBitExact()
    {
        // ice40-small: 64 acts per half (2 PEs x 32). ACTS writes, raw reads check every act,
        // and OUTS must return exactly the words the C# encoder makes of the same acts.
        var protocol = new UartHostProtocol(fixture.Config);
        var p = protocol.Host.Params;
        int capacity = (int)protocol.ActCapacity;
        var random = new Random(5);
        int[][] vectors =
        [
            new int[capacity],
            Enumerable.Range(0, capacity).Select(j => j % 2 == 0 ? -32768 + j : 32767 - j).ToArray(),
            [0, 0, 12, 0, 0, 0, 0, 53, 0, 0, 22],
            [.. new int[40], -7, .. new int[23]],
            [-1],
            [0],
            Enumerable.Range(0, 37).Select(_ => random.NextDouble() < 0.25 ? random.Next(-32768, 32768) : 0).ToArray(),
            Enumerable.Range(0, capacity).Select(_ => random.NextDouble() < 0.1 ? random.Next(1, 100) : 0).ToArray(),
        ];
        using var port = fixture.Open();
        var io = new UartExchange(port);
        foreach (var (acts, v) in vectors.Select((a, v) => (a, v)))
        {
            int half = v % 2;
            // Stale acts that the vector's zeros must overwrite.
            for (int j = 0; j < acts.Length; j++)
                io.Send(protocol.Write(p.Address(HostRegion.Act, j % p.Pes, p.ActOffset(half, j / p.Pes)), 0x5a5a).Bytes);
            var status = UartStatus.Decode(io.Ask(protocol.Acts(acts, half))[0]);
            Assert.False(status.Dropped, $"vector {v}: dropped");
            for (int j = 0; j < acts.Length; j++)
            {
                int got = protocol.DecodeAct(io.Ask(protocol.Read(p.Address(HostRegion.Act, j % p.Pes, p.ActOffset(half, j / p.Pes)), 2)));
                Assert.True(acts[j] == got, $"vector {v}, act {j}: written {acts[j]}, read {got}");
            }
            io.Send(protocol.Outs(acts.Length, half).Bytes);
            var expected = protocol.Rlc.EncodeBytes(acts);
            Assert.Equal(expected, io.Receive(expected.Length));
            Assert.Equal(acts, protocol.ReadRlc(io, acts.Length, half));
        }
        Assert.False(UartStatus.Decode(io.Ask(UartHostProtocol.Status())[0]).Dropped);
        Assert.Equal(0, port.Pending);
    }

    [Fact]
    public void AnRlcCountOutOfRangeIsDroppedAndFlagged()
    {
        var protocol = new UartHostProtocol(fixture.Config);
        using var port = fixture.Open();
        foreach (long count in new[] { 0, protocol.ActCapacity + 1 })
        {
            var frame = new byte[1 + protocol.CountBytes];
            frame[0] = UartHostProtocol.OpOuts;
            for (int k = 0; k < protocol.CountBytes; k++) frame[1 + k] = (byte)(count >> (8 * k));
            port.Send(frame);
            port.Send(UartHostProtocol.Status().Bytes);
            Assert.True(UartStatus.Decode(port.Receive(1)[0]).Dropped, $"count {count}");
        }
        Assert.Equal(0, port.Pending);
    }

    [Fact]
    public void IdentAndStatusAnswerAtTheDocumentedTurnaround()
    {
        using var port = fixture.Open();
        var host = fixture.Output.Top.Host;
        long sent = port.Cycles;
        port.Send(UartHostProtocol.Ident().Bytes);
        Assert.Equal(new UartHostProtocol(fixture.Config).ExpectedIdent, port.Receive(4));
        // The start edge of the command byte reached rx_i at the first tick of SendByte.
        Assert.Equal(host.Rx.Latency + UartHost.StatusTurnaround, port.StartBitCycles[0] - (sent + 1));

        // A read: its reply leaves ReadReplyLatency cycles after the last address byte's start bit.
        var protocol = new UartHostProtocol(fixture.Config);
        var read = protocol.ReadCycles();
        port.Send(read.Bytes.AsSpan(0, read.Bytes.Length - 1));
        long lastByte = port.Cycles;
        port.Send(read.Bytes.AsSpan(read.Bytes.Length - 1));
        Assert.Equal(new byte[4], port.Receive(4));
        Assert.Equal(host.ReadReplyLatency, port.StartBitCycles[4] - (lastByte + 1));

        port.Send(UartHostProtocol.Status().Bytes);
        var status = UartStatus.Decode(port.Receive(1)[0]);
        Assert.Equal(new UartStatus(false, false, false, false), status);
    }

    [Fact]
    public void WritesReadBackThroughTheBridge()
    {
        // eie_top reads back acts and CCU registers (spmat words are checked by the run above:
        // a wrong byte lane would change the outputs).
        var protocol = new UartHostProtocol(fixture.Config);
        var p = protocol.Host.Params;
        using var port = fixture.Open();
        ulong a0 = p.Address(HostRegion.Act, 0, p.ActOffset(1, 5)), a1 = p.Address(HostRegion.Act, 1, p.ActOffset(0, 31));
        port.Send(protocol.Write(a0, 0xbeef).Bytes);
        port.Send(protocol.Write(a1, 0x0102).Bytes);
        port.Send(protocol.Read(a0, 2).Bytes);
        Assert.Equal(0xbeefUL, UartHostProtocol.DecodeWord(port.Receive(2)));
        port.Send(protocol.Read(a1, 2).Bytes);
        Assert.Equal(0x0102UL, UartHostProtocol.DecodeWord(port.Receive(2)));
        // A one-byte write zero-extends: the old upper byte is gone.
        port.Send(protocol.Write(a0, 0x5a).Bytes);
        port.Send(protocol.Read(a0, 2).Bytes);
        Assert.Equal(0x5aUL, UartHostProtocol.DecodeWord(port.Receive(2)));
        // A read of one byte returns the low byte only.
        port.Send(protocol.Read(a1, 1).Bytes);
        Assert.Equal(new byte[] { 0x02 }, port.Receive(1));
        port.Send(UartHostProtocol.Status().Bytes);
        Assert.False(UartStatus.Decode(port.Receive(1)[0]).Dropped);
    }

    [Fact]
    public void AGlitchAndAnUnfinishedFrameAreDroppedAndFlagged()
    {
        var protocol = new UartHostProtocol(fixture.Config);
        var p = protocol.Host.Params;
        var top = fixture.Output.Top;
        using var port = fixture.Open();
        ulong act = p.Address(HostRegion.Act, 1, p.ActOffset(0, 2));
        port.Send(protocol.Write(act, 0x1234).Bytes);

        // A low pulse shorter than half a bit is no start bit: nothing happens.
        port.Hold(0, fixture.Divisor / 2 - 1);
        port.Hold(1, 20L * fixture.Divisor);
        port.Send(UartHostProtocol.Status().Bytes);
        Assert.False(UartStatus.Decode(port.Receive(1)[0]).Dropped);

        // A write cut off after its address: after the timeout the parser takes a command byte
        // again, and the frame never reached the bus.
        var frame = protocol.Write(act, 0x7777).Bytes;
        port.Send(frame.AsSpan(0, 1 + protocol.AddrBytes));
        port.Hold(1, top.Timing.TimeoutCycles + 10);
        port.Send(UartHostProtocol.Status().Bytes);
        Assert.True(UartStatus.Decode(port.Receive(1)[0]).Dropped);
        port.Send(protocol.Read(act, 2).Bytes);
        Assert.Equal(0x1234UL, UartHostProtocol.DecodeWord(port.Receive(2)));

        // A framing error (stop bit low) and an unknown op are flagged too; STATUS clears the flag.
        port.Hold(0, 12L * fixture.Divisor);
        port.Hold(1, 4L * fixture.Divisor);
        port.Send(UartHostProtocol.Status().Bytes);
        Assert.True(UartStatus.Decode(port.Receive(1)[0]).Dropped);
        port.Send(UartHostProtocol.Status().Bytes);
        Assert.False(UartStatus.Decode(port.Receive(1)[0]).Dropped);
        port.SendByte(0xa0);
        port.Send(UartHostProtocol.Status().Bytes);
        Assert.True(UartStatus.Decode(port.Receive(1)[0]).Dropped);
    }
}
