using System.CommandLine;
using EieHdl.Arithmetic;
using EieHdl.Flows;
using EieHdl.IO;

namespace EieHdl.Cli.Commands;

/// <summary>`eiehdl golden`: runs a compressed model's layers on an input through the bit-exact golden model.</summary>
internal static class GoldenCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder written by `compress` or `workload`", Required = true };
        var input = new Option<string>("--input") { Description = "Input activations, a 1-D .npy (float32/float64 or integer)", Required = true };
        var output = new Option<string>("--out") { Description = "Output .npy (float64); the raw fixed-point values go beside it as *_fixed.npy", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("golden", "Run a compressed model on an input through the bit-exact golden model") { model, input, output, json };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            string modelPath = parse.GetValue(model)!;
            string inputPath = parse.GetValue(input)!;
            string outPath = parse.GetValue(output)!;
            string fixedPath = Path.ChangeExtension(outPath, null) + "_fixed.npy";
            var targets = OutputFiles.Check("--out", [outPath, fixedPath], [.. CommonOptions.ModelInputs(modelPath), inputPath]);
            var loaded = ModelFolder.Load(modelPath);
            double[] inputs = loaded.ReadInput(inputPath);

            var (runs, reports) = ModelRun.Run(loaded, inputs);
            var fp = new FixedPoint(loaded.Config);
            targets.Write(staged => WriteOutputs(Path.GetDirectoryName(staged[0])!, Path.GetFileName(staged[0]), Path.GetFileName(staged[1]), fp,
                loaded.InOutputOrder(runs[^1].Outputs)));

            if (parse.GetValue(json))
            {
                CommonOptions.PrintJson(new { model = parse.GetValue(model), input = inputPath, output = outPath, outputFixed = fixedPath, run = reports });
                return 0;
            }
            Summary.PrintRun(reports);
            Console.WriteLine($"Wrote {outPath} ({runs[^1].Outputs.Length} outputs) and {fixedPath}");
            return 0;
        }));
        return command;
    }

    /// <summary>Writes a layer's outputs twice: as float64 values and as the raw fixed-point integers.</summary>
    public static void WriteOutputs(string folder, string file, string fixedFile, FixedPoint fp, int[] outputs)
    {
        Npy.Write(Path.Combine(folder, file), outputs.Select(fp.ActivationToDouble).ToArray(), outputs.Length);
        Npy.Write(Path.Combine(folder, fixedFile), outputs, NpyIntType.Int32, outputs.Length);
    }
}
