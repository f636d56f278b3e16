using EieHdl.Processes;

namespace EieHdl.Fpga;

/// <summary>One tool run of an FPGA flow (yosys, nextpnr-ice40, icepack) in the flow's folder.</summary>
internal static class FlowTool
{
    /// <summary>
    /// Runs <paramref name="tool"/>; a non-zero exit throws <see cref="FpgaFlowException"/> with
    /// the tool's own error lines (from its output and <paramref name="log"/>), what an overfull
    /// device lacked for <paramref name="module"/>, and the log's name.
    /// </summary>
    public static ToolResult Run(string tool, IReadOnlyList<string> args, string folder, string? log, TimeSpan timeout, string module)
    {
        var result = RtlTools.Run(tool, args, folder, timeout);
        if (result.Ok) return result;
        string text = result.Output;
        if (log is not null && File.Exists(Path.Combine(folder, log))) text += "\n" + File.ReadAllText(Path.Combine(folder, log));
        var errors = ToolLogs.ErrorLines(text);
        string quoted = errors.Count > 0 ? string.Join(" | ", errors)
            : text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";
        var overfull = ToolLogs.OverfullBels(text);
        if (overfull.Count > 0) quoted += $" (the design needs {string.Join(", ", overfull)} of {module})";
        throw new FpgaFlowException($"{tool} failed (exit {result.ExitCode}): {quoted} (log: {Path.Combine(folder, log ?? tool + ".log")})");
    }
}
