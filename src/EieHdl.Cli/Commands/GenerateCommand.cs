using System.CommandLine;
using System.Diagnostics;
using System.Security.Cryptography;
using EieHdl.Config;
using EieHdl.Hardware;
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
        var command = new Command("generate", "Generate the EIE accelerator's Verilog (one file per module, eie.f, rtl_manifest.json)")
        {
            output, config, pes, json,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            var cfg = CommonOptions.LoadConfig(parse, config, pes);
            string folder = parse.GetValue(output)!;
            var clock = Stopwatch.StartNew();
            var rtl = RtlGenerator.Generate(cfg);
            clock.Stop();
            var modules = rtl.Modules.Select(m => new
            {
                file = m.Name,
                lines = m.Text.Count(c => c == '\n'),
                sha256 = Convert.ToHexStringLower(SHA256.HashData(AtomicOutput.Utf8.GetBytes(m.Text))),
            }).ToArray();
            var manifest = new { generator = "EieHdl", top = "eie_top", fileList = RtlGenerator.FileListName, config = cfg, modules };
            AtomicOutput.WriteFolder(folder, tmp =>
            {
                rtl.WriteTo(tmp);
                File.WriteAllText(Path.Combine(tmp, ManifestFile), CommonOptions.ToJson(manifest) + "\n", AtomicOutput.Utf8);
            });
            if (parse.GetValue(json))
            {
                CommonOptions.PrintJson(new { folder, generationMs = clock.Elapsed.TotalMilliseconds, manifest });
                return 0;
            }
            Console.WriteLine($"eie_top for {cfg.Pes} PEs: {modules.Length} modules, {modules.Sum(m => m.lines)} lines of Verilog, generated in {clock.Elapsed.TotalMilliseconds:F0} ms");
            foreach (var m in modules) Console.WriteLine($"  {m.file,-22} {m.lines,6} lines");
            Console.WriteLine($"Wrote {folder}/: the modules, {RtlGenerator.FileListName} (verilator -F {folder}/{RtlGenerator.FileListName}), {ManifestFile}");
            return 0;
        }));
        return command;
    }
}
