using System.Text.Json;
using EieHdl.Integration;
using EieHdl.Processes;
using EieHdl.Tests.Cli;
using EieHdl.Tests.Fpga;

namespace EieHdl.Tests.Integration;

/// <summary>rtl_manifest.json and the reports say which build, which commit, which tools and which command made them.</summary>
public class ProvenanceTests
{
    [Fact]
    public void TheRtlManifestRecordsTheCommitAndTheCommandToRerun()
    {
        using var scratch = new ScratchFolder();
        var run = InProcessCli.Run("generate", "--pes", "2", "--set", "MaxLayers=3", "--out", scratch["rtl"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(scratch["rtl"], "rtl_manifest.json")));
        var made = doc.RootElement.GetProperty("provenance");
        Assert.Equal("eiehdl", made.GetProperty("generator").GetString());
        var describe = RtlTools.Run("git", ["describe", "--always", "--dirty", "--tags"], FpgaTestConfigs.RepoRoot);
        Assert.True(describe.Ok, describe.ToString());
        Assert.Equal(describe.Output.Trim(), made.GetProperty("commit").GetString());
        Assert.Equal($"eiehdl generate --pes 2 --set MaxLayers=3 --out {scratch["rtl"]}", made.GetProperty("command").GetString());
        Assert.Empty(made.GetProperty("tools").EnumerateObject());
    }

    [Theory]
    [InlineData("out/rtl", "out/rtl")]
    [InlineData("Pes=4", "Pes=4")]
    [InlineData("my dir", "'my dir'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("", "''")]
    [InlineData("$HOME", "'$HOME'")]
    public void ArgumentsAreQuotedForAPosixShell(string word, string quoted) => Assert.Equal(quoted, Provenance.ShellQuote(word));

    [Fact]
    public void ToolVersionsAreTheToolsOwnFirstLines()
    {
        var made = Provenance.Capture(["synth"], ["yosys", "nextpnr-ice40"]);
        Assert.StartsWith("Yosys ", made.Tools["yosys"]);
        Assert.Contains("nextpnr-ice40", made.Tools["nextpnr-ice40"]);
        Assert.Equal("eiehdl synth", made.Command);
    }
}
