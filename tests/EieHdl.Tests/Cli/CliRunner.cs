using System.Diagnostics;
using EieHdl.Tests.Processes;

namespace EieHdl.Tests.Cli;

/// <summary>Runs the real `eiehdl` program in its own process, as a user would.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);

internal static class CliRunner
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "eiehdl.dll");

    /// <summary>
    /// Longest one command may take: a cold 64-PE Verilator build on a loaded two-core machine
    /// takes tens of minutes; a command that takes longer hangs, and fails its test.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(60);

    public static CliResult Run(string workingDirectory, params string[] args)
    {
        var (exitCode, stdout, stderr) = ChildRun.Run(Start(workingDirectory, args), Timeout);
        return new CliResult(exitCode, stdout, stderr);
    }

    /// <summary>The start info of `eiehdl <paramref name="args"/>` in <paramref name="workingDirectory"/>.</summary>
    public static ProcessStartInfo Start(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }

    /// <summary>A bad input: exit code 2, exactly one line on stderr that contains every fragment.</summary>
    public static void AssertOneLineError(CliResult result, params string[] fragments)
    {
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}; stderr: {result.Stderr}; stdout: {result.Stdout}");
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("eiehdl: error: ", lines[0]);
        foreach (var f in fragments) Assert.Contains(f, lines[0]);
    }
}

/// <summary>A scratch folder per test, removed afterwards.</summary>
public sealed class ScratchFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("eiehdl-cli-").FullName;
    public string this[string name] => System.IO.Path.Combine(Path, name);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
