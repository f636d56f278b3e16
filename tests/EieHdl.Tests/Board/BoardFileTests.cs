using System.Text.RegularExpressions;
using static System.FormattableString;
using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Processes;
using EieHdl.Tests.Cli;
using EieHdl.Tests.Fpga;
using EieHdl.Tests.Hardware;
using HwBoard = EieHdl.Hardware.Board;

namespace EieHdl.Tests.Board;

/// <summary>
/// The board tops as files: they lint clean with Verilator -Wall and compile with Icarus, the
/// generator is deterministic, the pin files name exactly the top's ports on the boards'
/// documented pins, and the committed files in hw/boards/ (the iCEBreaker's RTL) and
/// constraints/ (every board's pins) are what the generator writes (make boards regenerates them).
/// </summary>
public sealed partial class BoardFileTests
{
    public static TheoryData<string> Boards => new(HwBoard.All.Select(b => b.Name));

    /// <summary>The configuration each board's committed files are generated with (as in the Makefile).</summary>
    internal static string ConfigPath(HwBoard board) =>
        Path.Combine(FpgaTestConfigs.RepoRoot, "hw", "configs", board == HwBoard.ArtyA7 ? "arty-a7.json" : "ice40-small.json");

    internal static EieConfig ConfigFor(HwBoard board) => ConfigLoader.Load(ConfigPath(board));

