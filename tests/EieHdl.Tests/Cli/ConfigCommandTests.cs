using System.Text.Json;
using EieHdl.Config;

namespace EieHdl.Tests.Cli;

/// <summary>`eiehdl config` and --set: the printed config is the one the other commands use, and loads back unchanged.</summary>
public class ConfigCommandTests
{
    [Fact]
    public void PrintsTheEffectiveConfigWhichLoadsBackEqual()
    {
        using var scratch = new ScratchFolder();
        File.WriteAllText(scratch["base.json"], """{ "Pes": 8, "MaxLayers": 4 }""");
        var run = InProcessCli.Run("config", "--config", scratch["base.json"], "--set", "SpmatDepth=2048", "--set", "maxlayers=3", "--pes", "16");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("", run.Stderr);
        var expected = new EieConfig { Pes = 16, MaxLayers = 3, SpmatDepth = 2048 }.Validate();
        Assert.Equal(ConfigLoader.ToJson(expected) + "\n", run.Stdout);
        File.WriteAllText(scratch["printed.json"], run.Stdout);
        Assert.Equal(expected, ConfigLoader.Load(scratch["printed.json"]));

        var defaults = InProcessCli.Run("config");
        Assert.Equal(ConfigLoader.ToJson(new EieConfig()) + "\n", defaults.Stdout);

        var json = InProcessCli.Run("config", "--json", "--set", "Pes=2");
        using var doc = JsonDocument.Parse(json.Stdout);
        Assert.Equal(2, doc.RootElement.GetProperty("config").GetProperty("Pes").GetInt32());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("file").ValueKind);
    }

    [Fact]
    public void SetReachesTheGeneratedRtl()
    {
        using var scratch = new ScratchFolder();
        var run = InProcessCli.Run("generate", "--pes", "2", "--set", "MaxLayers=3", "--set", "ActSramDepth=128", "--out", scratch["rtl"], "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(scratch["rtl"], "rtl_manifest.json")));
        var config = manifest.RootElement.GetProperty("config");
        Assert.Equal(3, config.GetProperty("maxLayers").GetInt32());
        Assert.Equal(128, config.GetProperty("actSramDepth").GetInt32());
        Assert.Equal(2, config.GetProperty("pes").GetInt32());
    }
}
