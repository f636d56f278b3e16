using System.CommandLine;
using System.Text.Json;
using System.Globalization;
using System.Text;
using EieHdl.Config;
using EieHdl.Flows;
using EieHdl.IO;

namespace EieHdl.Cli.Commands;

/// <summary>Options every command shares, and the error and output conventions they all follow.</summary>
internal static class CommonOptions
{
    public static Option<string?> Config() => new("--config") { Description = "Configuration JSON (every field optional; EIE's defaults)" };
    public static Option<int?> Pes() => new("--pes") { Description = "Number of PEs, 1..256 (overrides the config file)" };
    /// <summary>The name of <see cref="Set"/>, by which <see cref="LoadConfig"/> finds it on any command that has it.</summary>
    public const string SetName = "--set";

    public static Option<string[]> Set() => new(SetName)
    {
        Description = "Field=Value: set one config field over the file and the defaults (repeatable; checked like the file)",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<bool> Quiet() => new("--quiet") { Description = "No progress lines on stderr" };

    public static Option<bool> Json() => new("--json") { Description = "Print one machine-readable JSON document instead of the human summary" };

    public static Option<bool> Force() => new("--force")
    {
        Description = $"Replace an existing output folder that eiehdl did not write (one without {OutputFolder.MarkerFile}); "
            + "never the working folder, the home folder, / or a folder above them or above an input",
    };

    /// <summary>--plot FILE.png: a figure beside the command's other output.</summary>
    public static Option<string?> Plot(string what) => new("--plot") { Description = $"Also draw {what} into this .png" };

    /// <summary>The --plot file, checked before any work (a .png, a writable file, none of the command's inputs); null without --plot.</summary>
    public static OutputFiles? PlotTarget(string? path, IEnumerable<string?> inputs)
    {
        if (path is null) return null;
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new EieInputException($"--plot: must name a .png file, got '{path}'");
        return OutputFiles.Check("--plot", [path], inputs);
    }

    /// <summary>What a command reads of a model folder: an output may hold neither, but may sit beside them.</summary>
    public static string[] ModelInputs(string model) =>
        [Path.Combine(model, ModelFolder.ManifestFile), Path.Combine(model, ModelFolder.ImagesFolder)];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// The effective config of a command: its --config file (or the defaults), --pes, and the
    /// --set settings when the command has that option.
    /// </summary>
    public static EieConfig LoadConfig(ParseResult parse, Option<string?> config, Option<int?> pes)
    {
        var overrides = new Dictionary<string, int>();
        if (parse.GetValue(pes) is int n) overrides[nameof(EieConfig.Pes)] = n;
        bool hasSet = parse.CommandResult.Command.Options.Any(o => o.Name == SetName);
        return ConfigLoader.Load(parse.GetValue(config), overrides, hasSet ? parse.GetValue<string[]>(SetName) : null);
    }

    /// <summary>What made a result: this build, <paramref name="tools"/>' versions, and the command line as parsed.</summary>
    public static Integration.Provenance Provenance(ParseResult parse, IEnumerable<string> tools) =>
        Integration.Provenance.Capture(parse.Tokens.Select(t => t.Value), tools);

    public static string ToJson<T>(T document) => JsonSerializer.Serialize(document, JsonOptions);

    public static void PrintJson<T>(T document) => Console.Out.WriteLine(ToJson(document));

    /// <summary>
    /// Runs a command body: a bad input, or a file system refusing an output, becomes one
    /// "eiehdl: error: ..." line on stderr and exit code 2; the bodies write their outputs
    /// atomically, so nothing is left.
    /// </summary>
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (EieInputException e)
        {
            PrintError(e.Message);
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            PrintError(e.Message);
            return 2;
        }
    }

    /// <summary>
    /// The one place an error is printed: "eiehdl: error: " and the message on one line, with
    /// every control character (a newline in a file name, say) escaped so it cannot split it.
    /// </summary>
    public static void PrintError(string message) => Console.Error.WriteLine("eiehdl: error: " + OneLine(message));

    public static string OneLine(string text)
    {
        var s = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            switch (c)
            {
                case '\n': s.Append("\\n"); break;
                case '\r': s.Append("\\r"); break;
                case '\t': s.Append("\\t"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029')
                        s.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    else s.Append(c);
                    break;
            }
        }
        return s.ToString();
    }
}
