using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Integration;
using EieHdl.IO;

namespace EieHdl.Cli.Commands;

/// <summary>`eiehdl generate`: the Verilog of one configuration, its file list and a manifest.</summary>
internal static class GenerateCommand
{
    public const string ManifestFile = "rtl_manifest.json";

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder for the Verilog", Required = true };
        var config = CommonOptions.Config();
        var pes = CommonOptions.Pes();
        var json = CommonOptions.Json();
        var board = new Option<string?>("--board") { Description = $"Also a board top with a UART host link, and its pin constraints: {Board.Names}" };
        var baud = new Option<long?>("--baud") { Description = "UART baud rate of the board top (default 115200)" };
        var force = CommonOptions.Force();
        var command = new Command("generate", "Generate the EIE accelerator's Verilog (one file per module, eie.f, eie_local.f, eie.core, eie_regs.h/.json/.md, rtl_manifest.json)")
        {
            output, force, config, pes, CommonOptions.Set(), board, baud, json,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            string folder = parse.GetValue(output)!;
            var target = OutputFolder.Check("--out", folder, "generate", parse.GetValue(force), [parse.GetValue(config)]);
            var cfg = CommonOptions.LoadConfig(parse, config, pes);
            string listPrefix = FileLists.Prefix(folder, Environment.CurrentDirectory);
            if (parse.GetValue(baud) is not null && parse.GetValue(board) is null)
                throw new EieInputException("--baud: needs --board, got --baud alone");
            var chosen = parse.GetValue(board) is { } boardName ? Board.Find(boardName) : null;
            // A board top whose memories cannot fit its FPGA is refused as `synth --board` would refuse it.
            if (chosen is not null) Fpga.SynthFlow.CheckFits(Fpga.FpgaTarget.Find(chosen.FpgaTarget), cfg);
            var clock = Stopwatch.StartNew();
            var boardOutput = chosen is not null ? BoardRtl.Generate(cfg, chosen, parse.GetValue(baud)) : null;
            if (boardOutput is not null) boardOutput = boardOutput with { Rtl = FileLists.WithPrefix(boardOutput.Rtl, listPrefix) };
            var rtl = boardOutput?.Rtl ?? FileLists.WithPrefix(RtlGenerator.Generate(cfg), listPrefix);
            var localList = FileLists.Local(rtl);
            string top = boardOutput?.Top.ModuleName ?? "eie_top";
            string digest = RtlGenerator.ConfigDigest(cfg);
            string core = boardOutput is not null ? CoreFile.ForBoard(boardOutput, digest) : CoreFile.ForRtl(rtl, top, digest);
            var registerMap = RegisterMap.For(cfg);
            clock.Stop();
            var modules = rtl.Modules.Select(m => new
            {
                file = m.Name,
                lines = m.Text.Count(c => c == '\n'),
                sha256 = Convert.ToHexStringLower(SHA256.HashData(AtomicOutput.Utf8.GetBytes(m.Text))),
            }).ToArray();
            var uart = boardOutput is null ? null : new
            {
                board = boardOutput.Top.Board.Name, constraints = boardOutput.Constraints.Name,
                clockHz = boardOutput.Top.Timing.ClockHz, baud = boardOutput.Top.Timing.Baud,
                divisor = boardOutput.Top.Timing.Divisor, rateError = boardOutput.Top.Timing.RateError,
                addrBytes = boardOutput.Top.Host.AddrBytes, dataBytes = boardOutput.Top.Host.DataBytes,
            };
            var manifest = new { generator = "EieHdl", top, fileList = RtlGenerator.FileListName, localFileList = localList.Name, core = CoreFile.FileName,
                registerMap = new[] { RegisterMap.JsonFile, RegisterMap.MarkdownFile, RegisterMap.HeaderFile }, config = cfg, modules, uart,
                provenance = CommonOptions.Provenance(parse, []) };
            target.Write(tmp =>
            {
                if (boardOutput is not null) boardOutput.WriteTo(tmp);
                else
                {
                    rtl.WriteTo(tmp);
                    File.WriteAllText(Path.Combine(tmp, BoardConstraints.SdcFile), BoardConstraints.Sdc(), AtomicOutput.Utf8);
                }
                File.WriteAllText(Path.Combine(tmp, localList.Name), localList.Text, AtomicOutput.Utf8);
                File.WriteAllText(Path.Combine(tmp, CoreFile.FileName), core, AtomicOutput.Utf8);
                File.WriteAllText(Path.Combine(tmp, RegisterMap.JsonFile), registerMap.ToJson(), AtomicOutput.Utf8);
                File.WriteAllText(Path.Combine(tmp, RegisterMap.MarkdownFile), registerMap.ToMarkdown(digest), AtomicOutput.Utf8);
                File.WriteAllText(Path.Combine(tmp, RegisterMap.HeaderFile), registerMap.ToCHeader(digest), AtomicOutput.Utf8);
                File.WriteAllText(Path.Combine(tmp, ManifestFile), CommonOptions.ToJson(manifest) + "\n", AtomicOutput.Utf8);
            });
            if (parse.GetValue(json))
            {
                CommonOptions.PrintJson(new { folder, generationMs = clock.Elapsed.TotalMilliseconds, manifest });
                return 0;
            }
            if (boardOutput is not null)
                Console.WriteLine($"{top}: {boardOutput.Top.Board.Title}, {uart!.baud} baud ({uart.divisor} clocks per bit at {uart.clockHz / 1e6:0.###} MHz), pins in {uart.constraints}");
            Console.WriteLine($"{top} for {cfg.Pes} PEs: {modules.Length} modules, {modules.Sum(m => m.lines)} lines of Verilog, generated in {clock.Elapsed.TotalMilliseconds:F0} ms");
            foreach (var m in modules) Console.WriteLine($"  {m.file,-22} {m.lines,6} lines");
            string list = $"{listPrefix}{RtlGenerator.FileListName}";
            Console.WriteLine($"Wrote {folder}/: the modules, {RtlGenerator.FileListName} (iverilog -c {list} or verilator -f {list} from here), "
                + $"{localList.Name} (verilator -F {listPrefix}{localList.Name} from anywhere), {CoreFile.FileName} (FuseSoC), the register map {RegisterMap.HeaderFile} / .json / .md, {ManifestFile}, {BoardConstraints.SdcFile}"
                + (boardOutput is null ? "" : ", " + boardOutput.Constraints.Name));
            return 0;
        }));
        return command;
    }
}
