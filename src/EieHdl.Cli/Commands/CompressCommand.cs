using System.CommandLine;
using System.Globalization;
using EieHdl.Compression;
using EieHdl.Flows;
using EieHdl.IO;

namespace EieHdl.Cli.Commands;

/// <summary>
/// `eiehdl compress`: Deep Compression of a user's fully-connected layers (one .npy per layer,
/// shape outputs x inputs as PyTorch's nn.Linear stores it) into an EIE model folder.
/// </summary>
internal static class CompressCommand
{
    public static Command Create()
    {
        var weights = new Option<string[]>("--weights") { Description = "Weight matrices, 2-D .npy (outputs x inputs, float32/float64), one per layer in chain order", Required = true, AllowMultipleArgumentsPerToken = true };
        var bias = new Option<string[]>("--bias") { Description = "Bias vectors, 1-D .npy, one per layer (all layers or none)", AllowMultipleArgumentsPerToken = true };
        var density = new Option<double[]>("--density") { Description = "Fraction of weights kept, in (0, 1]: one value for all layers or one per layer", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [0.09] };
        var noReluLast = new Option<bool>("--no-relu-last") { Description = "Leave the last layer's outputs without ReLU (e.g. logits read by argmax)" };
        var balance = new Option<bool>("--balance") { Description = "Deal each layer's rows to the PEs largest-first instead of interleaving (fewer cycles on uneven layers); the manifest records the output order and golden/cosim write outputs in the original order" };
        var output = new Option<string>("--out") { Description = "Output model folder", Required = true };
        var config = CommonOptions.Config();
        var pes = CommonOptions.Pes();
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var plot = CommonOptions.Plot("each layer's weight histogram with the pruning cut and the shared values");
        var command = new Command("compress", "Prune, weight-share and EIE-encode fully-connected layers from .npy files")
        {
            weights, bias, density, noReluLast, balance, output, force, config, pes, CommonOptions.Set(), json, plot,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            string[] weightFiles = parse.GetValue(weights)!;
            string[] biasFiles = parse.GetValue(bias) ?? [];
            string folder = parse.GetValue(output)!;
            var target = OutputFolder.Check("--out", folder, "compress", parse.GetValue(force),
                [.. weightFiles, .. biasFiles, parse.GetValue(config)]);
            string? plotPath = parse.GetValue(plot);
            var plotTarget = CommonOptions.PlotTarget(plotPath, [.. weightFiles, .. biasFiles, parse.GetValue(config)]);
            var cfg = CommonOptions.LoadConfig(parse, config, pes);
            double[] densities = parse.GetValue(density)!;
            if (biasFiles.Length != 0 && biasFiles.Length != weightFiles.Length)
                throw new EieInputException($"--bias: must name one file per --weights file ({weightFiles.Length}), got {biasFiles.Length}");
            if (densities.Length != 1 && densities.Length != weightFiles.Length)
                throw new EieInputException($"--density: must give 1 value or one per --weights file ({weightFiles.Length}), got {densities.Length}");

            var sources = new List<LayerSource>();
            for (int l = 0; l < weightFiles.Length; l++)
            {
                double[] w = Npy.ReadMatrix(weightFiles[l], out int outputs, out int inputs);
                if (outputs < 1 || inputs < 1)
                    throw new EieInputException($"{weightFiles[l]}: must have at least 1 row and 1 column, got shape {outputs} x {inputs}");
                RequireFinite(weightFiles[l], w, inputs);
                double[]? b = null;
                if (biasFiles.Length != 0)
                {
                    b = Npy.ReadVector(biasFiles[l]);
                    if (b.Length != outputs)
                        throw new EieInputException($"{biasFiles[l]}: must have {outputs} values (rows of {weightFiles[l]}), got {b.Length}");
                    RequireFinite(biasFiles[l], b, 1);
                }
                string name = Path.GetFileNameWithoutExtension(weightFiles[l]);
                if (sources.Any(s => s.Name == name)) name = string.Create(CultureInfo.InvariantCulture, $"{name}_{l}");
                bool relu = l < weightFiles.Length - 1 || !parse.GetValue(noReluLast);
                sources.Add(new LayerSource(name, w, outputs, inputs, b, densities[densities.Length == 1 ? 0 : l], relu));
            }
            for (int l = 1; l < sources.Count; l++)
                if (sources[l].Inputs != sources[l - 1].Outputs)
                    throw new EieInputException(
                        $"{weightFiles[l]}: must have {sources[l - 1].Outputs} columns (the outputs of {weightFiles[l - 1]}), got {sources[l].Inputs}");

            var model = CompressedModel.Compress(cfg, sources, parse.GetValue(balance));
            LayerStorageReport[] storage = [];
            target.Write(tmp =>
            {
                model.Write(tmp);
                // Read back before the folder goes into place: a concurrent run may replace it at once.
                storage = ModelRun.Storage(ModelFolder.Load(tmp));
            });
            plotTarget?.Write(staged => CompressPlot.Save(staged[0], sources.Select((s, l) =>
                WeightHistogram.Of(s.Name, s.Weights, s.Inputs, s.Density, model.Layers[l].Layer.CodebookFloat)).ToArray()));
            if (parse.GetValue(json))
            {
                CommonOptions.PrintJson(new { config = cfg, folder, storage });
                return 0;
            }
            Console.WriteLine($"{sources.Count} layer(s), {cfg.Pes} PEs");
            Summary.PrintStorage(storage);
            Console.WriteLine($"Wrote {folder}/: {ModelFolder.ManifestFile}, {ModelFolder.ImagesFolder}/" + (plotPath is null ? "" : $"; {plotPath}"));
            return 0;
        }));
        return command;
    }

    /// <summary>Refuses a NaN or infinite value, naming the file and where it is (row and column of a matrix with <paramref name="columns"/> columns).</summary>
    private static void RequireFinite(string file, double[] values, int columns)
    {
        int k = Array.FindIndex(values, v => !double.IsFinite(v));
        if (k < 0) return;
        string at = columns == 1 ? $"value {k}" : $"value at row {k / columns}, column {k % columns}";
        throw new EieInputException(string.Create(CultureInfo.InvariantCulture, $"{file}: {at} must be finite, got {values[k]}"));
    }
}
