using System.CommandLine;
using EieHdl.Config;
using EieHdl.IO;
using EieHdl.Study;

namespace EieHdl.Cli.Commands;

/// <summary>
/// `eiehdl study`: the paper's evaluation from the generator's own models: Figs. 8, 11, 12 and
/// 13 from the cycle model, Table IV / Fig. 6 and the break-even sparsity measured on this CPU
/// beside the cycle model's EIE time, into one folder (report.md, a PNG and a CSV per figure,
/// study.json). Sweeps run in parallel over --jobs threads; progress lines go to stderr.
/// </summary>
internal static class StudyCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Study folder (report.md, fig*.png, fig*.csv, study.json, measured/)", DefaultValueFactory = _ => Path.Combine("out", "study") };
        var quick = new Option<bool>("--quick") { Description = "Reduced study (2 layers, 5 PE counts, 5 depths, a 1024 x 1024 break-even layer): under a minute" };
        var jobs = new Option<int?>("--jobs") { Description = "Threads for the sweeps (default: the machine's logical cores)" };
        var config = CommonOptions.Config();
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("study", "The EIE paper's evaluation on this generator: load efficiency, speed-up, padding and load balance sweeps, CPU baselines, break-even sparsity")
        {
            output, force, quick, jobs, config, json,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            string folder = parse.GetValue(output)!;
            var target = OutputFolder.Check("--out", folder, "study", parse.GetValue(force), [parse.GetValue(config)]);
            var cfg = ConfigLoader.Load(parse.GetValue(config), null);
            var plan = parse.GetValue(quick) ? StudyPlan.Quick : StudyPlan.Full;
            int threads = parse.GetValue(jobs) ?? Environment.ProcessorCount;
            StudyRunner.Check(plan, cfg, threads);
            var result = StudyRunner.Run(cfg, plan, threads, measureCpu: true, line => Console.Error.WriteLine($"study: {line}"));
            target.Write(dir => StudyOutput.Write(dir, result));
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