    [Theory]
    [MemberData(nameof(Boards))]
    public void TheBoardTopLintsCleanAndCompilesWithIcarus(string name)
    {
        var board = HwBoard.Find(name);
        var output = BoardRtl.Generate(ConfigFor(board), board);
        var folder = Directory.CreateTempSubdirectory("eiehdl-board-").FullName;
        try
        {
            output.WriteTo(folder);
            var files = output.Rtl.Modules.Select(m => m.Name).ToArray();
            Assert.Equal(board.Module + ".v", files[^1]);
            ToolAssert.LintClean(RtlTools.Lint(folder, files, board.Module, timeout: TimeSpan.FromMinutes(10)));
            ToolAssert.CompileClean(RtlTools.Icarus(folder, files, board.Module));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TheUartBridgeSynthesisesWithoutLatchOrLoop()
    {
        var config = FpgaTestConfigs.Small;
        var host = new UartHost(config, new UartTiming(12_000_000, 115_200));
        var folder = Directory.CreateTempSubdirectory("eiehdl-board-").FullName;
        try
        {
            var rtl = RtlGenerator.Generate(config, host);
            rtl.WriteTo(folder);
            string[] files = ["eie_uart_rx.v", "eie_uart_tx.v", "eie_uart_host.v"];
            ToolAssert.SynthClean(RtlTools.SynthCheck(folder, files, "eie_uart_host"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TheSameConfigGivesByteIdenticalFilesAndTheBaudOnlyTouchesTheUart()
    {
        var config = FpgaTestConfigs.Small;
        var a = BoardRtl.Generate(config, HwBoard.IceBreaker);
        var b = BoardRtl.Generate(config with { }, HwBoard.IceBreaker);
        Assert.Equal(a.Rtl.AllFiles.Select(f => (f.Name, f.Text)), b.Rtl.AllFiles.Select(f => (f.Name, f.Text)));
        Assert.Equal(a.Constraints, b.Constraints);

        var fast = BoardRtl.Generate(config, HwBoard.IceBreaker, 1_000_000);
        var changed = a.Rtl.Modules.Zip(fast.Rtl.Modules).Where(p => p.First.Text != p.Second.Text).Select(p => p.First.Name).Order();
        Assert.Equal(["eie_icebreaker_top.v", "eie_uart_host.v", "eie_uart_rx.v", "eie_uart_tx.v"], changed);
        Assert.Contains("30 clocks per bit", fast.Rtl.Modules.Single(m => m.Name == "eie_uart_rx.v").Text);
        // Everything below the bridge is the plain generator's eie_top.
        var plain = RtlGenerator.Generate(config).Modules.ToDictionary(m => m.Name, m => m.Text);
        foreach (var m in a.Rtl.Modules.Where(m => plain.ContainsKey(m.Name)))
            Assert.Equal(plain[m.Name], m.Text);
    }

    [Theory]
    [MemberData(nameof(Boards))]
    public void ThePinFileNamesEveryPortOfTheTopOnce(string name)
    {
        var board = HwBoard.Find(name);
        var output = BoardRtl.Generate(ConfigFor(board), board);
        var top = output.Rtl.Modules.Single(m => m.Name == board.Module + ".v").Text;
        var header = top[top.IndexOf("module " + board.Module, StringComparison.Ordinal)..top.IndexOf(");", StringComparison.Ordinal)];
        var ports = PortName().Matches(header).Select(m => m.Groups[1].Value).Order().ToArray();
        var pattern = board.Format == ConstraintFormat.Pcf ? PcfPort() : XdcPort();
        var pinned = pattern.Matches(output.Constraints.Text).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(ports, pinned.Order());
        Assert.Equal(pinned.Length, pinned.Distinct().Count());
    }

    [Fact]
    public void TheUartAndClockPinsAreTheBoardsDocumentedOnes()
    {
        // iCEBreaker: icebreaker.pcf of icestorm; HX8K breakout: its user guide; Arty: Digilent's master XDC.
        Assert.Equal(("35", "6", "9", "10"), Pins(HwBoard.IceBreaker));
        Assert.Equal(("J3", "B10", "B12", null), Pins(HwBoard.Hx8kBreakout));
        Assert.Equal(("E3", "A9", "D10", "C2"), Pins(HwBoard.ArtyA7));
        Assert.Contains("set_io uart_rx_i   6 ", HwBoard.IceBreaker.Format == ConstraintFormat.Pcf ? BoardConstraints.Pcf(HwBoard.IceBreaker) : "");
        Assert.Contains("create_clock -name clk -period 10.000", BoardConstraints.Xdc(HwBoard.ArtyA7));

        static (string, string, string, string?) Pins(HwBoard b) => (b.Clock.Site, b.UartRx.Site, b.UartTx.Site, b.ResetButton?.Site);
    }

    /// <summary>
    /// The one board whose RTL is committed (as in the Makefile): a complete example of what
    /// <c>generate --board</c> writes. The other boards' RTL differs from it only in widths and
    /// clock constants, so it is generated on demand; their pin files are committed.
    /// </summary>
    internal static HwBoard CommittedBoard => HwBoard.IceBreaker;

    [Theory]
    [MemberData(nameof(Boards))]
    public void TheCommittedBoardFilesAreTheGeneratorsOutput(string name)
    {
        var board = HwBoard.Find(name);
        var output = BoardRtl.Generate(ConfigFor(board), board);
        string root = FpgaTestConfigs.RepoRoot, boards = Path.Combine(root, "hw", "boards");
        const string Hint = "; run `make boards` to regenerate";
        if (board == CommittedBoard)
        {
            var expected = output.Rtl.Modules
                .Where(m => m.Name.StartsWith(board.Module, StringComparison.Ordinal) || m.Name.StartsWith("eie_uart_", StringComparison.Ordinal))
                .ToDictionary(m => m.Name, m => m.Text);
            var committed = Directory.GetFiles(Path.Combine(boards, board.Name)).Select(Path.GetFileName).Order().ToArray();
            Assert.Equal(expected.Keys.Order(), committed);
            foreach (var (file, text) in expected)
                Assert.True(text == File.ReadAllText(Path.Combine(boards, board.Name, file)), $"hw/boards/{board.Name}/{file} differs from the generator{Hint}");
        }
        Assert.True(output.Constraints.Text == File.ReadAllText(Path.Combine(root, "constraints", board.ConstraintFile)),
            $"constraints/{board.ConstraintFile} differs from the generator{Hint}");
    }

    [Fact]
    public void HwBoardsHoldsTheCommittedBoardOnly()
    {
        var committed = Directory.GetDirectories(Path.Combine(FpgaTestConfigs.RepoRoot, "hw", "boards")).Select(Path.GetFileName);
        Assert.Equal([CommittedBoard.Name], committed);
    }

    [Fact]
    public void TheCommittedSdcIsTheAsicOneAndABoardsSdcHasTheBoardsClock()
    {
        Assert.True(BoardConstraints.Sdc() == File.ReadAllText(Path.Combine(FpgaTestConfigs.RepoRoot, "constraints", BoardConstraints.SdcFile)),
            $"constraints/{BoardConstraints.SdcFile} differs from the generator; run `make boards` to regenerate");
        Assert.Contains("set period 1.25\n", BoardConstraints.Sdc());
        Assert.Contains("set period 33.333\n", BoardRtl.Generate(FpgaTestConfigs.Small, HwBoard.IceBreaker).Sdc.Text);
        Assert.Contains("set period 10\n", BoardRtl.Generate(ConfigFor(HwBoard.ArtyA7), HwBoard.ArtyA7).Sdc.Text);
    }

    [Theory]
    [InlineData("10000000", "baud must be in [300, clock / 4 = 7500000], got 10000000")]
    [InlineData("2400000", "baud 2400000 from a 30000000 Hz clock needs a divisor of 12.50; the nearest, 13, is 3.8% off, limit 2%")]
    public void ABaudTheClockCannotMakeIsOneLineAndExit2(string baud, string message)
    {
        using var scratch = new ScratchFolder();
        var result = CliRunner.Run(scratch.Path, "generate", "--board", "icebreaker", "--baud", baud,
            "--config", FpgaTestConfigs.SmallConfigPath, "--out", scratch["rtl"]);
        CliRunner.AssertOneLineError(result, "--baud", message);
        Assert.False(Directory.Exists(scratch["rtl"]));
    }

    [Fact]
    public void AnUnknownBoardIsOneLineAndExit2()
    {
        using var scratch = new ScratchFolder();
        var result = CliRunner.Run(scratch.Path, "generate", "--board", "icestick", "--out", scratch["rtl"]);
        CliRunner.AssertOneLineError(result, "--board", "icebreaker, hx8k-breakout, arty-a7", "'icestick'");
        var synth = CliRunner.Run(scratch.Path, "synth", "--board", "icebreaker", "--target", "ice40-up5k");
        CliRunner.AssertOneLineError(synth, "give one of --target", "got both");
    }

    [Fact]
    public void GenerateWritesTheBoardTopItsPinFileAndTheSdc()
    {
        using var scratch = new ScratchFolder();
        var result = CliRunner.Run(scratch.Path, "generate", "--board", "hx8k-breakout", "--config", FpgaTestConfigs.SmallConfigPath,
            "--out", scratch["rtl"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        foreach (var f in new[] { "eie_hx8k_breakout_top.v", "eie_uart_host.v", "eie_top.v", "hx8k-breakout.pcf", "eie_top.sdc", "eie.f" })
            Assert.True(File.Exists(Path.Combine(scratch["rtl"], f)), f);
        Assert.Equal(BoardConstraints.Sdc(HwBoard.Hx8kBreakout), File.ReadAllText(Path.Combine(scratch["rtl"], "eie_top.sdc")));
        Assert.EndsWith("eie_hx8k_breakout_top.v\n", File.ReadAllText(Path.Combine(scratch["rtl"], "eie.f")));
    }

    [GeneratedRegex(@"(?:input|output)\s+wire\s+(?:\[[^\]]+\]\s*)?(\w+)")]
    private static partial Regex PortName();

    [GeneratedRegex(@"^set_io\s+(\S+)", RegexOptions.Multiline)]
    private static partial Regex PcfPort();

    [GeneratedRegex(@"PACKAGE_PIN.*\[get_ports \{ (\S+) \}\]", RegexOptions.Multiline)]
    private static partial Regex XdcPort();
}
