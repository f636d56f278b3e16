using System.Diagnostics;
using System.Globalization;
using EieHdl.Encoding;
using EieHdl.Hardware;
using EieHdl.Simulation;

namespace EieHdl.Flows;

/// <summary>What the act link costs per image, averaged over a set of inputs.</summary>
/// <param name="Images">Inputs averaged over.</param>
/// <param name="Acts">Acts per input.</param>
/// <param name="PayloadBytes">The acts at ActWidth bits each, uncoded.</param>
/// <param name="RawFrameBytes">The raw act load as the link sends it: one WRITE frame per act (zero acts carry one data byte).</param>
/// <param name="RlcBytes">The ACTS frame: command, count and RLC words.</param>
/// <param name="EntropyBytes">The order-0 entropy bound: the act values' empirical entropy over every input, times Acts, in bytes.</param>
/// <param name="Pairs">(run, level) pairs per input.</param>
/// <param name="NonZero">Non-zero acts per input.</param>
public sealed record ActLinkBytes(int Images, int Acts, double PayloadBytes, double RawFrameBytes, double RlcBytes, double EntropyBytes, double Pairs, double NonZero)
{
    public static ActLinkBytes Measure(UartHostProtocol protocol, IReadOnlyList<int[]> inputs)
    {
        int acts = inputs[0].Length;
        long raw = 0, rlc = 0, pairs = 0, nonZero = 0;
        foreach (var input in inputs)
        {
            raw += protocol.LoadInput(input).Sum(f => (long)f.Bytes.Length);
            rlc += protocol.Acts(input).Bytes.Length;
            pairs += protocol.Rlc.PairsOf(input).Count;
            nonZero += input.Count(a => a != 0);
        }
        // LoadInput's last frame selects the source half; the ACTS path sends it too.
        raw -= inputs.Count * (long)protocol.LoadInput(inputs[0]).Last().Bytes.Length;
        double n = inputs.Count;
        return new ActLinkBytes(inputs.Count, acts, acts * (double)protocol.Rlc.LevelBits / 8, raw / n, rlc / n,
            ActRlc.EntropyBits(inputs) / 8 / n, pairs / n, nonZero / n);
    }
}

/// <summary>Images run through a verilated board top over its UART pins, RLC-coded or raw.</summary>
/// <param name="Images">Images run.</param>
/// <param name="Correct">Predictions equal to the label.</param>
/// <param name="EqualToGolden">Images whose every output equals the golden model's (so the prediction does too).</param>
/// <param name="Rlc">The acts and outputs moved RLC-coded.</param>
/// <param name="ClockHz">The board top's clock.</param>
/// <param name="Baud">The UART's baud (ClockHz / Divisor).</param>
/// <param name="BoardCyclesPerImage">Board clock cycles per image on the wire and in the run: acts in, start, WAIT, cycle counter, outputs out, STATUS.</param>
/// <param name="RunCyclesPerImage">eie_top's cycle counter: the run alone.</param>
/// <param name="BytesSentPerImage">Bytes to the board per image.</param>
/// <param name="BytesReceivedPerImage">Bytes from the board per image.</param>
/// <param name="ModelBytes">Bytes of the one-time model load (IDENT and STATUS included).</param>
/// <param name="Seconds">Wall time of the images' simulation (the model load left out).</param>
public sealed record BoardImagesSummary(
    int Images, int Correct, int EqualToGolden, bool Rlc, long ClockHz, double Baud,
    double BoardCyclesPerImage, double RunCyclesPerImage, double BytesSentPerImage, double BytesReceivedPerImage, long ModelBytes, double Seconds)
{
    public double Accuracy => (double)Correct / Images;

    /// <summary>Images per second on the board: its clock over the board cycles per image (the wire's time, no USB latency).</summary>
    public double ImagesPerSecond => ClockHz / BoardCyclesPerImage;

    /// <summary>Simulated board cycles per wall second.</summary>
    public double SimulatedCyclesPerSecond => BoardCyclesPerImage * Images / Seconds;
}

/// <summary>
/// MNIST through a board top at the UART level: the verilated top's uart_rx_i is driven bit by
/// bit at the board's baud from its clock, uart_tx_o is decoded the same way, and
/// <see cref="UartHostProtocol"/> loads the model once and then runs image after image.
/// </summary>
public static class MnistBoardFlow
{
    /// <summary>The iCEBreaker's FT2232H runs its UART at up to 3 Mbaud.</summary>
    public const long DefaultBaud = 3_000_000;

