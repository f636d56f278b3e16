using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Tests.Fpga;
using HwBoard = EieHdl.Hardware.Board;

namespace EieHdl.Tests.Hardware;

/// <summary>
/// docs/architecture.md's port and latency tables are printed from the units' Ports and
/// Latencies, the same data that prints the modules' port lists and header comments. With
/// <see cref="WriteVariable"/> set to 1 the test rewrites the committed tables instead of
/// comparing them.
/// </summary>
public sealed class ArchitectureDocTests
{
    public const string WriteVariable = "EIEHDL_WRITE_DOCS";

    private const string Begin = "<!-- ports and latency: printed by ArchitectureDocTests, do not edit -->\n";
    private const string End = "<!-- end of ports and latency -->\n";

    /// <summary>The default config's modules, then the iCEBreaker board's (with the config its committed files use).</summary>
    internal static string Tables()
    {
        var board = HwBoard.IceBreaker;
        var boardTop = new BoardTop(EieHdl.Tests.Board.BoardFileTests.ConfigFor(board), board);
        return "Default configuration (64 PEs), in file-list order:\n\n"
            + InterfaceText.Markdown(RtlGenerator.DependencyOrder(RtlGenerator.Units(new EieConfig())))
            + "\nThe board units (iCEBreaker, `hw/configs/ice40-small.json`, 115200 baud):\n\n"
            + InterfaceText.Markdown([boardTop.Host.Rx, boardTop.Host.Tx, boardTop.Host, boardTop]);
    }

    [Fact]
    public void ThePortAndLatencyTablesArePrintedFromTheUnits()
    {
        var path = Path.Combine(FpgaTestConfigs.RepoRoot, "docs", "architecture.md");
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        int begin = text.IndexOf(Begin, StringComparison.Ordinal), end = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"{path}: no \"{Begin.TrimEnd()}\" ... \"{End.TrimEnd()}\" section");
        var expected = text[..(begin + Begin.Length)] + Tables() + text[end..];
        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
            File.WriteAllText(path, expected);
        else
            Assert.True(expected == text,
                $"{path}: the port and latency tables differ from the units' data; rerun this test with {WriteVariable}=1 to rewrite them");
    }
}
