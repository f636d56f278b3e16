using System.Text.RegularExpressions;

namespace EieHdl.Tests.Cli;

/// <summary>`soak` shows each config and its Verilator build on stderr, in the one progress format; --quiet silences it.</summary>
public partial class SoakProgressTests
{
    // Config seed 1 is a 4-PE config: a short build, shared through the Verilator cache.
    private static readonly string[] Replay = ["soak", "--replay", "1:1"];

    [Fact]
    public void ReportsTheConfigItsBuildAndItsCasesOnStderr()
    {
        var run = InProcessCli.Run(Replay);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("soak: replay 1:1: passed", run.Stdout.Trim());
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.Matches(ProgressLine(), l));
        Assert.StartsWith("soak: config 1 (seed 1, 4 PEs): building eie_top (", lines[0]);
        // A cold build reports its steps, a cached one says so.
        Assert.True(lines.Any(l => l.StartsWith("soak: eie_top: built (", StringComparison.Ordinal))
            || lines.Any(l => l.StartsWith("soak: config 1: eie_top from the cache (", StringComparison.Ordinal)), run.Stderr);
        Assert.StartsWith("soak: config 1 (seed 1, 4 PEs): build ", lines[^1]);
        Assert.Contains("1 cases, 0 failed; total 1 cases, 0 failed (", lines[^1]);
    }

    [Fact]
    public void QuietLeavesStderrEmpty()
    {
        var run = InProcessCli.Run([.. Replay, "--quiet"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("soak: replay 1:1: passed", run.Stdout.Trim());
        Assert.Equal("", run.Stderr);
    }

    [GeneratedRegex(@"^soak: .+ \([0-9]+\.[0-9] s\)$")]
    private static partial Regex ProgressLine();
}
