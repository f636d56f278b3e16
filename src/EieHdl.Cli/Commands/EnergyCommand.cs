using System.CommandLine;
using System.Globalization;
using EieHdl.Config;
using EieHdl.Energy;
using EieHdl.IO;
using EieHdl.Workloads;

namespace EieHdl.Cli.Commands;

/// <summary>
/// `eiehdl energy`: what a configuration costs in a process. Each benchmark layer runs once
/// through the cycle model; its cycles and the units' event counts go through the energy
/// model (hw/tech/45nm.json by default) to give per layer the energy per inference, average
/// power, GOP/s and GOP/s/W (operations done and dense-equivalent), the energy by unit and
/// what fetching the weights from DRAM would cost; then per-PE power and area by unit and the
/// chip's totals. --sweep-spmat-width instead runs EIE's Figure 9: every layer at spmat word
/// widths 32..512 bits, written as a table and a PNG.
/// </summary>
internal static class EnergyCommand
{
    public const double DefaultClockMhz = 800, MaxClockMhz = 100_000;
    public const string SweepTable = "spmat-width.md", SweepJson = "spmat-width.json", SweepPlot = "spmat-width.png";

    public sealed record UnitRow(string Name, double EnergyUj, double PowerMw, double MemoryUj, double LogicUj, double ClockUj);

    public sealed record LayerRow(
        string Layer, int Inputs, int Outputs, long Cycles, double TimeUs, double EnergyUj, double PowerMw,
        double GopPerSecond, double GopPerSecondPerWatt, double DenseGopPerSecond, double DenseGopPerSecondPerWatt,
        UnitRow[] Units, DramArgument Dram, IReadOnlyDictionary<string, long> Events);

    public sealed record PeUnitRow(string Name, double PowerMw, double AreaMm2, double MemoryAreaMm2, double LogicAreaMm2);

    /// <summary>One PE's average power by Table II's categories, leakage shown apart.</summary>
    public sealed record Categories(double SramDynamicMw, double SramLeakageMw, double RegisterMw, double CombinationalMw,
        double LogicLeakageMw, double ClockMw);

    public sealed record PerPe(double PowerMw, double MemoryPowerMw, double AreaMm2, double MemoryAreaMm2, double LogicAreaMm2,
        PeUnitRow[] Units, Categories Categories);

    public sealed record ChipUnitRow(string Name, double PowerMw, double AreaMm2);

    public sealed record Chip(int Pes, double PowerMw, double AreaMm2, double EnergyUj, double TimeUs,
        double GopPerSecond, double GopPerSecondPerWatt, double DenseGopPerSecond, double DenseGopPerSecondPerWatt,
        double PeakGopPerSecond, ChipUnitRow[] Units);

    public sealed record CalibratedLayer(string Layer, double EnergyUj, double PowerMw);

    public sealed record CalibrationReport(CalibrationFactors Factors, CalibratedLayer[] Layers, double PerPePowerMw,
        ChipUnitRow[] PerPeUnits, double ChipPowerMw, double ChipGopPerSecondPerWatt);

