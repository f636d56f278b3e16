using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EieHdl.IO;
using EieHdl.Mnist;

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
        var config = CommonOptions.Config();
        var pes = CommonOptions.Pes();
        var json = CommonOptions.Json();
        var command = new Command("mnist", "Train LeNet-300-100 on MNIST, Deep-Compress it, and run it in fixed point on the golden model")
        {
            output, cache, quick, config, pes, json,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            var cfg = CommonOptions.LoadConfig(parse, config, pes);
            string cacheFolder = parse.GetValue(cache) ?? MnistFetch.DefaultCacheFolder();
            var settings = parse.GetValue(quick) ? MnistSettings.Quick : MnistSettings.Default;
            void Log(string line) => Console.Error.WriteLine($"mnist: {line}");

            var files = MnistFetch.Ensure(cacheFolder);
            var train = files.LoadTrain();
            var test = files.LoadTest();
            var trained = MnistFlow.Train(train, test, settings, cacheFolder, Log);
            var model = MnistFlow.Compress(cfg, trained);
            var watch = Stopwatch.StartNew();
            var inputs = MnistFlow.QuantizeInputs(model.Config, test);
            var predictions = MnistFlow.GoldenPredictions(model, inputs, out long overflows);
            var report = MnistReport.Build(trained, model, test, predictions, overflows, watch.Elapsed.TotalSeconds, settings);

            string folder = parse.GetValue(output)!;
            string markdown = report.ToMarkdown();
            string document = CommonOptions.ToJson(report);
            AtomicOutput.WriteFolder(folder, dir =>
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
}
