using System.Reflection;
using EieHdl.Processes;

namespace EieHdl.Integration;

/// <summary>
/// Where a generated result came from: the eiehdl build (its version and the commit of the
/// checkout it was built from), the external tools that made it with their versions, and the
/// command that reruns it from the folder it ran in. Recorded in rtl_manifest.json and in the
/// synth and board reports.
/// </summary>
/// <param name="Commit"><c>git describe --always --dirty --tags</c> of the checkout eiehdl was built
/// from; the commit the build embedded when that checkout is gone; else "unknown".</param>
/// <param name="Command">The command line, each argument shell-quoted where it needs it.</param>
/// <param name="Tools">Tool name to the first line of its version output ("not installed" when missing).</param>
public sealed record Provenance(string Generator, string Version, string Commit, string Command, IReadOnlyDictionary<string, string> Tools)
{
    /// <summary>The version arguments of the tools eiehdl runs.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> VersionArguments = new Dictionary<string, string[]>
    {
        ["yosys"] = ["-V"],
        ["nextpnr-ice40"] = ["--version"],
        ["verilator"] = ["--version"],
        ["iverilog"] = ["-V"],
    };

    private static readonly Lazy<string> CommitOfBuild = new(FindCommit);

    /// <param name="arguments">The arguments after the program name, as the parser saw them.</param>
    /// <param name="tools">Tools whose versions to record, from <see cref="VersionArguments"/>.</param>
    public static Provenance Capture(IEnumerable<string> arguments, IEnumerable<string> tools) =>
        new("eiehdl", InformationalVersion().Split('+')[0], CommitOfBuild.Value,
            string.Join(' ', new[] { "eiehdl" }.Concat(arguments.Select(ShellQuote))),
            tools.Order(StringComparer.Ordinal).ToDictionary(t => t, ToolVersion));

    /// <summary>One line for a human report: the build, the tools and the command.</summary>
    public string Line() =>
        $"made by {Generator} {Version} ({Commit}){string.Concat(Tools.Select(t => $", {t.Value}"))}; rerun: {Command}";

    /// <summary>A POSIX shell word: as is when it holds only safe characters, else single-quoted.</summary>
    public static string ShellQuote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>The eiehdl program's version (the tool package's), else this library's when another program hosts it.</summary>
    private static string InformationalVersion()
    {
        var entry = Assembly.GetEntryAssembly();
        var assembly = entry?.GetName().Name == "eiehdl" ? entry : typeof(Provenance).Assembly;
        return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
    }

    private static string ToolVersion(string tool)
    {
        try
        {
            var result = RtlTools.Run(tool, VersionArguments[tool], Environment.CurrentDirectory, TimeSpan.FromSeconds(30));
            string first = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
            return result.Ok && first.Length > 0 ? first : $"unknown (exit {result.ExitCode})";
        }
        catch (ToolMissingException)
        {
            return "not installed";
        }
    }

    /// <summary>The checkout above the program's own folder (a build tree inside it), not the working folder's.</summary>
    private static string FindCommit()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string git = Path.Combine(dir.FullName, ".git");
            if (!Directory.Exists(git) && !File.Exists(git)) continue;
            try
            {
                var result = RtlTools.Run("git", ["describe", "--always", "--dirty", "--tags"], dir.FullName, TimeSpan.FromSeconds(30), "apt-get install -y git");
                if (result.Ok && result.Output.Trim() is { Length: > 0 } described && !described.Contains('\n')) return described;
            }
            catch (ToolMissingException)
            {
                // No git: fall back to the commit the build embedded.
            }
            break;
        }
        string version = InformationalVersion();
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 && version.Length - plus - 1 >= 7 ? version[(plus + 1)..Math.Min(version.Length, plus + 13)] : "unknown";
    }
}