    public static Command Create()
    {
        var layers = new Option<string[]>("--layers") { Description = "Benchmark layers (default: all nine)", AllowMultipleArgumentsPerToken = true };
        var tech = new Option<string?>("--tech") { Description = "Technology file (default hw/tech/45nm.json; format in docs/energy.md)" };
        var clock = new Option<double>("--clock-mhz") { Description = "Clock frequency in MHz", DefaultValueFactory = _ => DefaultClockMhz };
        var calibrate = new Option<bool>("--calibrate") { Description = "Also show the energies scaled by the technology file's calibration factors (SRAM, logic, clock), beside the uncalibrated model" };
        var sweep = new Option<bool>("--sweep-spmat-width") { Description = "EIE's Fig. 9: every layer at spmat word widths 32..512 bits (capacity fixed), table and PNG into --out" };
        var output = new Option<string?>("--out") { Description = "With --sweep-spmat-width: output folder (default out/energy-sweep)" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the synthetic layers", DefaultValueFactory = _ => 1 };
        var config = CommonOptions.Config();
        var pes = CommonOptions.Pes();
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("energy", "Energy, power and area of a configuration: per layer and unit from a cycle-model run, per PE, the chip, the DRAM argument; --sweep-spmat-width for Fig. 9")
        {
            layers, config, pes, CommonOptions.Set(), tech, clock, calibrate, sweep, output, force, seed, json,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            double clockMhz = parse.GetValue(clock);
            if (!(clockMhz > 0 && clockMhz <= MaxClockMhz))
                throw new EieInputException($"--clock-mhz: must be in (0, {MaxClockMhz}], got {clockMhz.ToString("R", CultureInfo.InvariantCulture)}");
            bool sweeping = parse.GetValue(sweep);
            if (parse.GetValue(output) is string given && !sweeping)
                throw new EieInputException($"--out: needs --sweep-spmat-width (only the sweep writes files), got --out {given}");
            if (sweeping && parse.GetValue(calibrate))
                throw new EieInputException("--calibrate: applies to the per-layer report, not to --sweep-spmat-width, got both");
            string techPath = parse.GetValue(tech) ?? TechModel.DefaultPath();
            var technology = TechModel.Load(techPath);
            if (parse.GetValue(calibrate) && technology.Calibration is null)
                throw new EieInputException($"--calibrate: {techPath} must have a 'calibration' object (sram, logic, clock factors), got none");
            var cfg = CommonOptions.LoadConfig(parse, config, pes);
            var specs = (parse.GetValue(layers) is { Length: > 0 } names ? names.Select(BenchmarkLayers.Get) : BenchmarkLayers.All).ToArray();
            // Every layer's shape is checked first, so one that cannot fit is refused before any is made.
            LayerEnergy.CheckFits(cfg, specs);
            void Progress(string line) => Console.Error.WriteLine($"energy: {line}");
            if (sweeping)
            {
                SpmatWidthSweep.Check(cfg);
                string folder = parse.GetValue(output) ?? Path.Combine("out", "energy-sweep");
                var target = OutputFolder.Check("--out", folder, "energy", parse.GetValue(force), [parse.GetValue(config), techPath]);
                return Sweep(cfg, technology, specs, parse.GetValue(seed), clockMhz, target, parse.GetValue(json), Progress);
            }
            // The default file is found by searching upwards; shown relative to the working folder.
            string shownTech = parse.GetValue(tech) ?? Path.GetRelativePath(Directory.GetCurrentDirectory(), techPath);
            return Report(cfg, technology, shownTech, specs, parse.GetValue(seed), clockMhz, parse.GetValue(calibrate), parse.GetValue(json), Progress);
        }));
        return command;
    }

    private static int Report(EieConfig cfg, TechModel tech, string techPath, BenchmarkLayer[] specs, ulong seed, double clockMhz,
        bool calibrate, bool json, Action<string> progress)
    {
        var model = new EnergyModel(cfg, tech);
        var runs = new List<LayerRun>();
        foreach (var spec in specs)
        {
            progress($"{spec.Key}: compressing and running the cycle model");
            runs.Add(LayerEnergy.Run(cfg, spec, seed));
        }
        var energies = runs.Select(r => model.Evaluate(r.Activity, clockMhz, r.Dense)).ToArray();
        var rows = runs.Zip(energies, (r, e) => Row(model, r, e)).ToArray();
        var all = model.Evaluate(CycleActivity.Sum(runs.Select(r => r.Activity)), clockMhz)
            with { DenseOperations = runs.Sum(r => r.Dense.DenseOperations) };
        var perPe = PerPeOf(model, all);
        var chip = ChipOf(model, all);
        CalibrationReport? calibration = null;
        if (calibrate)
        {
            var f = tech.Calibration!;
            var c = all.Calibrated(f);
            calibration = new CalibrationReport(f,
                rows.Zip(energies, (row, e) => { var ce = e.Calibrated(f); return new CalibratedLayer(row.Layer, ce.EnergyUj, ce.PowerMw); }).ToArray(),
                c.PerPePowerMw, c.Units.Where(u => u.PerPe).Select(u => new ChipUnitRow(u.Name, u.PerPePowerMw, model[u.Name].AreaMm2)).ToArray(),
                c.PowerMw, c.GopPerSecondPerWatt);
        }
        if (json)
        {
            CommonOptions.PrintJson(new
            {
                config = cfg, tech = new { path = techPath, process = tech.Process }, clockMhz, seed,
                layers = rows, perPe, chip, calibration,
            });
            return 0;
        }
        Print(cfg, tech, techPath, clockMhz, rows, perPe, chip, calibration);
        return 0;
    }

    private static LayerRow Row(EnergyModel model, LayerRun run, RunEnergy e) => new(
        run.Spec.Name, run.Spec.Inputs, run.Spec.Outputs, e.Cycles, e.TimeUs, e.EnergyUj, e.PowerMw,
        e.GopPerSecond, e.GopPerSecondPerWatt, e.DenseGopPerSecond!.Value, e.DenseGopPerSecondPerWatt!.Value,
        e.Units.Select(u => new UnitRow(u.Name, u.EnergyUj, u.PowerMw, u.MemoryUj, u.EnergyUj - u.MemoryUj - u.ClockUj, u.ClockUj)).ToArray(),
        model.Dram(run.Dense, run.StoredEntries),
        run.Activity.Counts().ToDictionary(c => c.Name, c => c.Value));

    private static PerPe PerPeOf(EnergyModel model, RunEnergy all)
    {
        double PeMw(Func<UnitEnergy, double> uj) => all.Units.Where(u => u.PerPe).Sum(uj) / all.TimeUs * 1e3 / model.Config.Pes;
        var units = all.Units.Where(u => u.PerPe).Select(u =>
        {
            var hw = model[u.Name];
            return new PeUnitRow(u.Name, u.PerPePowerMw, hw.AreaMm2, hw.MemoryAreaMm2, hw.LogicAreaMm2);
        }).ToArray();
        return new PerPe(all.PerPePowerMw, PeMw(u => u.MemoryUj), model.PeAreaMm2, model.PeMemoryAreaMm2, model.PeAreaMm2 - model.PeMemoryAreaMm2,
            units, new Categories(PeMw(u => u.SramDynamicUj), PeMw(u => u.SramLeakageUj), PeMw(u => u.RegisterDynamicUj),
                PeMw(u => u.CombinationalDynamicUj), PeMw(u => u.LogicLeakageUj), PeMw(u => u.ClockUj)));
    }

    private static Chip ChipOf(EnergyModel model, RunEnergy all)
    {
        int pes = model.Config.Pes;
        var units = all.Units.Select(u => new ChipUnitRow(u.Name, u.PowerMw, (u.PerPe ? pes : 1) * model[u.Name].AreaMm2)).ToArray();
        // Peak: every PE's multiplier and adder busy every cycle.
        double peak = 2.0 * pes * all.ClockMhz * 1e-3;
        return new Chip(pes, all.PowerMw, model.ChipAreaMm2, all.EnergyUj, all.TimeUs, all.GopPerSecond, all.GopPerSecondPerWatt,
            all.DenseGopPerSecond!.Value, all.DenseGopPerSecondPerWatt!.Value, peak, units);
    }

    private static void Print(EieConfig cfg, TechModel tech, string techPath, double clockMhz, LayerRow[] rows, PerPe pe, Chip chip,
        CalibrationReport? calibration)
    {
        var inv = CultureInfo.InvariantCulture;
        void Line(FormattableString s) => Console.WriteLine(s.ToString(inv));
        Line($"Energy at {cfg.Pes} PEs, {clockMhz} MHz, {tech.Process} ({techPath}); uncalibrated model, one inference per layer");
        Line($"{"layer",-8} {"cycles",7} {"µs",7} {"µJ",8} {"mW",8} {"GOP/s",7} {"GOP/s/W",8} {"dense GOP/s",11} {"dense GOP/s/W",13}");
        foreach (var r in rows)
            Line($"{r.Layer,-8} {r.Cycles,7} {r.TimeUs,7:F2} {r.EnergyUj,8:F3} {r.PowerMw,8:F1} {r.GopPerSecond,7:F1} {r.GopPerSecondPerWatt,8:F1} {r.DenseGopPerSecond,11:F1} {r.DenseGopPerSecondPerWatt,13:F0}");
        Console.WriteLine();
        Line($"The DRAM argument: the weights fetched from DRAM at every inference, against the whole on-chip inference (µJ):");
        Line($"{"layer",-8} {"on chip",8} {"DRAM dense f32",14} {"x",6} {"DRAM compressed",15} {"x",6} {"f32 MACs",9}");
        foreach (var r in rows)
            Line($"{r.Layer,-8} {r.EnergyUj,8:F2} {r.Dram.DenseFloat32DramUj,14:F0} {r.Dram.DenseFloat32DramUj / r.EnergyUj,6:F0} {r.Dram.CompressedDramUj,15:F1} {r.Dram.CompressedDramUj / r.EnergyUj,6:F1} {r.Dram.DenseFloat32ComputeUj,9:F1}");
        Console.WriteLine();
        var names = rows[0].Units.Select(u => u.Name).ToArray();
        Line($"Energy by unit, µJ per inference (whole chip):");
        Console.WriteLine($"{"layer",-8} " + string.Join(" ", names.Select(n => $"{n,10}")));
        foreach (var r in rows)
            Console.WriteLine($"{r.Layer,-8} " + string.Join(" ", r.Units.Select(u => u.EnergyUj.ToString("F3", inv).PadLeft(10))));
        Console.WriteLine();
        Line($"Per PE (average over the layers run): {pe.PowerMw:F3} mW, {pe.AreaMm2:F4} mm² (memory {100 * pe.MemoryAreaMm2 / pe.AreaMm2:F1}% of the area, {100 * pe.MemoryPowerMw / pe.PowerMw:F1}% of the power)");
        Line($"{"unit",-11} {"mW",8} {"µm²",9} {"memory µm²",11} {"logic µm²",10}");
        foreach (var u in pe.Units)
            Line($"{u.Name,-11} {u.PowerMw,8:F3} {u.AreaMm2 * 1e6,9:F0} {u.MemoryAreaMm2 * 1e6,11:F0} {u.LogicAreaMm2 * 1e6,10:F0}");
        Line($"{"PE",-11} {pe.PowerMw,8:F3} {pe.AreaMm2 * 1e6,9:F0} {pe.MemoryAreaMm2 * 1e6,11:F0} {pe.LogicAreaMm2 * 1e6,10:F0}");
        var k = pe.Categories;
        Line($"by kind, mW: SRAM dynamic {k.SramDynamicMw:F3}, SRAM leakage {k.SramLeakageMw:F3}, register {k.RegisterMw:F3}, combinational {k.CombinationalMw:F3}, logic leakage {k.LogicLeakageMw:F3}, clock {k.ClockMw:F3}");
        Console.WriteLine();
        Line($"Chip ({chip.Pes} PEs + LNZD tree + CCU): {chip.PowerMw:F1} mW, {chip.AreaMm2:F2} mm², {chip.GopPerSecond:F1} GOP/s done ({chip.GopPerSecondPerWatt:F1} GOP/s/W), {chip.DenseGopPerSecond:F0} GOP/s dense-equivalent ({chip.DenseGopPerSecondPerWatt:F0} GOP/s/W); peak {chip.PeakGopPerSecond:F1} GOP/s");
        Console.WriteLine("  " + string.Join(", ", chip.Units.Select(u => string.Create(inv, $"{u.Name} {u.PowerMw:F1} mW / {u.AreaMm2:F3} mm²"))));
        if (calibration is not null)
        {
            var f = calibration.Factors;
            Console.WriteLine();
            Line($"Calibrated (SRAM x{f.Sram}, logic x{f.Logic}, clock x{f.Clock}; {f.Source}):");
            Line($"{"layer",-8} {"µJ",8} {"cal. µJ",8} {"mW",8} {"cal. mW",8}");
            foreach (var (r, c) in rows.Zip(calibration.Layers))
                Line($"{r.Layer,-8} {r.EnergyUj,8:F3} {c.EnergyUj,8:F3} {r.PowerMw,8:F1} {c.PowerMw,8:F1}");
            Line($"{"unit",-11} {"mW",8} {"cal. mW",8}");
            foreach (var (u, c) in pe.Units.Zip(calibration.PerPeUnits))
                Line($"{u.Name,-11} {u.PowerMw,8:F3} {c.PowerMw,8:F3}");
            Line($"{"PE",-11} {pe.PowerMw,8:F3} {calibration.PerPePowerMw,8:F3}");
            Line($"chip {chip.PowerMw:F1} mW, calibrated {calibration.ChipPowerMw:F1} mW ({calibration.ChipGopPerSecondPerWatt:F1} GOP/s/W)");
        }
    }

    private static int Sweep(EieConfig cfg, TechModel tech, BenchmarkLayer[] specs, ulong seed, double clockMhz,
        OutputFolder target, bool json, Action<string> progress)
    {
        var points = SpmatWidthSweep.Run(cfg, tech, specs, seed, clockMhz, progress);
        string table = SpmatWidthSweep.Table(points);
        int best = SpmatWidthSweep.BestWidth(points), bestRead = SpmatWidthSweep.BestReadWidth(points);
        var document = new { config = cfg, clockMhz, seed, capacityBits = (long)cfg.SpmatWordBits * cfg.SpmatDepth, bestWidthBits = best, bestReadWidthBits = bestRead, points };
        string text = CommonOptions.ToJson(document);
        string heading = string.Create(CultureInfo.InvariantCulture,
            $"Energy per inference against spmat word width, {cfg.Pes} PEs, {clockMhz} MHz, {tech.Process}, spmat capacity {(long)cfg.SpmatWordBits * cfg.SpmatDepth / 8192} KB per PE fixed; least total energy at {best} bits, least spmat read energy at {bestRead} bits\n\n");
        target.Write(dir =>
        {
            File.WriteAllText(Path.Combine(dir, SweepTable), heading + table, AtomicOutput.Utf8);
            File.WriteAllText(Path.Combine(dir, SweepJson), text + "\n", AtomicOutput.Utf8);
            SpmatWidthPlot.Save(Path.Combine(dir, SweepPlot), points);
        });
        if (json)
        {
            Console.Out.WriteLine(text);
            return 0;
        }
        Console.Write(heading + table);
        Console.WriteLine($"Wrote {target.Given}/: {SweepTable}, {SweepJson}, {SweepPlot}");
        return 0;
    }
}
