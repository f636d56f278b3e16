using EieHdl.Processes;

namespace EieHdl.Tests.Hardware;

/// <summary>Assertions on tool runs; a failure message carries the command and its whole output.</summary>
internal static class ToolAssert
{
    /// <summary>Verilator exited 0 and printed no warning or error.</summary>
    public static void LintClean(ToolResult result)
    {
        Assert.True(result.Ok, result.ToString());
        Assert.DoesNotContain("%Warning", result.Output);
        Assert.DoesNotContain("%Error", result.Output);
    }

    /// <summary>Every yosys assertion of the script held and no latch cell shows in the log.</summary>
    public static void SynthClean(ToolResult result)
    {
        Assert.True(result.Ok, result.ToString());
        // Only the statistics, not the echoed script, which names the latch cell types itself.
        int stat = result.Output.LastIndexOf("Printing statistics", StringComparison.Ordinal);
        Assert.True(stat >= 0, result.ToString());
        Assert.DoesNotContain("dlatch", result.Output[stat..], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("logic loop", result.Output, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Icarus compiled without a message.</summary>
    public static void CompileClean(ToolResult result)
    {
        Assert.True(result.Ok, result.ToString());
        Assert.True(string.IsNullOrWhiteSpace(result.Output), result.ToString());
    }
}
