using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace EieHdl.Processes;

/// <summary>Exit code and merged stdout/stderr of one tool run, with the command for messages.</summary>
public sealed record ToolResult(string Command, int ExitCode, string Output)
{
    public bool Ok => ExitCode == 0;

    public override string ToString() => $"$ {Command}\n(exit {ExitCode})\n{Output}";
}

/// <summary>
/// Runs the open-source RTL tools on generated files: Verilator lint, Yosys synthesis checks,
/// Icarus compile and simulation. A missing tool throws (it never reads as a pass), naming the
/// Debian packages to install.
/// </summary>
public static class RtlTools
{
    public const string InstallHint = "apt-get install -y --no-install-recommends verilator yosys iverilog";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>How long a tool that died of an interrupt waits for this process's own interrupt handling.</summary>
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// <c>verilator --lint-only -Wall</c> in Verilog-2005 mode on <paramref name="files"/> with
    /// <paramref name="top"/> as top module; <paramref name="parameters"/> override its parameters.
    /// </summary>
    public static ToolResult Lint(string folder, IEnumerable<string> files, string top,
        IReadOnlyDictionary<string, int>? parameters = null, TimeSpan? timeout = null)
    {
        var args = new List<string> { "--lint-only", "-Wall", "--default-language", "1364-2005", "--top-module", top };
        foreach (var (name, value) in parameters ?? new Dictionary<string, int>())
            args.Add(string.Create(CultureInfo.InvariantCulture, $"-G{name}={value}"));
        args.AddRange(files);
        return Run("verilator", args, folder, timeout);
    }

    /// <summary>
    /// Yosys with <paramref name="script"/> run after reading <paramref name="files"/> as
    /// Verilog-2005. A script command such as <c>check -assert</c> or <c>select -assert-none</c>
    /// that fails makes the exit code non-zero.
    /// </summary>
    public static ToolResult Yosys(string folder, IEnumerable<string> files, string script) =>
        Run("yosys", ["-p", $"read_verilog {string.Join(' ', files)}; {script}"], folder);

    /// <summary>
    /// The synthesis checks every unit passes: elaborates <paramref name="top"/>, then asserts
    /// no combinational loop, no multiple or missing driver (<c>check -assert</c>) and no latch,
    /// both after <c>proc</c> and after a generic <c>synth</c>; ends with <c>stat</c>.
    /// </summary>
    public static ToolResult SynthCheck(string folder, IEnumerable<string> files, string top,
        IReadOnlyDictionary<string, int>? parameters = null)
    {
        var chparam = parameters is { Count: > 0 }
            ? "chparam " + string.Join(' ', parameters.Select(p =>
                string.Create(CultureInfo.InvariantCulture, $"-set {p.Key} {p.Value}"))) + $" {top}; "
            : "";
        const string NoLatch = "select -assert-none t:$dlatch t:$adlatch t:$dlatchsr t:$sr";
        return Yosys(folder, files,
            $"{chparam}hierarchy -check -top {top}; proc; check -assert; {NoLatch}; "
            + $"synth -top {top}; check -assert; select -assert-none t:$_DLATCH* t:$_SR_*; stat");
    }

    /// <summary><c>iverilog -g2005 -Wall</c>: compiles <paramref name="files"/> into <paramref name="output"/>.</summary>
    public static ToolResult Icarus(string folder, IEnumerable<string> files, string top, string output = "sim.vvp") =>
        Run("iverilog", ["-g2005", "-Wall", "-s", top, "-o", output, .. files], folder);

    /// <summary>Runs a compiled Icarus simulation.</summary>
    public static ToolResult Vvp(string folder, string compiled = "sim.vvp") =>
        Run("vvp", ["-n", compiled], folder);

    /// <summary>
    /// Runs <paramref name="tool"/> in <paramref name="folder"/>, waiting at most
    /// <paramref name="timeout"/> (then its process tree is killed). The child is tracked by
    /// <see cref="ProcessCleanup.Current"/>, so an interrupt kills it; a run that an interrupt
    /// ended never returns (the process is exiting).
    /// </summary>
    /// <param name="onLine">Called with each line of standard output as the tool writes it (from another thread), e.g. for progress.</param>
    /// <exception cref="ToolMissingException">The tool is not installed; the message names <paramref name="installHint"/>.</exception>
    public static ToolResult Run(string tool, IReadOnlyList<string> args, string folder, TimeSpan? timeout = null,
        string installHint = InstallHint, Action<string>? onLine = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        var command = tool + " " + string.Join(' ', args.Select(a => a.Contains(' ') ? $"'{a}'" : a));
        var cleanup = ProcessCleanup.Current;
        Process process;
        try
        {
            process = cleanup.Start(start);
        }
        catch (Win32Exception e)
        {
            throw new ToolMissingException($"{tool} is not installed or not on PATH ({e.Message}); run: {installHint}", e);
        }
        try
        {
            var stdout = onLine is null ? process.StandardOutput.ReadToEndAsync() : ReadLinesAsync(process.StandardOutput, onLine);
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? DefaultTimeout))
            {
                process.Kill(entireProcessTree: true);
                cleanup.WaitIfStopping();
                throw new TimeoutException($"{command} did not finish within {timeout ?? DefaultTimeout}");
            }
            process.WaitForExit();
            cleanup.WaitIfInterrupted(process.ExitCode, InterruptGrace);
            return new ToolResult(command, process.ExitCode, stdout.Result + stderr.Result);
        }
        finally
        {
            cleanup.Forget(process);
            process.Dispose();
        }
    }

    /// <summary>The whole text of <paramref name="reader"/>, handing each line to <paramref name="onLine"/> as it arrives.</summary>
    private static Task<string> ReadLinesAsync(StreamReader reader, Action<string> onLine) => Task.Run(() =>
    {
        var text = new System.Text.StringBuilder();
        while (reader.ReadLine() is { } line)
        {
            text.Append(line).Append('\n');
            onLine(line);
        }
        return text.ToString();
    });
}

/// <summary>A tool is not installed or not on PATH; the message says what to install.</summary>
public sealed class ToolMissingException(string message, Exception inner) : InvalidOperationException(message, inner);
