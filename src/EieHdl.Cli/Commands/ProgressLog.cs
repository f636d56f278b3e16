using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EieHdl.Cli.Commands;

/// <summary>
/// Progress of a long command on stderr, one line per phase in the style of `mnist` and
/// `soak`: "<command>: <phase> (<seconds since the command began> s)". Stdout stays for the
/// result (the human summary or the --json document); --quiet silences it. A command writes its
/// first line only after every input check, so a refusal is still the one stderr line.
/// </summary>
internal sealed partial class ProgressLog(string command, bool quiet)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public void Step(string phase)
    {
        if (quiet) return;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{command}: {phase} ({clock.Elapsed.TotalSeconds:F1} s)"));
    }

    /// <summary>
    /// A step of the Verilator build, which ends in its own whole-second build time; this log's
    /// time since the command started replaces it, so that every line has one format.
    /// </summary>
    public void BuildStep(string step) => Step(BuildTime().Replace(step, ""));

    [GeneratedRegex(@" \([0-9]+ s\)$")]
    private static partial Regex BuildTime();
}
