using System.CommandLine;
using EieHdl.Arithmetic;
using EieHdl.Flows;
using EieHdl.IO;
using EieHdl.Workloads;

namespace EieHdl.Cli.Commands;

/// <summary>
/// `eiehdl workload NAME`: makes one of EIE's nine benchmark layers (synthetic, with the
/// paper's statistics), compresses and encodes it, runs the golden model on its input and
/// writes the model folder, the input and the golden output.
/// </summary>
internal static class WorkloadCommand
{
    public const string InputFile = "input.npy", OutputFile = "golden_output.npy", OutputFixedFile = "golden_output_fixed.npy";

    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Benchmark layer: " + string.Join(", ", BenchmarkLayers.Keys) };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the synthetic weights and input", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out") { Description = "Output folder (default out/NAME)" };
        var config = CommonOptions.Config();
        var pes = CommonOptions.Pes();
        var json = CommonOptions.Json();
        var quiet = CommonOptions.Quiet();
        var force = CommonOptions.Force();
        var command = new Command("workload", "Make, compress and run one of EIE's nine benchmark layers (synthetic weights, the paper's shape and densities)")
        {
            name, seed, output, force, config, pes, CommonOptions.Set(), json, quiet,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            var progress = new ProgressLog("workload", parse.GetValue(quiet));
            var spec = BenchmarkLayers.Get(parse.GetValue(name)!);
            string folder = parse.GetValue(output) ?? Path.Combine("out", spec.Key);
            var target = OutputFolder.Check("--out", folder, "workload", parse.GetValue(force), [parse.GetValue(config)]);
            var cfg = CommonOptions.LoadConfig(parse, config, pes);
            ulong s = parse.GetValue(seed);
            BenchmarkChain.CheckFits(cfg, [spec]);

            progress.Step($"making {spec.Name}'s synthetic {spec.Outputs} x {spec.Inputs} weights (seed {s})");
            var layer = SyntheticLayer.Generate(spec, s);
            progress.Step($"compressing: pruning, {cfg.CodebookSize}-entry weight sharing, encoding for {cfg.Pes} PEs");
            var model = CompressedModel.Compress(cfg, [new LayerSource(spec.Key, layer.Weights, spec.Outputs, spec.Inputs, layer.Bias, spec.WeightDensity, Relu: true)]);
            var fp = new FixedPoint(cfg);
            // The workload's own quantisation keeps every active input non-zero (see SyntheticLayer).
            double[] inputs = layer.QuantisedInputs(fp).Select(fp.ActivationToDouble).ToArray();

            LoadedModel loaded = null!;
            LayerRunReport[] reports = [];
            progress.Step("writing the model folder and running the golden model");
            target.Write(tmp =>
            {
                model.Write(tmp);
                Npy.Write(Path.Combine(tmp, InputFile), inputs, spec.Inputs);
                // The golden model runs on the folder as written, so what it checks is what a user gets.
                loaded = ModelFolder.Load(tmp);
                (var runs, reports) = ModelRun.Run(loaded, inputs, [layer.WeightsWithBias()]);
                GoldenCommand.WriteOutputs(tmp, OutputFile, OutputFixedFile, fp, runs[^1].Outputs);
            });
            var storage = ModelRun.Storage(loaded);
            if (parse.GetValue(json))
            {
                CommonOptions.PrintJson(new
                {
                    workload = spec, seed = s, config = cfg, folder, storage, run = reports,
                    files = new[] { ModelFolder.ManifestFile, ModelFolder.ImagesFolder + "/", InputFile, OutputFile, OutputFixedFile },
                });
                return 0;
            }
            Console.WriteLine($"{spec.Name}: {spec.Inputs} inputs -> {spec.Outputs} outputs, {cfg.Pes} PEs, seed {s} " +
                "(synthetic weights with the paper's shape and densities, not the trained network)");
            Summary.PrintStorage(storage);
            Summary.PrintRun(reports);
            Console.WriteLine($"EIE (paper, 64 PEs @ 800 MHz): {spec.PaperActualUs} us = {spec.PaperActualCycles:F0} cycles actual, {spec.PaperTheoreticalCycles:F0} theoretical");
            Console.WriteLine($"Wrote {folder}/: {ModelFolder.ManifestFile}, {ModelFolder.ImagesFolder}/ ($readmemh images), {InputFile}, {OutputFile}, {OutputFixedFile}");
            return 0;
        }));
        return command;
    }
}
