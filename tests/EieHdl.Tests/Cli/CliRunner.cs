using System.Diagnostics;

namespace EieHdl.Tests.Cli;

/// <summary>Runs the real `eiehdl` program in its own process, as a user would.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);

internal static class CliRunner
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "eiehdl.dll");

    public static CliResult Run(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
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
