using System.CommandLine;
using System.Text.Json;
using EieHdl.Config;

namespace EieHdl.Cli.Commands;

/// <summary>Options every command shares, and the error and output conventions they all follow.</summary>
internal static class CommonOptions
{
    public static Option<string?> Config() => new("--config") { Description = "Configuration JSON (every field optional; EIE's defaults)" };
    public static Option<int?> Pes() => new("--pes") { Description = "Number of PEs, 1..256 (overrides the config file)" };
    public static Option<bool> Json() => new("--json") { Description = "Print one machine-readable JSON document instead of the human summary" };

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static EieConfig LoadConfig(ParseResult parse, Option<string?> config, Option<int?> pes)
    {
        var overrides = new Dictionary<string, int>();
        if (parse.GetValue(pes) is int n) overrides[nameof(EieConfig.Pes)] = n;
        return ConfigLoader.Load(parse.GetValue(config), overrides);
    }

    public static string ToJson<T>(T document) => JsonSerializer.Serialize(document, JsonOptions);

    public static void PrintJson<T>(T document) => Console.Out.WriteLine(ToJson(document));

    /// <summary>
    /// Runs a command body: a bad input becomes one "eiehdl: error: ..." line on stderr and
    /// exit code 2; the bodies write their output folders atomically, so nothing is left.
    /// </summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (EieInputException e)
        {
            Console.Error.WriteLine($"eiehdl: error: {e.Message}");
            return 2;
        }
    }
}
