using System.CommandLine;
using EieHdl.Fpga;

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
            Required = true,
        };
        var output = new Option<string?>("--out") { Description = "Output folder for RTL, scripts, logs, bitstream and report (default synth-<target>)" };
        var config = CommonOptions.Config();
        var pes = CommonOptions.Pes();
        var json = CommonOptions.Json();
        var freq = new Option<double>("--freq")
        {
            Description = $"iCE40: nextpnr's target clock in MHz (default {SynthFlow.DefaultTargetMhz}); it places for it, missing it is reported, not an error",
            DefaultValueFactory = _ => SynthFlow.DefaultTargetMhz,
        };
        var command = new Command("synth",
            "Run the FPGA flow (yosys; nextpnr-ice40 and icepack on iCE40) and report LUTs, flip-flops, block RAM, DSPs and Fmax")
        {
            target, output, config, pes, json, freq,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            var t = FpgaTarget.Find(parse.GetValue(target)!);
            var cfg = CommonOptions.LoadConfig(parse, config, pes);
            string folder = parse.GetValue(output) ?? $"synth-{t.Name}";
            SynthReport report;
            try
            {
                report = SynthFlow.Run(t, cfg, folder, parse.GetValue(freq));
            }
            catch (FpgaFlowException e)
            {
                Console.Error.WriteLine($"eiehdl: error: synth {t.Name}: {e.Message}");
                return 1;
            }
            string reportJson = CommonOptions.ToJson(report) + "\n";
            File.WriteAllText(Path.Combine(folder, SynthFlow.ReportFile), reportJson);
            string table = SynthFlow.Table(report);
            File.WriteAllText(Path.Combine(folder, "synth_report.txt"), table);
            if (parse.GetValue(json))
            {
                Console.Out.Write(reportJson);
                return 0;
            }
            Console.Write(table);
            Console.WriteLine($"Wrote {folder}/: rtl/, yosys scripts and logs, {SynthFlow.ReportFile}, synth_report.txt"
                + (report.PlaceAndRoute is { } p ? $", {p.Bitstream}" : ""));
            return 0;
        }));
        return command;
    }
}