    /// <summary>The board top for a config that holds the network; refuses a baud the board clock cannot make.</summary>
    public static BoardOutput Generate(Config.EieConfig config, Board board, long? baud, string source)
    {
        config.RequireHostLoadable(source, "mnist --board");
        return BoardRtl.Generate(config, board, baud ?? DefaultBaud);
    }

    public static BoardImagesSummary Run(BoardOutput board, VerilatedLibrary library, ModelImage image, IReadOnlyList<int[]> inputs,
        IReadOnlyList<int> labels, IReadOnlyList<int[]> goldenOutputs, bool rlc, Action<string> progress)
    {
        var protocol = new UartHostProtocol(board.Top.Config);
        using var port = new SimulatedSerialPort(library, board.Top.Timing.Divisor, board.Top.Timing.Divisor)
        {
            // A run of the whole network must fit: a reply may wait for all of it.
            ReceiveTimeoutCycles = 100_000_000,
        };
        var io = new UartExchange(port);
        int version = protocol.CheckIdent(io);
        if (rlc && version < UartHost.RlcVersion)
            throw new InvalidOperationException($"the board top answers IDENT with protocol version {version}, without the RLC frames");
        io.Ask(UartHostProtocol.Status());
        io.Send(UartHostProtocol.Stream(protocol.LoadModel(image)));
        long modelBytes = io.Sent + io.Received;
        progress(Inv($"model loaded over the UART: {modelBytes} bytes, {port.Cycles} board cycles"));

        var clock = Stopwatch.StartNew();
        long start = port.Cycles, runCycles = 0, sent = 0, received = 0;
        int correct = 0, equal = 0;
        var lastReport = Stopwatch.StartNew();
        for (int k = 0; k < inputs.Count; k++)
        {
            var run = protocol.RunInput(io, image, inputs[k], rlc);
            if (run.Status.Error)
                throw new InvalidOperationException($"image {k}: error_o is set after the run");
            if (run.Outputs.AsSpan().SequenceEqual(goldenOutputs[k])) equal++;
            if (Mnist.Mlp.ArgMax(run.Outputs) == labels[k]) correct++;
            runCycles += run.Cycles;
            sent += run.BytesSent;
            received += run.BytesReceived;
            if (lastReport.Elapsed.TotalSeconds >= 10 || k == inputs.Count - 1)
            {
                lastReport.Restart();
                progress(Inv($"{k + 1} of {inputs.Count} images over the UART ({(rlc ? "RLC" : "raw")}), {equal} equal to the golden model, {(double)(port.Cycles - start) / (k + 1):F0} board cycles per image"));
            }
        }
        double n = inputs.Count;
        return new BoardImagesSummary(inputs.Count, correct, equal, rlc, board.Top.Timing.ClockHz, board.Top.Timing.ActualBaud,
            (port.Cycles - start) / n, runCycles / n, sent / n, received / n, modelBytes, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The report lines of a run and of the link's bytes per image.</summary>
    public static IEnumerable<string> Describe(BoardOutput board, BoardImagesSummary s, ActLinkBytes bytes)
    {
        var t = board.Top.Timing;
        yield return Inv($"Board top {board.Top.ModuleName} ({board.Top.Board.Title}), {board.Top.Config.Pes} PEs, {t.ClockHz / 1e6:0.###} MHz, {t.Baud} baud ({t.Divisor} clocks per bit), acts {(s.Rlc ? "RLC-coded" : "raw")}:");
        yield return Inv($"  {s.Images} images over the UART pins: accuracy {s.Accuracy:P2}; every output equal to the golden model for {s.EqualToGolden} of {s.Images}");
        yield return Inv($"  {s.BoardCyclesPerImage:F0} board cycles per image ({s.RunCyclesPerImage:F0} of them the run): {s.ImagesPerSecond:F1} images/s at {t.ClockHz / 1e6:0.###} MHz and {t.Baud} baud (wire time only)");
        yield return Inv($"  {s.BytesSentPerImage:F1} bytes sent and {s.BytesReceivedPerImage:F1} received per image; model load {s.ModelBytes} bytes once");
        yield return Inv($"  simulation: {s.Seconds:F0} s, {s.SimulatedCyclesPerSecond / 1e6:F2} M board cycles/s");
        yield return Inv($"Act bytes per image over {bytes.Images} images ({bytes.Acts} acts, {bytes.NonZero:F1} non-zero, {bytes.Pairs:F1} RLC pairs): raw frames {bytes.RawFrameBytes:F1} (payload {bytes.PayloadBytes:F0}), RLC {bytes.RlcBytes:F1}, entropy bound {bytes.EntropyBytes:F1} (RLC at {bytes.RlcBytes / bytes.EntropyBytes:F2}x the bound)");
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
