using System.CommandLine;
using System.Globalization;
using EieHdl.Arithmetic;
using EieHdl.Flows;
using EieHdl.Hardware;
using EieHdl.Host;
using EieHdl.IO;

namespace EieHdl.Cli.Commands;

/// <summary>
/// `eiehdl board-run`: runs an input through a programmed board over its serial port
/// (<see cref="SerialPortLink"/>, <see cref="BoardRunFlow"/>) and compares every output with the
/// golden model and the cycle count with the cycle model. Exit 0 when they agree, 1 on a
/// mismatch or a failed run, 2 on bad input (a missing port, an unknown board, a baud the board
/// cannot make, a board built for another config), 3 when the board does not answer in time.
/// </summary>
internal static class BoardRunCommand
{
    public const string OutputFile = "board_output.npy";
    public const string OutputFixedFile = "board_output_fixed.npy";

    public static Command Create()
    {
        var port = new Option<string>("--port") { Description = "Serial device of the board's UART, e.g. /dev/ttyUSB1 (iCEBreaker, HX8K breakout: the FTDI's second port)", Required = true };
        var board = new Option<string>("--board") { Description = $"The board the bitstream was built for: {Board.Names}", Required = true };
        var model = new Option<string>("--model") { Description = "Model folder written by `compress` or `workload`", Required = true };
        var input = new Option<string>("--input") { Description = "Input activations, a 1-D .npy (float32/float64 or integer)", Required = true };
        var baud = new Option<long?>("--baud") { Description = "UART baud rate the board top was built with (default: the board's, 115200)" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds a reply may take beyond its bytes' time on the wire", DefaultValueFactory = _ => 2.0 };
        var config = new Option<string?>("--config") { Description = "Configuration JSON the bitstream was built from; must match the model's config (default: the model's own)" };
        var output = new Option<string?>("--out") { Description = "Output folder: board_output.npy and board_output_fixed.npy, in the model's output order" };
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("board-run", "Run an input on a programmed board over its serial port and compare every output with the golden model")
        {
            port, board, model, input, baud, timeout, config, output, force, json,
        };
        command.SetAction(parse => CommonOptions.Run(() => Execute(
            parse.GetValue(port)!, parse.GetValue(board)!, parse.GetValue(model)!, parse.GetValue(input)!, parse.GetValue(baud),
            parse.GetValue(timeout), parse.GetValue(config), parse.GetValue(output), parse.GetValue(force), parse.GetValue(json))));
        return command;
    }

    private static int Execute(string portName, string boardName, string modelPath, string inputPath, long? baud, double timeoutSeconds,
        string? configPath, string? outFolder, bool force, bool json)
    {
        // Every input is checked before the port is opened, so a typo costs no board time.
        var target = Board.Find(boardName);
        var timing = new UartTiming(target.ClockHz, baud ?? target.DefaultBaud, "--baud");
        if (!double.IsFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 3600)
            throw new EieInputException(Inv($"--timeout: must be in (0, 3600] seconds, got {timeoutSeconds}"));
        var outTarget = outFolder is null ? null
            : OutputFolder.Check("--out", outFolder, "board-run", force, [.. CommonOptions.ModelInputs(modelPath), inputPath, configPath, portName]);
        var loaded = ModelFolder.Load(modelPath);
        loaded.RequireConfig(configPath, modelPath);
        loaded.Config.RequireHostLoadable($"model {modelPath}", "board-run");
        var fp = new FixedPoint(loaded.Config);
        int[] fixedInput = loaded.ReadInput(inputPath).Select(fp.QuantizeActivation).ToArray();

        BoardRunResult result;
        try
        {
            using var link = new SerialPortLink(portName, timing.Baud, TimeSpan.FromSeconds(timeoutSeconds));
            result = BoardRunFlow.Run(link, loaded, fixedInput, portName);
        }
        catch (Exception e) when (e is TimeoutException or IOException)
        {
            CommonOptions.PrintError(e.Message.ReplaceLineEndings(" "));
            return 3;
        }
        catch (InvalidOperationException e)
        {
            CommonOptions.PrintError($"--port {portName}: {e.Message.ReplaceLineEndings(" ")}");
            return 1;
        }

        var run = result.Run;
        string? outputPath = null, outputFixedPath = null;
        if (outTarget is not null)
        {
            outTarget.Write(tmp =>
                GoldenCommand.WriteOutputs(tmp, OutputFile, OutputFixedFile, fp, loaded.InOutputOrder(run.Outputs)));
            outputPath = Path.Combine(outTarget.Given, OutputFile);
            outputFixedPath = Path.Combine(outTarget.Given, OutputFixedFile);
        }

        double micros = run.Cycles * 1e6 / target.ClockHz;
        int first = result.Verdict.FirstMismatch;
        var values = loaded.InOutputOrder(run.Outputs).Select(fp.ActivationToDouble).ToArray();
        if (json)
        {
            CommonOptions.PrintJson(new
            {
                port = portName, board = target.Name, module = target.Module, baud = timing.Baud, model = modelPath, input = inputPath,
                pes = result.Ident.Pes, addrBytes = result.Ident.AddrBytes, dataBytes = result.Ident.DataBytes, layers = loaded.Layers.Count,
                outputs = values, cycles = run.Cycles, microseconds = micros, clockHz = target.ClockHz, modelCycles = result.ModelCycles,
                cyclesMatch = result.Verdict.CyclesMatch, match = result.Verdict.Match, mismatches = result.Verdict.Mismatches, errorFlag = run.Status.Error,
                firstMismatch = first < 0 ? null : new { row = first, expected = result.Golden[first], got = run.Outputs[first] },
                bytesSent = result.BytesSent, bytesReceived = result.BytesReceived, seconds = result.Wall.TotalSeconds,
                output = outputPath, outputFixed = outputFixedPath,
            });
        }
        else
        {
            Console.WriteLine(Inv($"{target.Module} on {portName} ({target.Title}, {result.Ident.Pes} PEs, {timing.Baud} baud): model {modelPath}, {loaded.Layers.Count} layer(s), {values.Length} outputs"));
            Console.WriteLine(Inv($"Outputs: min {values.Min():0.####}, max {values.Max():0.####}, {values.Count(v => v == 0)} zero; first: {string.Join(" ", values.Take(8).Select(v => v.ToString("0.####", CultureInfo.InvariantCulture)))}{(values.Length > 8 ? " ..." : "")}"));
            Console.WriteLine($"Board = golden: {(first < 0 ? "yes" : "no")} ({values.Length - result.Verdict.Mismatches} of {values.Length} outputs bit-exact)");
            Console.WriteLine(Inv($"Board cycles = cycle model: {(result.Verdict.CyclesMatch ? "yes" : $"no (model {result.ModelCycles})")} ({run.Cycles} cycles, {micros:0.##} µs at {target.ClockHz / 1e6:0.###} MHz)"));
            if (first >= 0)
                Console.WriteLine($"  first differing output: row {first}, PE {first % loaded.Config.Pes}: golden {result.Golden[first]}, board {run.Outputs[first]}");
            if (run.Status.Error) Console.WriteLine("  error_o is set: a PE addressed a row past its accumulators");
            Console.WriteLine(Inv($"Link: {result.BytesSent} bytes sent, {result.BytesReceived} received, {result.Wall.TotalSeconds:0.###} s wall ({(result.BytesSent + result.BytesReceived) * 10.0 / timing.Baud:0.###} s of it on the wire at {timing.Baud} baud)"));
            if (outputPath is not null) Console.WriteLine($"Wrote {outputPath} and {outputFixedPath}");
        }
        return result.Verdict.Match ? 0 : 1;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
