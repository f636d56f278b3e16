using System.CommandLine;
using EieHdl.Config;
using EieHdl.Energy;
using EieHdl.IO;
using EieHdl.Mnist;
using EieHdl.Study;

namespace EieHdl.Cli.Commands;

/// <summary>
/// `eiehdl study`: the paper's evaluation from the generator's own models: Figs. 8, 11, 12 and
/// 13 from the cycle model, Figs. 9, 7 (analogue), Table V (analogue) and Fig. 10's
/// multiplier energy from the energy model and a technology file, Table IV / Fig. 6 and the break-even sparsity measured on this CPU
/// beside the cycle model's EIE time, into one folder (report.md, a PNG and a CSV per figure,
/// study.json); --fpga-mhz adds EIE's time at a given clock to Table IV. Sweeps run in parallel over --jobs threads; progress lines go to stderr.
/// </summary>
internal static class StudyCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Study folder (report.md, fig*.png, fig*.csv, study.json, measured/)", DefaultValueFactory = _ => Path.Combine("out", "study") };
        var quick = new Option<bool>("--quick") { Description = "Reduced study (2 layers, 5 PE counts, 5 depths, a 1024 x 1024 break-even layer): under a minute" };
        var jobs = new Option<int?>("--jobs") { Description = "Threads for the sweeps (default: the machine's logical cores)" };
        var mnist = new Option<bool>("--mnist") { Description = "Also Fig. 10: LeNet-300-100 accuracy vs precision on the mnist flow's network (fetches MNIST and trains once if the cache has none)" };
        var cache = new Option<string?>("--cache") { Description = $"With --mnist: MNIST and trained-network cache folder (default ${MnistFetch.CacheEnvironmentVariable} or out/.cache/mnist of the repository)" };
        var tech = new Option<string?>("--tech") { Description = "Technology file of the energy figures (default hw/tech/45nm.json; format in docs/energy.md)" };
        var fpgaMhz = new Option<string?>("--fpga-mhz") { Description = $"Also give Table IV's EIE time and speed-up at this clock in MHz, e.g. the Fmax `eiehdl synth` reports (the same cycles; positive, at most {StudyRunner.MaxFpgaMhz})" };
        var set = CommonOptions.Set();
        var config = CommonOptions.Config();
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("study", "The EIE paper's evaluation on this generator: load efficiency, speed-up, padding and load balance sweeps, CPU baselines, break-even sparsity")
        {
            output, force, quick, jobs, mnist, cache, config, set, tech, fpgaMhz, json,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            string folder = parse.GetValue(output)!;
            double? clockMhz = parse.GetValue(fpgaMhz) is { } mhz ? StudyRunner.ParseFpgaMhz(mhz) : null;
            string? cacheFolder = parse.GetValue(cache);
            if (cacheFolder is not null && !parse.GetValue(mnist))
                throw new EieInputException($"--cache: needs --mnist, got --cache {cacheFolder} alone");
            if (parse.GetValue(mnist)) OutputPaths.CheckCacheFolder("--cache", cacheFolder ??= MnistFetch.DefaultCacheFolder());
            string techPath = parse.GetValue(tech) ?? TechModel.DefaultPath();
            var technology = TechModel.Load(techPath);
            // The cache is read as well as written: replacing --out must not take it along.
            var target = OutputFolder.Check("--out", folder, "study", parse.GetValue(force), [parse.GetValue(config), cacheFolder, techPath]);
            var cfg = ConfigLoader.Load(parse.GetValue(config), null, parse.GetValue(set));
            var plan = parse.GetValue(quick) ? StudyPlan.Quick : StudyPlan.Full;
            int threads = parse.GetValue(jobs) ?? Environment.ProcessorCount;
            StudyRunner.Check(plan, cfg, threads);
            var settings = parse.GetValue(quick) ? MnistSettings.Quick : MnistSettings.Default;
            if (parse.GetValue(mnist)) MnistFlow.CheckConfig(cfg, settings, parse.GetValue(config) ?? "config");
            void Log(string line) => Console.Error.WriteLine($"study: {line}");
            Func<(TrainedLeNet, MnistSet)>? network = parse.GetValue(mnist) ? () =>
            {
                var files = MnistFetch.Ensure(cacheFolder, Log);
                var test = files.LoadTest();
                return (MnistFlow.Train(files.LoadTrain(), test, settings, cacheFolder, Log), test);
            } : null;
            var result = StudyRunner.Run(cfg, plan, threads, measureCpu: true, Log, technology, network, clockMhz);
            target.Write(dir => StudyOutput.Write(dir, result, StudyPlots.Draw));
            if (parse.GetValue(json))
            {
                CommonOptions.PrintJson(new { @out = folder, plan = plan.Name, seconds = result.Seconds, files = StudyOutput.DeterministicFiles.Concat(StudyOutput.MeasuredFiles).Prepend("report.md") });
                return 0;
            }
            Console.WriteLine($"Wrote {folder}/: report.md, study.json, {string.Join(", ", StudyOutput.DeterministicFiles.Where(f => f.EndsWith(".png")))}, {StudyOutput.MeasuredFolder}/ (CPU timings); {result.Seconds:F0} s");
            return 0;
        }));
        return command;
    }
}
