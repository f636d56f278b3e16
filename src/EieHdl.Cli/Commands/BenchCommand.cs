using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.CycleModel;
using EieHdl.Flows;
using EieHdl.Golden;
using EieHdl.Hardware;
using EieHdl.Simulation;
using EieHdl.Workloads;

namespace EieHdl.Cli.Commands;

/// <summary>
/// `eiehdl bench`: EIE's nine benchmark layers at one configuration: the work each PE has
/// (ideal cycles, load balance, padding), the cycle model's cycles and, with --rtl, the
/// verilated RTL's cycles and a bit-for-bit comparison with the golden model and with the
/// cycle model, next to EIE's published time.
/// </summary>
internal static class BenchCommand
{
    public const double ClockMhz = 800;

    public sealed record BenchRow(
        string Layer, int Inputs, int Outputs, long IdealCycles, double LoadBalance, double PaddingShare,
        long Cycles, double Us, long StallCycles, double ModelCyclesPerSecond, double ModelFirstRunCyclesPerSecond,
        long? RtlCycles, bool? RtlEqualsGolden, bool? RtlCyclesEqualModel, double? RtlCyclesPerSecond,
        double PaperActualUs, double PaperActualCycles);

    public static Command Create()
    {
        var layers = new Option<string[]>("--layers") { Description = "Benchmark layers (default: all nine)", AllowMultipleArgumentsPerToken = true };
        var rtl = new Option<bool>("--rtl") { Description = "Also run each layer through the verilated RTL" };
        var chain = new Option<bool>("--chain") { Description = "Run the layers as one chained model, on chip from input to output (default layers: alex6 alex7 alex8, AlexNet FC6 -> FC7 -> FC8)" };
        var balance = new Option<bool>("--balance") { Description = "Deal each layer's rows to the PEs largest-first instead of EIE's interleaving (outputs come out reordered; a chain's hidden layers reorder the next layer's columns to match)" };
        var plot = CommonOptions.Plot("the per-layer cycles (ideal, cycle model, RTL, EIE's)");
        var seed = new Option<ulong>("--seed") { Description = "Seed of the synthetic layers", DefaultValueFactory = _ => 1 };
        var config = CommonOptions.Config();
        var pes = CommonOptions.Pes();
        var json = CommonOptions.Json();
        var command = new Command("bench", "EIE's nine benchmark layers: ideal cycles, load balance and, with --rtl, RTL cycles and bit-exactness")
        {
            layers, rtl, chain, balance, seed, config, pes, CommonOptions.Set(), json, plot,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            var cfg = CommonOptions.LoadConfig(parse, config, pes);
            var names = parse.GetValue(layers) is { Length: > 0 } given ? given : null;
            var specs = (names?.Select(BenchmarkLayers.Get) ?? (parse.GetValue(chain) ? BenchmarkChain.AlexNet : BenchmarkLayers.All)).ToArray();
            if (parse.GetValue(rtl)) cfg.RequireHostLoadable(parse.GetValue(config) ?? "config", "bench --rtl");
            // Every layer's shape is checked against the memories first, so one that cannot fit
            // is refused before any layer is made or the verilated model is built, naming the
            // ready-made configurations that hold every requested layer.
            bool chained = parse.GetValue(chain);
            string? plotPath = parse.GetValue(plot);
            if (plotPath is not null && chained)
                throw new EieInputException($"--plot: draws the per-layer table, not a chain, got --plot {plotPath} with --chain");
            var plotTarget = CommonOptions.PlotTarget(plotPath, [parse.GetValue(config)]);
            if (chained) BenchmarkChain.CheckChain(specs);
            void CheckAll(EieConfig c)
            {
                if (chained) BenchmarkChain.CheckFits(c, specs);
                else foreach (var spec in specs) BenchmarkChain.CheckFits(c, [spec]);
            }
            try
            {
                CheckAll(cfg);
            }
            catch (EieInputException e)
            {
                throw new EieInputException(e.Message + ReadyConfigs.Suggestion(c => ReadyConfigs.Passes(() => CheckAll(c)),
                    chained ? " the chain" : specs.Length == 1 ? " this layer" : $" all {specs.Length} layers"));
            }
            if (chained)
                return RunChain(cfg, specs, parse.GetValue(seed), parse.GetValue(balance), parse.GetValue(rtl), parse.GetValue(json));
            EieTopSim? sim = null;
            if (parse.GetValue(rtl))
            {
                var clock = Stopwatch.StartNew();
                var library = EieTopSim.Build(cfg, progress: BuildProgress);
                if (!parse.GetValue(json))
                    Console.WriteLine($"verilated eie_top ({cfg.Pes} PEs): {(library.FromCache ? "from cache" : "built")} in {clock.Elapsed.TotalSeconds:F1} s");
                sim = new EieTopSim(cfg, library);
            }
            var rows = new List<BenchRow>();
            try
            {
                foreach (var spec in specs)
                {
                    var row = Run(cfg, spec, parse.GetValue(seed), parse.GetValue(balance), sim);
                    rows.Add(row);
                    if (!parse.GetValue(json)) Print(rows.Count == 1, row);
                }
            }
            finally
            {
                sim?.Dispose();
            }
            plotTarget?.Write(staged => BenchPlot.Save(staged[0],
                rows.Select(r => new BenchPlotRow(r.Layer, r.IdealCycles, r.Cycles, r.RtlCycles, r.PaperActualCycles)).ToArray(), cfg.Pes));
            if (plotPath is not null && !parse.GetValue(json)) Console.WriteLine($"Wrote {plotPath}");
            if (parse.GetValue(json))
                CommonOptions.PrintJson(new { config = cfg, clockMhz = ClockMhz, rowAssignment = parse.GetValue(balance) ? "largest-first" : "interleaved", layers = rows });
            return rows.Any(r => r.RtlEqualsGolden == false || r.RtlCyclesEqualModel == false) ? 1 : 0;
        }));
        return command;
    }

    /// <summary>The Verilator build's steps on stderr: a cold 64-PE build takes minutes.</summary>
    private static void BuildProgress(string step) => Console.Error.WriteLine($"bench: {step}");

    private static BenchRow Run(EieConfig config, BenchmarkLayer spec, ulong seed, bool balance, EieTopSim? sim)
    {
        var layer = SyntheticLayer.Generate(spec, seed);
        var model = CompressedModel.Compress(config,
            [new LayerSource(spec.Key, layer.Weights, spec.Outputs, spec.Inputs, layer.Bias, spec.WeightDensity, Relu: true)], balance);
        var input = layer.QuantisedInputs(new FixedPoint(config));
        var work = WorkStatistics.ForLayer(model.Image, 0, input);
        var cycleModel = new EieCycleModel(model.Image);
        // The first run pays the JIT compile of the model once per process, as the RTL pays its
        // build; the second, identical run is the simulation rate that a sweep of many runs sees.
        var modelClock = Stopwatch.StartNew();
        var predicted = cycleModel.Run(input);
        double firstRunSeconds = modelClock.Elapsed.TotalSeconds;
        modelClock.Restart();
        cycleModel.Run(input);
        double modelSeconds = modelClock.Elapsed.TotalSeconds;
        long? rtlCycles = null;
        bool? equal = null;
        double? rtlRate = null;
        if (sim is not null)
        {
            sim.Reset();
            // The host-bus load is tested elsewhere; a word per cycle would dominate a 64-PE run here.
            sim.LoadModelBackdoor(model.Image);
            var run = sim.RunInput(model.Image, input);
            rtlRate = run.Cycles / run.ComputeSeconds;
            rtlCycles = run.Cycles;
            equal = new Verdict(predicted.Outputs, run.Outputs, run.Cycles, predicted.Cycles, run.Error).GoldenMatch;
        }
        return new BenchRow(spec.Name, spec.Inputs, spec.Outputs, work.IdealCycles, work.LoadBalanceEfficiency,
            work.TotalEntries == 0 ? 0 : (double)work.PaddingEntries / work.TotalEntries,
            predicted.Cycles, predicted.Cycles / ClockMhz, predicted.Layers.Sum(l => l.StallCycles), predicted.Cycles / modelSeconds, predicted.Cycles / firstRunSeconds,
            rtlCycles, equal, rtlCycles is long c ? c == predicted.Cycles : null, rtlRate,
            spec.PaperActualUs, spec.PaperActualCycles);
    }

    public sealed record ChainLayerRow(string Layer, int Inputs, int Outputs, long Broadcasts, long Cycles, long IdealCycles,
        double LoadBalance, long StallCycles, double PaperActualCycles);

    /// <summary>The layers as one model: cycle model per layer and, with the RTL, the whole chain through the verilated top.</summary>
    private static int RunChain(EieConfig config, BenchmarkLayer[] specs, ulong seed, bool balance, bool withRtl, bool json)
    {
        var inv = CultureInfo.InvariantCulture;
        var total = Stopwatch.StartNew();
        var (model, input, _) = BenchmarkChain.Build(config, specs, seed, balance);
        double compressSeconds = total.Elapsed.TotalSeconds;
        var predicted = new EieCycleModel(model.Image).Run(input);
        var rows = predicted.Layers.Select((l, k) => new ChainLayerRow(specs[k].Name, specs[k].Inputs, specs[k].Outputs,
            l.Broadcasts, l.Cycles, l.IdealCycles, l.LoadBalance, l.StallCycles, specs[k].PaperActualCycles)).ToArray();

        double buildSeconds = 0, loadSeconds = 0, runSeconds = 0;
        bool? fromCache = null, equal = null, cyclesEqual = null;
        long? rtlCycles = null;
        if (withRtl)
        {
            var clock = Stopwatch.StartNew();
            var library = EieTopSim.Build(config, progress: BuildProgress);
            buildSeconds = clock.Elapsed.TotalSeconds;
            fromCache = library.FromCache;
            using var sim = new EieTopSim(config, library);
            clock.Restart();
            sim.LoadModelBackdoor(model.Image);
            loadSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var run = sim.RunInput(model.Image, input);
            runSeconds = clock.Elapsed.TotalSeconds;
            rtlCycles = run.Cycles;
            var verdict = new Verdict(predicted.Outputs, run.Outputs, run.Cycles, predicted.Cycles, run.Error);
            equal = verdict.GoldenMatch;
            cyclesEqual = verdict.CyclesMatch;
        }
        double seconds = total.Elapsed.TotalSeconds;

        if (json)
        {
            CommonOptions.PrintJson(new
            {
                config, clockMhz = ClockMhz, rowAssignment = balance ? "largest-first" : "interleaved", layers = rows, cycles = predicted.Cycles, us = predicted.Cycles / ClockMhz,
                paperActualCycles = specs.Sum(s => s.PaperActualCycles),
                rtl = withRtl ? new { cycles = rtlCycles, equalsGolden = equal, cyclesEqualModel = cyclesEqual, fromCache, buildSeconds, loadSeconds, runSeconds } : null,
                compressSeconds, seconds,
            });
        }
        else
        {
            Console.WriteLine(string.Create(inv, $"{specs.Length} layers chained on chip, {config.Pes} PEs, rows {(balance ? "dealt largest-first" : "interleaved")} (seed {seed}; compressed in {compressSeconds:F1} s)"));
            Console.WriteLine(string.Create(inv, $"{"layer",-8} {"in x out",-13} {"columns",7} {"cycles",7} {"ideal",7} {"balance",7} {"stalls",7} {"EIE cyc",7}"));
            foreach (var r in rows)
                Console.WriteLine(string.Create(inv,
                    $"{r.Layer,-8} {r.Inputs + " x " + r.Outputs,-13} {r.Broadcasts,7} {r.Cycles,7} {r.IdealCycles,7} {100 * r.LoadBalance,6:F1}% {r.StallCycles,7} {r.PaperActualCycles,7:F0}"));
            Console.WriteLine(string.Create(inv, $"{"chain",-8} {"",-13} {"",7} {predicted.Cycles,7} {rows.Sum(r => r.IdealCycles),7} {"",7} {rows.Sum(r => r.StallCycles),7} {specs.Sum(s => s.PaperActualCycles),7:F0}"));
            if (withRtl)
            {
                string YesNo(bool? b) => b == true ? "yes" : "NO";
                Console.WriteLine(string.Create(inv, $"RTL: {rtlCycles} cycles; RTL = golden: {YesNo(equal)}; RTL cycles = cycle model: {YesNo(cyclesEqual)}"));
                Console.WriteLine(string.Create(inv,
                    $"time: verilated model {(fromCache == true ? "from cache" : "built")} {buildSeconds:F1} s, back-door load {loadSeconds:F1} s, RTL run {runSeconds:F1} s, all {seconds:F1} s"));
            }
        }
        return equal == false || cyclesEqual == false ? 1 : 0;
    }

    private static void Print(bool header, BenchRow r)
    {
        var inv = CultureInfo.InvariantCulture;
        string YesNo(bool? b) => b is bool v ? (v ? "yes" : "NO") : "-";
        if (header)
            Console.WriteLine(string.Create(inv,
                $"{"layer",-8} {"in x out",-13} {"cycles",7} {"us@800",7} {"EIE us",6} {"EIE cyc",7} {"ideal",7} {"balance",7} {"padding",7} {"stalls",7} {"RTL cyc",7} {"RTL=gold",8} {"RTL=model",9}"));
        Console.WriteLine(string.Create(inv,
            $"{r.Layer,-8} {r.Inputs + " x " + r.Outputs,-13} {r.Cycles,7} {r.Us,7:F2} {r.PaperActualUs,6:F1} {r.PaperActualCycles,7:F0} {r.IdealCycles,7} " +
            $"{100 * r.LoadBalance,6:F1}% {100 * r.PaddingShare,6:F1}% {r.StallCycles,7} {(r.RtlCycles?.ToString(inv) ?? "-"),7} {YesNo(r.RtlEqualsGolden),8} {YesNo(r.RtlCyclesEqualModel),9}"));
        Console.WriteLine(string.Create(inv,
            $"{"",-8} cycle model {r.ModelCyclesPerSecond:F0} cycles/s (first run {r.ModelFirstRunCyclesPerSecond:F0}){(r.RtlCyclesPerSecond is double rate ? $", RTL {rate:F0} cycles/s (x{r.ModelCyclesPerSecond / rate:F1})" : "")}"));
    }
}
