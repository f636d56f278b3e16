using System.Buffers.Binary;
using EieHdl.Tests.Cli;

namespace EieHdl.Tests.Fpga;

/// <summary>`synth --plot`: the resources as a share of the device, the same bytes on a rerun.</summary>
public sealed class SynthPlotTests
{
    [Fact]
    public void ResourcesPanelIsWrittenAndTheSameOnARerun()
    {
        using var scratch = new ScratchFolder();
        foreach (var name in new[] { "a", "b" })
        {
            var run = CliRunner.Run(scratch.Path, "synth", "--target", "xc7", "--pes", "1", "--out", scratch[name], "--plot", scratch[name + ".png"], "--quiet");
            Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}\n{run.Stdout}");
            Assert.EndsWith($"; {scratch[name + ".png"]}", run.Stdout.TrimEnd().Split('\n').First(l => l.StartsWith("Wrote ", StringComparison.Ordinal)));
        }
        var png = File.ReadAllBytes(scratch["a.png"]);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a }, png[..8]);
        Assert.Equal(900, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(360, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal(png, File.ReadAllBytes(scratch["b.png"]));
    }
}
