using System.CommandLine;
using EieHdl.Fpga;
using EieHdl.IO;

namespace EieHdl.Cli.Commands;

/// <summary>
/// `eiehdl synth`: the FPGA flow of one configuration on one target: resource figures for every
/// target, and for iCE40 place-and-route, Fmax and a bitstream. A config whose memories cannot
/// fit the device is refused before any tool runs (exit 2); a failing tool exits 1 quoting its
/// own error lines, its logs kept in the output folder.
/// </summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var target = new Option<string>("--target")
        {
            Description = $"FPGA target: {FpgaTarget.Names}",
        };
        var board = new Option<string?>("--board")
        {
            Description = $"Instead of --target: build a board top (UART host link, real pins): {Hardware.Board.Names}",
        };
        var baud = new Option<long?>("--baud") { Description = "UART baud rate of the board top (default 115200)" };
        var output = new Option<string?>("--out") { Description = "Output folder for RTL, scripts, logs, bitstream and report (default synth-<target>)" };
        var config = CommonOptions.Config();
        var pes = CommonOptions.Pes();
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var quiet = CommonOptions.Quiet();
        var freq = new Option<double>("--freq")
        {
            Description = $"iCE40: nextpnr's target clock in MHz (default {SynthFlow.DefaultTargetMhz}); it places for it, missing it is reported, not an error",
            DefaultValueFactory = _ => SynthFlow.DefaultTargetMhz,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "iCE40: nextpnr's placement seed (default 1); Fmax moves by a few MHz with it, each seed is reproducible",
            DefaultValueFactory = _ => 1,
        };
        var seeds = new Option<int>("--seeds")
        {
            Description = $"iCE40: place and route with N seeds, --seed and the N-1 after it, one per core at once, and report each one's Fmax; the bitstream is the fastest seed's (at most {SynthFlow.MaxSeeds})",
            DefaultValueFactory = _ => 1,
        };
        var plot = CommonOptions.Plot("the resources as a share of the device and, with --seeds, Fmax by seed");
        var command = new Command("synth",
            "Run the FPGA flow (yosys; nextpnr-ice40 and icepack on iCE40) and report LUTs, flip-flops, block RAM, DSPs and Fmax")
        {
            target, board, baud, output, force, config, pes, CommonOptions.Set(), json, quiet, freq, seed, seeds, plot,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            if ((parse.GetValue(target) is null) == (parse.GetValue(board) is null))
                throw new EieInputException($"synth: give one of --target ({FpgaTarget.Names}) or --board ({Hardware.Board.Names}), got {(parse.GetValue(target) is null ? "neither" : "both")}");
            if (parse.GetValue(board) is { } boardName)
            {
                var b = Hardware.Board.Find(boardName);
                SynthFlow.CheckSeeds(FpgaTarget.Find(b.FpgaTarget), parse.GetValue(seed), parse.GetValue(seeds));
                var boardOut = OutputFolder.Check("--out", parse.GetValue(output) ?? $"board-{b.Name}", "synth", parse.GetValue(force), [parse.GetValue(config)]);
                var boardPlot = CommonOptions.PlotTarget(parse.GetValue(plot), [parse.GetValue(config)]);
                var made = CommonOptions.Provenance(parse, FpgaTarget.Find(b.FpgaTarget).HasPlaceAndRoute ? ["yosys", "nextpnr-ice40"] : ["yosys"]);
                return RunBoard(b, CommonOptions.LoadConfig(parse, config, pes).RequireSimpleHostBus("config", "synth"), boardOut, parse.GetValue(baud),
                    parse.GetValue(seed), parse.GetValue(seeds), parse.GetValue(json), new ProgressLog("synth", parse.GetValue(quiet)), made, boardPlot, parse.GetValue(plot));
            }
            if (parse.GetValue(baud) is not null)
                throw new EieInputException("--baud: needs --board, got --baud with --target");
            var t = FpgaTarget.Find(parse.GetValue(target)!);
            var folder = OutputFolder.Check("--out", parse.GetValue(output) ?? $"synth-{t.Name}", "synth", parse.GetValue(force), [parse.GetValue(config)]);
            SynthFlow.CheckSeeds(t, parse.GetValue(seed), parse.GetValue(seeds));
            string? plotPath = parse.GetValue(plot);
            var plotTarget = CommonOptions.PlotTarget(plotPath, [parse.GetValue(config)]);
            var cfg = CommonOptions.LoadConfig(parse, config, pes).RequireSimpleHostBus("config", "synth");
            SynthReport? report = null;
            string reportJson = "", table = "";
            string? failure = null;
            // A failed tool still leaves the run's folder, with its logs, in place.
            folder.Write(tmp =>
            {
                try
                {
                    report = SynthFlow.Run(t, cfg, tmp, parse.GetValue(freq), parse.GetValue(seed), new ProgressLog("synth", parse.GetValue(quiet)).Step,
                        parse.GetValue(seeds));
                    report = report with { Provenance = CommonOptions.Provenance(parse, t.HasPlaceAndRoute ? ["yosys", "nextpnr-ice40"] : ["yosys"]) };
                }
                catch (FpgaFlowException e)
                {
                    failure = e.Message.Replace(tmp, folder.Given, StringComparison.Ordinal);
                    return;
                }
                reportJson = CommonOptions.ToJson(report) + "\n";
                File.WriteAllText(Path.Combine(tmp, SynthFlow.ReportFile), reportJson);
                table = SynthFlow.Table(report);
                File.WriteAllText(Path.Combine(tmp, "synth_report.txt"), table);
            });
            if (failure is not null || report is null)
            {
                CommonOptions.PrintError($"synth {t.Name}: {failure}");
                return 1;
            }
            plotTarget?.Write(staged => SynthPlot.Save(staged[0], report));
            if (parse.GetValue(json))
            {
                Console.Out.Write(reportJson);
                return 0;
            }
            Console.Write(table);
            Console.WriteLine($"Wrote {folder.Given}/: rtl/, yosys scripts and logs, {SynthFlow.ReportFile}, synth_report.txt"
                + (report.PlaceAndRoute is { } p ? $", {p.Bitstream}" : "") + (plotPath is null ? "" : $"; {plotPath}"));
            return 0;
        }));
        return command;
    }

    private static int RunBoard(Hardware.Board board, Config.EieConfig cfg, OutputFolder folder, long? baud, int seed, int seeds, bool json, ProgressLog progress,
        Integration.Provenance made, OutputFiles? plotTarget, string? plotPath)
    {
        BoardBuildReport? report = null;
        string reportJson = "";
        string? failure = null;
        folder.Write(tmp =>
        {
            try
            {
                report = BoardFlow.Run(board, cfg, tmp, baud, progress.Step, seed, seeds) with { Provenance = made };
            }
            catch (FpgaFlowException e)
            {
                failure = e.Message.Replace(tmp, folder.Given, StringComparison.Ordinal);
                return;
            }
            reportJson = CommonOptions.ToJson(report) + "\n";
            File.WriteAllText(Path.Combine(tmp, BoardFlow.ReportFile), reportJson);
        });
        if (failure is not null || report is null)
        {
            CommonOptions.PrintError($"synth --board {board.Name}: {failure}");
            return 1;
        }
        plotTarget?.Write(staged => SynthPlot.Save(staged[0], report));
        if (json)
        {
            Console.Out.Write(reportJson);
            return 0;
        }
        Console.Write(BoardFlow.Table(report));
        Console.WriteLine($"Wrote {folder.Given}/: rtl/, {board.ConstraintFile}, logs, {BoardFlow.ReportFile}"
            + (report.PlaceAndRoute is { } p ? $", {p.Bitstream} ({board.Program})" : "") + (plotPath is null ? "" : $"; {plotPath}"));
        return 0;
    }
}
