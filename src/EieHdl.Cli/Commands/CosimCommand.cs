using System.CommandLine;
using System.Diagnostics;
using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.Flows;
using EieHdl.CycleModel;
using EieHdl.Golden;
using EieHdl.Hardware;
using EieHdl.Integration;
using EieHdl.IO;
using EieHdl.Processes;
using EieHdl.Simulation;
using EieHdl.Simulation.Testbench;

namespace EieHdl.Cli.Commands;

/// <summary>
/// `eiehdl cosim`: runs an input through the generated RTL (verilated, driven through the host
/// bus by <see cref="EieTopSim"/>) and compares every output with the golden model. Exit 0 when
/// they agree, 1 on a mismatch (the first differing output is named and an FST trace of a
/// re-run is written), 2 on bad input, 3 when a tool (Verilator, make, g++) is missing or fails.
/// </summary>
internal static class CosimCommand
{
    public const string OutputFile = "rtl_output.npy";
    public const string TraceFile = "eie_top.fst";

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model folder written by `compress` or `workload`", Required = true };
        var input = new Option<string>("--input") { Description = "Input activations, a 1-D .npy (float32/float64 or integer)", Required = true };
        var config = new Option<string?>("--config") { Description = "Configuration JSON; must match the model's config (default: the model's own)" };
        var trace = new Option<bool>("--trace") { Description = "Always write an FST trace of the run (Verilator --trace-fst build)" };
        var output = new Option<string?>("--out") { Description = "Output folder: rtl_output.npy, rtl_output_fixed.npy and the trace, if any" };
        var backdoor = new Option<bool>("--backdoor") { Description = "Load pointers, spmat words and codebooks straight into the SRAM arrays instead of through the host bus (fast for big models)" };
        var testbench = new Option<string?>("--testbench") { Description = "Also write the portable Verilog testbench bundle (RTL, eie_tb.v, transactions, run scripts, a FuseSoC eie.core) to this folder" };
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var quiet = CommonOptions.Quiet();
        var command = new Command("cosim", "Run an input through the generated RTL (Verilator) and compare every output with the golden model")
        {
            model, input, config, trace, output, backdoor, testbench, force, json, quiet,
        };
        command.SetAction(parse => CommonOptions.Run(() => Execute(
            parse.GetValue(model)!, parse.GetValue(input)!, parse.GetValue(config), parse.GetValue(trace),
            parse.GetValue(output), parse.GetValue(backdoor), parse.GetValue(testbench), parse.GetValue(force), parse.GetValue(json),
            new ProgressLog("cosim", parse.GetValue(quiet)))));
        return command;
    }

    private static int Execute(string modelPath, string inputPath, string? configPath, bool alwaysTrace,
        string? outFolder, bool backdoor, string? testbenchFolder, bool force, bool json, ProgressLog progress)
    {
        var clock = Stopwatch.StartNew();
        string?[] readFrom = [.. CommonOptions.ModelInputs(modelPath), inputPath, configPath];
        var outTarget = outFolder is null ? null : OutputFolder.Check("--out", outFolder, "cosim", force, readFrom);
        var testbenchTarget = testbenchFolder is null ? null : OutputFolder.Check("--testbench", testbenchFolder, "cosim", force, readFrom);
        if (outTarget is not null && testbenchTarget is not null) testbenchTarget.RequireApart(outTarget);
        var loaded = ModelFolder.Load(modelPath);
        var cfg = loaded.Config;
        loaded.RequireConfig(configPath, modelPath);
        cfg.RequireHostLoadable($"model {modelPath}", "cosim");
        double[] inputs = loaded.ReadInput(inputPath);

        progress.Step($"golden model and cycle model: {loaded.Layers.Count} layer(s), {inputs.Length} inputs, {cfg.Pes} PEs");
        var fp = new FixedPoint(cfg);
        int[] fixedInput = inputs.Select(fp.QuantizeActivation).ToArray();
        int[] golden = new GoldenModel(loaded.Image).RunChain(fixedInput);
        long modelCycles = new EieCycleModel(loaded.Image).Run(fixedInput).Cycles;

        if (testbenchTarget is not null) progress.Step($"writing the portable testbench bundle to {testbenchFolder}");
        testbenchTarget?.Write(tmp =>
        {
            TestbenchWriter.Write(tmp, cfg, loaded.Image, fixedInput, golden);
            var rtlFiles = File.ReadAllLines(Path.Combine(tmp, RtlGenerator.FileListName));
            File.WriteAllText(Path.Combine(tmp, CoreFile.FileName), CoreFile.ForTestbench(rtlFiles, TestbenchWriter.TestbenchFile,
                TestbenchWriter.IncludeFiles, TestbenchWriter.TransactionsFile, RtlGenerator.ConfigDigest(cfg)), AtomicOutput.Utf8);
        });

        string? tracePath = null;
        string? traceTemp = null;
        RtlRun run;
        VerilatedLibrary library;
        try
        {
            library = EieTopSim.Build(cfg, trace: alwaysTrace, progress: progress.BuildStep);
            if (alwaysTrace) traceTemp = NewTracePath();
            run = Simulate(library, cfg, loaded, fixedInput, backdoor, traceTemp, progress);
            if (!alwaysTrace && !new Verdict(golden, run.Outputs, run.Cycles, modelCycles, run.Error).Match)
            {
                // Re-run the same input on the trace build to show what happened.
                progress.Step("the RTL differs: re-running on the --trace-fst build for a waveform");
                var traced = EieTopSim.Build(cfg, trace: true, progress: progress.BuildStep);
                traceTemp = NewTracePath();
                Simulate(traced, cfg, loaded, fixedInput, backdoor, traceTemp, progress);
            }
        }
        catch (InvalidOperationException e) when (e is VerilatorBuildException || e.Message.Contains("not installed", StringComparison.Ordinal))
        {
            CommonOptions.PrintError(e.Message.ReplaceLineEndings(" "));
            return 3;
        }
        catch (TimeoutException e)
        {
            CommonOptions.PrintError($"the RTL did not finish: {e.Message}");
            return 1;
        }

        string? outputPath = null, outputFixedPath = null;
        if (outTarget is not null)
        {
            outTarget.Write(tmp =>
            {
                GoldenCommand.WriteOutputs(tmp, OutputFile, FixedName(OutputFile), fp, loaded.InOutputOrder(run.Outputs));
                if (traceTemp is not null) File.Copy(traceTemp, Path.Combine(tmp, TraceFile));
            });
            outputPath = Path.Combine(outTarget.Given, OutputFile);
            outputFixedPath = Path.Combine(outTarget.Given, FixedName(OutputFile));
            if (traceTemp is not null)
            {
                File.Delete(traceTemp);
                Directory.Delete(Path.GetDirectoryName(traceTemp)!);
                tracePath = Path.Combine(outTarget.Given, TraceFile);
            }
        }
        else tracePath = traceTemp;

        var verdict = new Verdict(golden, run.Outputs, run.Cycles, modelCycles, run.Error);
        int first = verdict.FirstMismatch, mismatches = verdict.Mismatches;
        bool cyclesMatch = verdict.CyclesMatch, match = verdict.Match;
        var lastLayer = loaded.Layers[^1];
        var firstMismatch = first < 0 ? null : new
        {
            layer = loaded.Layers.Count - 1, layerName = lastLayer.Name, row = first, pe = first % cfg.Pes,
            expected = golden[first], got = run.Outputs[first],
        };
        clock.Stop();

        if (json)
        {
            CommonOptions.PrintJson(new
            {
                model = modelPath, input = inputPath, pes = cfg.Pes, load = backdoor ? "backdoor" : "host bus", layers = loaded.Layers.Count,
                outputs = golden.Length, cycles = run.Cycles, modelCycles, cyclesMatch, match, mismatches, errorFlag = run.Error, firstMismatch,
                trace = tracePath, output = outputPath, outputFixed = outputFixedPath, testbench = testbenchFolder,
                build = new { fromCache = library.FromCache, seconds = library.Elapsed.TotalSeconds, folder = library.Folder },
                seconds = clock.Elapsed.TotalSeconds,
            });
        }
        else
        {
            Console.WriteLine($"eie_top, {cfg.Pes} PEs, {loaded.Layers.Count} layer(s): {run.Cycles} cycles, {golden.Length} outputs "
                + $"(Verilator model {(library.FromCache ? "from the cache" : "built")} in {library.Elapsed.TotalSeconds:F1} s)");
            Console.WriteLine($"RTL = golden: {(verdict.GoldenMatch ? "yes" : "no")}");
            Console.WriteLine($"RTL cycles = cycle model: {(cyclesMatch ? "yes" : $"no (model {modelCycles})")}");
            if (firstMismatch is not null)
                Console.WriteLine($"  {mismatches} output(s) differ; first: layer {firstMismatch.layer} ({lastLayer.Name}, the last), row {first}, "
                    + $"PE {firstMismatch.pe}: golden {golden[first]}, RTL {run.Outputs[first]}");
            if (run.Error) Console.WriteLine("  error_o is set: a PE addressed a row past its accumulators");
            if (tracePath is not null) Console.WriteLine($"Trace: {tracePath}");
            if (outputPath is not null) Console.WriteLine($"Wrote {outputPath} and {outputFixedPath}");
            if (testbenchFolder is not null)
                Console.WriteLine($"Wrote {testbenchFolder}/: the RTL, {TestbenchWriter.TestbenchFile}, {string.Join(", ", TestbenchWriter.IncludeFiles)}, "
                    + $"{TestbenchWriter.TransactionsFile}, {TestbenchWriter.IverilogScript}, {TestbenchWriter.VerilatorScript}");
        }
        return match ? 0 : 1;
    }

    private static RtlRun Simulate(VerilatedLibrary library, EieConfig cfg, LoadedModel loaded, int[] input, bool backdoor, string? tracePath,
        ProgressLog progress)
    {
        using var sim = new EieTopSim(cfg, library);
        if (tracePath is not null) sim.OpenTrace(tracePath);
        progress.Step(backdoor ? "loading the model straight into the SRAM arrays (back door)" : "loading the model through the host bus");
        if (backdoor) sim.LoadModelBackdoor(loaded.Image);
        else sim.LoadModel(loaded.Image);
        progress.Step("running the input and reading the outputs back");
        var run = sim.RunInput(loaded.Image, input);
        progress.Step(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"RTL run done: {run.Cycles} cycles"));
        if (sim.Axi is { } axi)
        {
            axi.Monitor.Finish();
            progress.Step(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"AXI4-Lite protocol monitor: {axi.Monitor.Writes} writes and {axi.Monitor.Reads} reads, every handshake rule held"));
        }
        return run;
    }

    private static string NewTracePath()
    {
        var folder = Directory.CreateTempSubdirectory("eiehdl-cosim-").FullName;
        // An interrupted run's trace is incomplete; a finished run keeps it.
        _ = ProcessCleanup.Current.RemoveOnStop(folder);
        return Path.Combine(folder, TraceFile);
    }

    private static string FixedName(string file) => Path.GetFileNameWithoutExtension(file) + "_fixed.npy";
}
