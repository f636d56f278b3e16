using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.Flows;
using EieHdl.Golden;
using EieHdl.Hardware;
using EieHdl.Simulation;
using EieHdl.Workloads;

namespace EieHdl.Cli.Commands;

/// <summary>
/// `eiehdl bench`: EIE's nine benchmark layers at one configuration: the work each PE has
/// (ideal cycles, load balance, padding) and, with --rtl, the verilated RTL's cycles and a
/// bit-for-bit comparison with the golden model, next to EIE's published time.
/// </summary>
internal static class BenchCommand
{
    public const double ClockMhz = 800;

    public sealed record BenchRow(
        string Layer, int Inputs, int Outputs, long IdealCycles, double LoadBalance, double PaddingShare,
        long? RtlCycles, double? RtlUs, bool? RtlEqualsGolden, double RtlSeconds, double PaperActualUs, double PaperActualCycles);

    public static Command Create()
    {
        var layers = new Option<string[]>("--layers") { Description = "Benchmark layers (default: all nine)", AllowMultipleArgumentsPerToken = true };
        var rtl = new Option<bool>("--rtl") { Description = "Also run each layer through the verilated RTL" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the synthetic layers", DefaultValueFactory = _ => 1 };
        var config = CommonOptions.Config();
        var pes = CommonOptions.Pes();
        var json = CommonOptions.Json();
        var command = new Command("bench", "EIE's nine benchmark layers: ideal cycles, load balance and, with --rtl, RTL cycles and bit-exactness")
        {
            layers, rtl, seed, config, pes, json,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            var cfg = CommonOptions.LoadConfig(parse, config, pes);
            var specs = (parse.GetValue(layers) is { Length: > 0 } names ? names.Select(BenchmarkLayers.Get) : BenchmarkLayers.All).ToArray();
            EieTopSim? sim = null;
            if (parse.GetValue(rtl))
            {
                var clock = Stopwatch.StartNew();
                var library = VerilatedModelBuilder.Build(RtlGenerator.Generate(cfg), "eie_top");
                if (!parse.GetValue(json))
                    Console.WriteLine($"verilated eie_top ({cfg.Pes} PEs): {(library.FromCache ? "from cache" : "built")} in {clock.Elapsed.TotalSeconds:F1} s");
                sim = new EieTopSim(cfg, library);
            }
            var rows = new List<BenchRow>();
            try
            {
                foreach (var spec in specs)
                {
                    var row = Run(cfg, spec, parse.GetValue(seed), sim);
                    rows.Add(row);
                    if (!parse.GetValue(json)) Print(rows.Count == 1, row);
                }
            }
            finally
            {
                sim?.Dispose();
            }
            if (parse.GetValue(json)) CommonOptions.PrintJson(new { config = cfg, clockMhz = ClockMhz, layers = rows });
            return rows.Any(r => r.RtlEqualsGolden == false) ? 1 : 0;
        }));
        return command;
    }

    private static BenchRow Run(EieConfig config, BenchmarkLayer spec, ulong seed, EieTopSim? sim)
    {
        var layer = SyntheticLayer.Generate(spec, seed);
        var model = CompressedModel.Compress(config,
            [new LayerSource(spec.Key, layer.Weights, spec.Outputs, spec.Inputs, layer.Bias, spec.WeightDensity, Relu: true)]);
        var input = layer.QuantisedInputs(new FixedPoint(config));
        var work = WorkStatistics.ForLayer(model.Image, 0, input);
        long? rtlCycles = null;
        bool? equal = null;
        double seconds = 0;
        if (sim is not null)
        {
            var expected = new GoldenModel(model.Image).RunLayer(0, input);
            sim.Reset();
            var clock = Stopwatch.StartNew();
            var run = sim.Run(model.Image, input);
            seconds = clock.Elapsed.TotalSeconds;
            rtlCycles = run.Cycles;
            equal = !run.Error && run.Outputs.AsSpan().SequenceEqual(expected);
        }
        return new BenchRow(spec.Name, spec.Inputs, spec.Outputs, work.IdealCycles, work.LoadBalanceEfficiency,
            work.TotalEntries == 0 ? 0 : (double)work.PaddingEntries / work.TotalEntries,
            rtlCycles, rtlCycles / ClockMhz, equal, seconds, spec.PaperActualUs, spec.PaperActualCycles);
    }

    private static void Print(bool header, BenchRow r)
    {
        var inv = CultureInfo.InvariantCulture;
        if (header)
            Console.WriteLine(string.Create(inv,
                $"{"layer",-8} {"in x out",-13} {"ideal cyc",9} {"balance",7} {"padding",7} {"RTL cyc",8} {"RTL us",7} {"EIE us",7} {"EIE cyc",8} {"RTL=golden",10} {"sim s",6}"));
        Console.WriteLine(string.Create(inv,
            $"{r.Layer,-8} {r.Inputs + " x " + r.Outputs,-13} {r.IdealCycles,9} {100 * r.LoadBalance,6:F1}% {100 * r.PaddingShare,6:F1}% " +
            $"{(r.RtlCycles?.ToString(inv) ?? "-"),8} {(r.RtlUs?.ToString("F2", inv) ?? "-"),7} {r.PaperActualUs,7:F1} {r.PaperActualCycles,8:F0} " +
            $"{(r.RtlEqualsGolden is bool b ? (b ? "yes" : "NO") : "-"),10} {r.RtlSeconds,6:F1}"));
    }
}
