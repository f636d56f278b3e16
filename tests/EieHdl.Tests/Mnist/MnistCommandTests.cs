using System.Text.Json;
using EieHdl.Mnist;
using EieHdl.Tests.Cli;

namespace EieHdl.Tests.Mnist;

[Collection(MnistCollection.Name)]
public sealed class MnistCommandTests(MnistFixture data)
{
    [Fact]
    public void QuickFlowWritesReportPlotAndModel()
    {
        Assert.NotNull(data.Files);
        using var scratch = new ScratchFolder();
        string cache = MnistFetch.DefaultCacheFolder();
        var result = CliRunner.Run(scratch.Path, "mnist", "--quick", "--pes", "8", "--cache", cache, "--out", scratch["report"], "--json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var stages = json.RootElement.GetProperty("stages");
        Assert.Equal(5, stages.GetArrayLength());
        Assert.Equal(8, json.RootElement.GetProperty("pes").GetInt32());
        Assert.Equal(10000, json.RootElement.GetProperty("testImages").GetInt32());
        Assert.True(json.RootElement.GetProperty("goldenAccuracy").GetDouble() > 0.75);
        Assert.Contains("Fixed point, golden model", File.ReadAllText(scratch["report/report.md"]));
        Assert.True(File.Exists(scratch["report/report.json"]));
        Assert.True(new FileInfo(scratch["report/accuracy.png"]).Length > 1000);
        Assert.True(File.Exists(scratch["report/model/manifest.json"]));
    }

    [Fact]
    public void BadPeCountIsOneLine()
    {
        using var scratch = new ScratchFolder();
        var result = CliRunner.Run(scratch.Path, "mnist", "--pes", "0", "--cache", MnistFetch.DefaultCacheFolder(), "--out", scratch["r"]);
        CliRunner.AssertOneLineError(result, "Pes");
    }
}
