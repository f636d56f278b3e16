using System.Buffers.Binary;

namespace EieHdl.Tests.Cli;

/// <summary>`bench --plot`: a PNG of the per-layer cycles beside the table.</summary>
public class BenchPlotTests
{
    [Fact]
    public void WritesAPngOfTheRequestedSize()
    {
        using var scratch = new ScratchFolder();
        var run = InProcessCli.Run("bench", "--layers", "nt-we", "--plot", scratch["cycles.png"]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains($"Wrote {scratch["cycles.png"]}", run.Stdout);
        var png = File.ReadAllBytes(scratch["cycles.png"]);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a }, png[..8]);
        // IHDR: width and height, big-endian, after the signature, the chunk length and "IHDR".
        Assert.Equal(900, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(500, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal([Path.GetFileName(scratch["cycles.png"])], Directory.GetFiles(scratch.Path).Select(Path.GetFileName));
    }
}
