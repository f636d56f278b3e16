using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EieHdl.Flows;
using EieHdl.Hardware;
using EieHdl.IO;
using EieHdl.Mnist;
using EieHdl.Simulation;

namespace EieHdl.Cli.Commands;

/// <summary>
/// `eiehdl mnist`: LeNet-300-100 trained on MNIST, Deep-Compressed, EIE-encoded and run on the
/// fixed-point golden model over the 10,000 test images. Trained networks are cached under a
/// hash of the training settings; the report (report.md, report.json) and the model folder
/// go to --out. Progress lines go to stderr.
/// </summary>
internal static class MnistCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Report folder (report.md, report.json, accuracy.png, model/)", DefaultValueFactory = _ => Path.Combine("out", "mnist") };
        var cache = new Option<string?>("--cache") { Description = $"MNIST and trained-network cache folder (default ${MnistFetch.CacheEnvironmentVariable} or out/.cache/mnist of the repository)" };
        var quick = new Option<bool>("--quick") { Description = "Smoke test: 5,000 training images, one epoch per stage" };
        var rtl = new Option<bool>("--rtl") { Description = "Also run the test images through the verilated RTL (front door, model loaded once)" };
        var rtlImages = new Option<int?>("--rtl-images") { Description = "With --rtl or --board: the first N test images (default: all 10,000)" };
        var board = new Option<string?>("--board") { Description = $"Also run the test images through this board's verilated top over its UART pins, bit by bit at the board clock: {Hardware.Board.Names}" };
        var baud = new Option<long?>("--baud") { Description = $"With --board: the UART's baud (default {MnistBoardFlow.DefaultBaud}, the iCEBreaker FTDI's highest)" };
        var noRlc = new Option<bool>("--no-rlc") { Description = "With --board: move acts and outputs raw, one frame per act, instead of RLC-coded" };
        var quiet = new Option<bool>("--quiet") { Description = "No progress lines on stderr" };
        var config = CommonOptions.Config();
        var pes = CommonOptions.Pes();
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("mnist", "Train LeNet-300-100 on MNIST, Deep-Compress it, and run it in fixed point on the golden model")
        {
            output, force, cache, quick, rtl, rtlImages, board, baud, noRlc, quiet, config, pes, CommonOptions.Set(), json,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            string cacheFolder = parse.GetValue(cache) ?? MnistFetch.DefaultCacheFolder();
            OutputPaths.CheckCacheFolder("--cache", cacheFolder);
            string folder = parse.GetValue(output)!;
            // The cache is read as well as written: replacing --out must not take it along.
            var target = OutputFolder.Check("--out", folder, "mnist", parse.GetValue(force), [cacheFolder, parse.GetValue(config)]);
            var cfg = CommonOptions.LoadConfig(parse, config, pes);
            var settings = parse.GetValue(quick) ? MnistSettings.Quick : MnistSettings.Default;
            var progress = new ProgressLog("mnist", parse.GetValue(quiet));
            void Log(string line) => progress.Step(line);
            // Every argument is checked before the download and the training.
            MnistFlow.CheckConfig(cfg, settings, parse.GetValue(config) ?? "config");
            int? rtlCount = parse.GetValue(rtlImages);
            string? boardName = parse.GetValue(board);
            if (rtlCount is not null && !parse.GetValue(rtl) && boardName is null)
                throw new EieInputException($"--rtl-images: needs --rtl or --board, got --rtl-images {rtlCount} alone");
            if (boardName is null && parse.GetValue(baud) is long b)
                throw new EieInputException($"--baud: needs --board, got --baud {b} alone");
            if (boardName is null && parse.GetValue(noRlc))
                throw new EieInputException("--no-rlc: needs --board, got --no-rlc alone");
            BoardOutput? boardTop = null;
            if (boardName is not null)
            {
                boardTop = MnistBoardFlow.Generate(MnistFlow.ConfigFor(cfg, Mlp.LeNet300100), Hardware.Board.Find(boardName), parse.GetValue(baud), parse.GetValue(config) ?? "config");
                if (rtlCount is int n && (n < 1 || n > MnistFlow.TestImages))
                    throw new EieInputException($"--rtl-images: must be in [1, {MnistFlow.TestImages}], got {rtlCount}");
            }
            if (parse.GetValue(rtl))
            {
                cfg.RequireHostLoadable(parse.GetValue(config) ?? "config", "mnist --rtl");
                if (rtlCount is int n && (n < 1 || n > MnistFlow.TestImages))
                    throw new EieInputException($"--rtl-images: must be in [1, {MnistFlow.TestImages}], got {rtlCount}");
            }

            var files = MnistFetch.Ensure(cacheFolder, Log);
            var train = files.LoadTrain();
            var test = files.LoadTest();
            var trained = MnistFlow.Train(train, test, settings, cacheFolder, Log);
            var model = MnistFlow.Compress(cfg, trained);
            var watch = Stopwatch.StartNew();
            var inputs = MnistFlow.QuantizeInputs(model.Config, test);
            var predictions = MnistFlow.GoldenPredictions(model, inputs, out long overflows);
            var report = MnistReport.Build(trained, model, test, predictions, overflows, watch.Elapsed.TotalSeconds, settings);
            if (parse.GetValue(rtl))
            {
                int count = Math.Min(rtlCount ?? test.Count, test.Count);
                report = report with { Rtl = RunRtl(model, test, inputs, predictions, count, Log) };
            }
            string boardText = "";
            object? boardDocument = null;
            if (boardTop is not null)
            {
                int count = Math.Min(rtlCount ?? test.Count, test.Count);
                var (summary, bytes) = RunBoard(boardTop, model, test, inputs, count, !parse.GetValue(noRlc), progress);
                boardText = "\n## Board top over the UART\n\n" + string.Join("\n", MnistBoardFlow.Describe(boardTop, summary, bytes)) + "\n";
                boardDocument = new { board = boardTop.Top.Board.Name, summary, summary.Accuracy, summary.ImagesPerSecond, actBytes = bytes };
            }

            string markdown = report.ToMarkdown() + boardText;
            string document = CommonOptions.ToJson(report);
            target.Write(dir =>
            {
                File.WriteAllText(Path.Combine(dir, "report.md"), markdown, AtomicOutput.Utf8);
                File.WriteAllText(Path.Combine(dir, "report.json"), document + "\n", AtomicOutput.Utf8);
                if (boardDocument is not null)
                    File.WriteAllText(Path.Combine(dir, "board.json"), CommonOptions.ToJson(boardDocument) + "\n", AtomicOutput.Utf8);
                model.Write(Path.Combine(dir, "model"));
                MnistPlot.Save(Path.Combine(dir, "accuracy.png"), report.History, report.GoldenAccuracy);
            });
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(document);
                return 0;
            }
            Console.Write(markdown);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {folder}/: report.md, report.json, {(boardDocument is null ? "" : "board.json, ")}accuracy.png, model/"));
            return 0;
        }));
        return command;
    }

    private static (BoardImagesSummary, ActLinkBytes) RunBoard(BoardOutput board, CompressedModel model, MnistSet test, int[][] inputs,
        int count, bool rlc, ProgressLog progress)
    {
        var bytes = ActLinkBytes.Measure(new UartHostProtocol(model.Config), inputs);
        var library = VerilatedModelBuilder.Build(board.Rtl, board.Top.ModuleName, new VerilatedBuildOptions { Progress = progress.BuildStep });
        progress.Step($"verilated {board.Top.ModuleName} ({model.Config.Pes} PEs) {(library.FromCache ? "from the cache" : "built")}");
        var golden = new Golden.GoldenModel(model.Image);
        var goldenOutputs = new int[count][];
        Parallel.For(0, count, k => goldenOutputs[k] = golden.RunChain(inputs[k]));
        var summary = MnistBoardFlow.Run(board, library, model.Image, inputs.Take(count).ToArray(), test.Labels.Take(count).Select(l => (int)l).ToArray(),
            goldenOutputs, rlc, progress.Step);
        return (summary, bytes);
    }

    private static RtlSummary RunRtl(CompressedModel model, MnistSet test, int[][] inputs, int[] golden, int count, Action<string> log)
    {
        var library = EieTopSim.Build(model.Config, progress: log);
        log($"verilated eie_top ({model.Config.Pes} PEs) {(library.FromCache ? "from the cache" : "built")} in {library.Elapsed.TotalSeconds:F0} s");
        using var sim = new EieTopSim(model.Config, library);
        sim.LoadModel(model.Image);
        var clock = Stopwatch.StartNew();
        int correct = 0, equal = 0;
        long cycles = 0;
        for (int k = 0; k < count; k++)
        {
            var run = sim.RunInput(model.Image, inputs[k]);
            int predicted = Mlp.ArgMax(run.Outputs);
            if (predicted == test.Labels[k]) correct++;
            if (predicted == golden[k] && !run.Error) equal++;
            cycles += run.Cycles;
        }
        return new RtlSummary(count, (double)correct / count, equal, (double)cycles / count, clock.Elapsed.TotalSeconds);
    }
}
