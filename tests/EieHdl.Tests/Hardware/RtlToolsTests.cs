using EieHdl.Processes;

namespace EieHdl.Tests.Hardware;

public class RtlToolsTests
{
    [Fact]
    public void AMissingToolFailsLoudlyWithTheInstallCommand()
    {
        var e = Assert.Throws<ToolMissingException>(() =>
            RtlTools.Run("eiehdl-no-such-tool", [], Path.GetTempPath()));
        Assert.Contains("eiehdl-no-such-tool", e.Message);
        Assert.Contains(RtlTools.InstallHint, e.Message);
    }

    [Theory]
    [InlineData("verilator", "--version")]
    [InlineData("yosys", "-V")]
    [InlineData("iverilog", "-V")]
    public void EachToolIsInstalled(string tool, string versionFlag)
    {
        var result = RtlTools.Run(tool, [versionFlag], Path.GetTempPath());
        Assert.Contains(tool == "iverilog" ? "Icarus" : tool, result.Output, StringComparison.OrdinalIgnoreCase);
    }
}
