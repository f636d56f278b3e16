using EieHdl.Tests.Cli;

namespace EieHdl.Tests.AxiLite;

/// <summary>HostBus as a config field: a bad value, and commands that need the simple bus, fail up front with one line.</summary>
public class AxiLiteConfigTests
{
    [Fact]
    public void AnUnknownHostBusIsOneLineNamingTheChoices()
    {
        using var scratch = new ScratchFolder();
        var run = CliRunner.Run(scratch.Path, "generate", "--pes", "4", "--set", "HostBus=axi", "--out", "rtl");
        CliRunner.AssertOneLineError(run, "HostBus must be one of simple, axi4lite, got 'axi'");
        Assert.False(Directory.Exists(scratch["rtl"]));
    }

    [Fact]
    public void SynthRefusesAnAxiLiteConfigBeforeRunningATool()
    {
        using var scratch = new ScratchFolder();
        var run = CliRunner.Run(scratch.Path, "synth", "--target", "ice40-hx8k", "--pes", "2", "--set", "HostBus=axi4lite", "--out", "s");
        CliRunner.AssertOneLineError(run, "HostBus must be simple for synth", "got 'axi4lite'");
        Assert.False(Directory.Exists(scratch["s"]));
    }
}
