using System.Diagnostics;
using System.Text.Json;
using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.CycleModel;
using EieHdl.Flows;
using EieHdl.Golden;
using EieHdl.Hardware;
using EieHdl.Host;
using EieHdl.IO;
using EieHdl.Tests.Cli;
using EieHdl.Tests.Fpga;
using EieHdl.Tests.Simulation;
using Xunit.Abstractions;

namespace EieHdl.Tests.Board;

/// <summary>
/// The real serial-port path without a board: <see cref="SerialPortLink"/> and `eiehdl board-run`
/// open /dev/pts/N of a <see cref="PseudoTerminal"/> (termios, raw mode, read timeouts: the code
/// a /dev/ttyUSB1 goes through) while the verilated iCEBreaker top of the Board tests
/// (<see cref="BoardSimFixture"/>, ice40-small at 3 Mbaud) answers on the master side.
/// </summary>
[Collection(SimCollection.Name)]
public sealed class SerialPortLinkTests(BoardSimFixture fixture, ITestOutputHelper output) : IClassFixture<BoardSimFixture>
{
    /// <summary>
    /// Where a reply is expected, the wait is not what is tested: a budget this long only turns a
    /// hung link into a failure, and never fails a loaded machine's slow reply.
    /// </summary>
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromMinutes(5);
    private static readonly string ReplyTimeoutSeconds = ReplyTimeout.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A clock that moves on by <see cref="Step"/> each time it is read, and never on its own.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private long now;
        public TimeSpan Step { get; set; }
        public int Reads { get; private set; }
        public TimeSpan Now => TimeSpan.FromTicks(now);
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp()
        {
            Reads++;
            long t = now;
            now += Step.Ticks;
            return t;
        }
    }

    /// <summary>
    /// Two layers (29 -> 8 ReLU -> 7, bias) compiled for <paramref name="config"/> with rows dealt
    /// largest-first, so the outputs come back in another order than the model's and the
    /// command has to put them back.
    /// </summary>
    private static (string Folder, double[] Input) WriteModel(ScratchFolder dir, EieConfig config, int seed)
    {
        var random = new Random(seed);
        int[] sizes = [29, 8, 7];
        var sources = Enumerable.Range(0, 2).Select(l =>
        {
            int inputs = sizes[l], outputs = sizes[l + 1];
            // Every third row dense, the rest sparse: rows of uneven work for the balancer.
            var w = Enumerable.Range(0, inputs * outputs)
                .Select(k => (k / inputs) % 3 == 0 || random.Next(3) == 0 ? (random.NextDouble() - 0.5) * 2 : 0).ToArray();
            var b = Enumerable.Range(0, outputs).Select(_ => (random.NextDouble() - 0.5) * 0.5).ToArray();
            return new LayerSource($"fc{l}", w, outputs, inputs, b, 0.6, Relu: l == 0);
        }).ToArray();
        var model = CompressedModel.Compress(config, sources, balance: true);
        string folder = dir["model"];
        model.Write(folder);
        var input = Enumerable.Range(0, sizes[0]).Select(j => j % 3 == 1 ? 0 : random.NextDouble() * 3 - 1).ToArray();
        Npy.Write(dir["x.npy"], input, input.Length);
        return (folder, input);
    }

    private static int[] Quantize(LoadedModel model, double[] input)
    {
        var fp = new FixedPoint(model.Config);
        return input.Select(fp.QuantizeActivation).ToArray();
    }

    [Fact]
    public void AModelRunsBitExactThroughTheSerialPortLink()
    {
        using var dir = new ScratchFolder();
        var (folder, input) = WriteModel(dir, fixture.Config, seed: 21);
        var model = ModelFolder.Load(folder);
        int[] fixedInput = Quantize(model, input);
        int[] golden = new GoldenModel(model.Image).RunChain(fixedInput);

        BoardRunResult result;
        long bytesIn, bytesOut;
        using (var board = new PtyBoard(fixture))
        {
            using (var link = new SerialPortLink(board.PortName, BoardSimFixture.Baud, ReplyTimeout))
                result = BoardRunFlow.Run(link, model, fixedInput, board.PortName);
            board.Dispose();
            (bytesIn, bytesOut) = (board.BytesIn, board.BytesOut);
        }
        output.WriteLine($"{result.BytesSent} bytes sent, {result.BytesReceived} received, {result.Wall.TotalSeconds:F2} s; run {result.Run.Cycles} cycles");

        Assert.Equal(golden.Length, result.Run.Outputs.Length);
        for (int i = 0; i < golden.Length; i++)
            Assert.True(golden[i] == result.Run.Outputs[i], $"output {i}: over the serial port {result.Run.Outputs[i]}, golden {golden[i]}");
        Assert.Contains(golden, v => v < 0);
        Assert.Equal(new EieCycleModel(model.Image).Run(fixedInput).Cycles, result.Run.Cycles);
        Assert.True(result.Verdict.Match);
        Assert.Equal(BoardIdent.Of(fixture.Config), result.Ident);
        // Every byte the link counted crossed the pty, and nothing else did.
        Assert.Equal(result.BytesSent, bytesIn);
        Assert.Equal(result.BytesReceived, bytesOut);
    }

    [Fact]
    public void BoardRunRunsAModelFolderThroughThePtyAndWritesTheOutputsInTheModelsOrder()
    {
        using var dir = new ScratchFolder();
        var (folder, input) = WriteModel(dir, fixture.Config, seed: 22);
        var model = ModelFolder.Load(folder);
        int[] golden = new GoldenModel(model.Image).RunChain(Quantize(model, input));
        int[] expected = model.InOutputOrder(golden);
        Assert.NotEqual(golden, expected);   // the balancer moved rows, so the order is checked

        CliResult result, again;
        string port;
        using (var board = new PtyBoard(fixture))
        {
            port = board.PortName;
            result = CliRunner.Run(dir.Path, "board-run", "--port", port, "--board", "icebreaker", "--baud", BoardSimFixture.Baud.ToString(), "--timeout", ReplyTimeoutSeconds,
                "--model", "model", "--input", "x.npy", "--config", FpgaTestConfigs.SmallConfigPath, "--out", "out");
            // A second session on the same board, as a user re-running the command would.
            again = CliRunner.Run(dir.Path, "board-run", "--port", port, "--board", "icebreaker", "--baud", BoardSimFixture.Baud.ToString(), "--timeout", ReplyTimeoutSeconds,
                "--model", "model", "--input", "x.npy", "--json");
        }
        output.WriteLine(result.Stdout + result.Stderr);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr} {result.Stdout}");
        Assert.Contains($"eie_icebreaker_top on {port} (1BitSquared iCEBreaker v1.0, 2 PEs, 3000000 baud)", result.Stdout);
        Assert.Contains("Board = golden: yes (7 of 7 outputs bit-exact)", result.Stdout);
        long cycles = new EieCycleModel(model.Image).Run(Quantize(model, input)).Cycles;
        Assert.Contains($"Board cycles = cycle model: yes ({cycles} cycles, ", result.Stdout);
        Assert.Contains("bytes sent", result.Stdout);
        Assert.Equal(expected.Select(v => (double)v), Npy.Read(Path.Combine(dir["out"], "board_output_fixed.npy")).Data);
        var fp = new FixedPoint(model.Config);
        Assert.Equal(expected.Select(fp.ActivationToDouble), Npy.ReadVector(Path.Combine(dir["out"], "board_output.npy")));

        Assert.True(again.ExitCode == 0, $"exit {again.ExitCode}: {again.Stderr} {again.Stdout}");
        using var json = JsonDocument.Parse(again.Stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("match").GetBoolean());
        Assert.Equal(cycles, root.GetProperty("cycles").GetInt64());
        Assert.Equal(port, root.GetProperty("port").GetString());
        Assert.Equal(expected.Select(fp.ActivationToDouble), root.GetProperty("outputs").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(0, root.GetProperty("mismatches").GetInt32());
    }

    [Fact]
    public void AReplyThatDoesNotComeTimesOutNamingThePortAndTheByteCounts()
    {
        using var pty = new PseudoTerminal();
        var timeout = TimeSpan.FromMilliseconds(300);
        using var link = new SerialPortLink(pty.SlaveName, 115_200, timeout);
        link.Send(UartHostProtocol.Ident().Bytes);
        Assert.Equal(new[] { UartHostProtocol.OpIdent }, pty.Read(2000));
        // Half a reply, then silence: the link must give up, not wait for the rest.
        pty.Write([UartHost.IdentMagic, 2]);
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<TimeoutException>(() => link.Receive(4));
        clock.Stop();
        output.WriteLine(e.Message);
        Assert.Contains(pty.SlaveName, e.Message);
        Assert.Contains("expected 4 reply byte(s) within 0.3 s", e.Message);
        Assert.Contains("got 2", e.Message);
        // A loaded machine can only make the wait longer; how much longer is checked on an injected clock below.
        Assert.True(clock.Elapsed >= timeout, $"gave up after {clock.Elapsed.TotalMilliseconds:F0} ms, before the {timeout.TotalMilliseconds} ms timeout");
    }

    [Fact]
    public void TheLinkGivesUpWhenItsClockPassesTheBudgetAndNoLater()
    {
        using var pty = new PseudoTerminal();
        var timeout = TimeSpan.FromSeconds(60);
        var time = new SteppingClock();
        using var link = new SerialPortLink(pty.SlaveName, 115_200, timeout, time);
        link.Send(UartHostProtocol.Ident().Bytes);
        Assert.Equal(new[] { UartHostProtocol.OpIdent }, pty.Read(2000));
        pty.Write([UartHost.IdentMagic, 2]);
        // The budget: the timeout plus the line time of the IDENT byte and the 4 reply bytes.
        var budget = timeout + link.LineTime(1 + 4);
        // Readings: the start, then one per read. The first read (half the budget gone) gets the two
        // bytes; the second is left 200 ms of the budget; the next reading is past it.
        var left = TimeSpan.FromMilliseconds(200);
        time.Step = (budget - left) / 2;
        var wall = Stopwatch.StartNew();
        var e = Assert.Throws<TimeoutException>(() => link.Receive(4));
        wall.Stop();
        output.WriteLine($"{e.Message} ({time.Reads} clock readings, {wall.Elapsed.TotalMilliseconds:F0} ms wall)");
        Assert.Contains(FormattableString.Invariant($"expected 4 reply byte(s) within {budget.TotalSeconds:0.###} s, got 2"), e.Message);
        // The second read waited at most what was left of the budget, not a whole new timeout: on
        // the wall clock 200 ms against 60 s, so load cannot blur the two.
        Assert.True(wall.Elapsed < timeout, $"the link waited {wall.Elapsed.TotalSeconds:F1} s on the wall clock");
        Assert.InRange(time.Reads, 3, 4);
    }

    [Fact]
    public void BoardRunFailsWithOneLineWhenNothingAnswers()
    {
        using var dir = new ScratchFolder();
        WriteModel(dir, fixture.Config, seed: 23);
        using var pty = new PseudoTerminal();
        var result = CliRunner.Run(dir.Path, "board-run", "--port", pty.SlaveName, "--board", "icebreaker",
            "--model", "model", "--input", "x.npy", "--timeout", "0.5", "--out", "out");
        Assert.True(result.ExitCode == 3, $"exit {result.ExitCode}: {result.Stderr} {result.Stdout}");
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"eiehdl: error: {pty.SlaveName}: expected 4 reply byte(s) within ", line);
        Assert.Contains("got 0", line);
        Assert.False(Directory.Exists(dir["out"]));
        // The command sent IDENT and nothing more before giving up.
        Assert.Equal(new[] { UartHostProtocol.OpIdent }, pty.Read(0));
    }

    [Fact]
    public void ABoardBuiltForAnotherConfigIsRefusedAfterIdent()
    {
        using var dir = new ScratchFolder();
        // The same layers for four PEs: the 2-PE board's IDENT must stop the run.
        var fourPes = fixture.Config with { Pes = 4 };
        var (folder, input) = WriteModel(dir, fourPes, seed: 24);

        CliResult result;
        string port;
        using (var board = new PtyBoard(fixture))
        {
            port = board.PortName;
            result = CliRunner.Run(dir.Path, "board-run", "--port", port, "--board", "icebreaker", "--baud", BoardSimFixture.Baud.ToString(), "--timeout", ReplyTimeoutSeconds,
                "--model", "model", "--input", "x.npy", "--out", "out");
            board.Dispose();
            Assert.Equal(1, board.BytesIn);   // IDENT only: no model was sent
        }
        CliRunner.AssertOneLineError(result, $"--port {port}: the board must be built for the model's config",
            $"({BoardIdent.Of(fourPes)})", $"got a board with {BoardIdent.Of(fixture.Config)}");
        Assert.False(Directory.Exists(dir["out"]));

        // In process, the same check on the flow.
        using var again = new PtyBoard(fixture);
        using var link = new SerialPortLink(again.PortName, BoardSimFixture.Baud, ReplyTimeout);
        var e = Assert.Throws<EieInputException>(() => BoardRunFlow.Run(link, ModelFolder.Load(folder), Quantize(ModelFolder.Load(folder), input), again.PortName));
        Assert.Contains("(4 PEs, ", e.Message);
    }

    [Theory]
    [InlineData("--port", "/dev/eiehdl-no-such-tty", "--port: must name an existing serial device, got '/dev/eiehdl-no-such-tty'")]
    [InlineData("--board", "icestick", "--board: must be one of icebreaker, hx8k-breakout, arty-a7, got 'icestick'")]
    [InlineData("--baud", "10000000", "--baud: baud must be in [300, clock / 4 = 7500000], got 10000000")]
    [InlineData("--baud", "2400000", "--baud: baud 2400000 from a 30000000 Hz clock needs a divisor of 12.50")]
    [InlineData("--timeout", "0", "--timeout: must be in (0, 3600] seconds, got 0")]
    public void BadInputIsOneLineAndLeavesNoOutput(string option, string value, string message)
    {
        using var dir = new ScratchFolder();
        WriteModel(dir, fixture.Config, seed: 25);
        using var pty = new PseudoTerminal();
        var args = new Dictionary<string, string>
        {
            ["--port"] = pty.SlaveName, ["--board"] = "icebreaker", ["--model"] = "model", ["--input"] = "x.npy", ["--out"] = "out",
        };
        args[option] = value;
        var result = CliRunner.Run(dir.Path, ["board-run", .. args.SelectMany(a => new[] { a.Key, a.Value })]);
        CliRunner.AssertOneLineError(result, message);
        Assert.False(Directory.Exists(dir["out"]));
        Assert.Empty(pty.Read(0));   // refused before a byte went to the board
    }
}
