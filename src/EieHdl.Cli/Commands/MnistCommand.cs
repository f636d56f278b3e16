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
        var rtlImages = new Option<int?>("--rtl-images") { Description = "With --rtl: the first N test images (default: all 10,000)" };
        var config = CommonOptions.Config();
        var pes = CommonOptions.Pes();
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("mnist", "Train LeNet-300-100 on MNIST, Deep-Compress it, and run it in fixed point on the golden model")
        {
            output, force, cache, quick, rtl, rtlImages, config, pes, CommonOptions.Set(), json,
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
            void Log(string line) => Console.Error.WriteLine($"mnist: {line}");
            // Every argument is checked before the download and the training.
            MnistFlow.CheckConfig(cfg, settings, parse.GetValue(config) ?? "config");
            int? rtlCount = parse.GetValue(rtlImages);
            if (rtlCount is not null && !parse.GetValue(rtl))
                throw new EieInputException($"--rtl-images: needs --rtl, got --rtl-images {rtlCount} alone");
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

            string markdown = report.ToMarkdown();
            string document = CommonOptions.ToJson(report);
            target.Write(dir =>
            {
                File.WriteAllText(Path.Combine(dir, "report.md"), markdown, AtomicOutput.Utf8);
                File.WriteAllText(Path.Combine(dir, "report.json"), document + "\n", AtomicOutput.Utf8);
                model.Write(Path.Combine(dir, "model"));
                MnistPlot.Save(Path.Combine(dir, "accuracy.png"), report.History, report.GoldenAccuracy);
            });
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(document);
                return 0;
            }
            Console.Write(markdown);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {folder}/: report.md, report.json, accuracy.png, model/"));
            return 0;
        }));
        return command;
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
