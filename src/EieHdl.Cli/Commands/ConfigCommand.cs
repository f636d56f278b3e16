using System.CommandLine;
using System.Text.Json.Nodes;
using EieHdl.Config;

namespace EieHdl.Cli.Commands;

/// <summary>
/// `eiehdl config`: prints the effective configuration (the defaults, a --config file, --pes
/// and --set, validated as every other command validates them) as the JSON a --config file
/// takes, so a setting can be checked, or saved and edited, before a long run.
/// </summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var pes = CommonOptions.Pes();
        var json = CommonOptions.Json();
        var command = new Command("config", "Print the effective configuration (defaults, --config, --pes, --set) as config JSON")
        {
            config, pes, CommonOptions.Set(), json,
        };
        command.SetAction(parse => CommonOptions.Run(() =>
        {
            var cfg = CommonOptions.LoadConfig(parse, config, pes);
            string fields = ConfigLoader.ToJson(cfg);
            if (parse.GetValue(json))
            {
                // The same fields inside the document every --json output is: one object on stdout.
                CommonOptions.PrintJson(new { config = JsonNode.Parse(fields), file = parse.GetValue(config) });
                return 0;
            }
            Console.Out.WriteLine(fields);
            return 0;
        }));
        return command;
    }
}
