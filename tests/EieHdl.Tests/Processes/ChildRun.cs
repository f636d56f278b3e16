using System.Diagnostics;

namespace EieHdl.Tests.Processes;

/// <summary>
/// Runs a child process of a test to its end, capturing stdout and stderr. A child that hangs
/// is killed with its whole process tree after the timeout and the test fails naming it, so a
/// hung tool fails one test instead of hanging the suite.
/// </summary>
internal static class ChildRun
{
    public static (int ExitCode, string Stdout, string Stderr) Run(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"{Describe(start)} did not finish within {timeout.TotalMinutes:F0} min; its process tree was killed."
                + $"\nstdout:\n{stdout.Result}\nstderr:\n{stderr.Result}");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string Describe(ProcessStartInfo start) =>
        string.Join(' ', [start.FileName, .. start.ArgumentList]);
}
