using System.Text.Json;

namespace EieHdl.Tests.Cli;

/// <summary>
/// Progress lines of long commands: on stderr only, each "<command>: <phase> (<s> s)", never in
/// the --json document on stdout, and none with --quiet.
/// </summary>
public class ProgressTests
{
    /// <summary>Asserts every stderr line is a progress line of <paramref name="command"/> and the phases come in order.</summary>
    internal static void AssertProgress(CliResult run, string command, params string[] phases)
    {
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.Matches($@"^{command}: .+ \([0-9]+\.[0-9] s\)$", l));
        int at = 0;
        foreach (var phase in phases)
        {
            int found = Array.FindIndex(lines, at, l => l.Contains(phase, StringComparison.Ordinal));
            Assert.True(found >= 0, $"no progress line with '{phase}' after line {at} in:\n{run.Stderr}");
            at = found;
        }
    }

    [Fact]
    public void WorkloadShowsItsPhasesOnStderrAndKeepsTheJsonClean()
    {
        using var scratch = new ScratchFolder();
        var run = InProcessCli.Run("workload", "alex8", "--pes", "16", "--out", scratch["w"], "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        AssertProgress(run, "workload", "synthetic", "compressing", "golden model");
        using var doc = JsonDocument.Parse(run.Stdout);
        Assert.Equal("alex8", doc.RootElement.GetProperty("workload").GetProperty("key").GetString());

        var quiet = InProcessCli.Run("workload", "alex8", "--pes", "16", "--out", scratch["w"], "--quiet");
        Assert.True(quiet.ExitCode == 0, quiet.Stderr);
        Assert.Equal("", quiet.Stderr);
        Assert.Contains("Wrote", quiet.Stdout);
    }
}
