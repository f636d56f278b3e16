using System.Buffers.Binary;
using EieHdl.Compression;
using EieHdl.IO;

namespace EieHdl.Tests.Cli;

/// <summary>`compress --plot`: each layer's weight histogram, pruning cut and shared values as a PNG.</summary>
public class CompressPlotTests
{
    private static double[] Weights(int seed, int count)
    {
        var random = new Random(seed);
        // Roughly normal, as trained weights are: the sum of four uniforms.
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, 4).Sum(_ => random.NextDouble() - 0.5) * 0.2).ToArray();
    }

    [Fact]
    public void WritesOnePanelPerLayerAndTheSameBytesOnARerun()
    {
        using var dir = new ScratchFolder();
        Npy.Write(dir["fc1.npy"], Weights(3, 40 * 60), 40, 60);
        Npy.Write(dir["fc2.npy"], Weights(4, 10 * 40), 10, 40);
        string[] Args(string plot) => ["compress", "--weights", dir["fc1.npy"], dir["fc2.npy"], "--density", "0.2", "--pes", "4",
            "--out", dir["model"], "--plot", plot];
        var first = InProcessCli.Run(Args(dir["w.png"]));
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains($"; {dir["w.png"]}", first.Stdout);
        var again = InProcessCli.Run(Args(dir["again.png"]));
        Assert.True(again.ExitCode == 0, again.Stderr);

        var png = File.ReadAllBytes(dir["w.png"]);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a }, png[..8]);
        Assert.Equal(900, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(2 * 320, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal(png, File.ReadAllBytes(dir["again.png"]));
    }

    [Fact]
    public void TheHistogramSplitsAtThePruningCutAndHoldsTheCodebook()
    {
        var w = Weights(5, 30 * 50);
        var codebook = new[] { 0.0, -0.2, -0.05, 0.07, 0.21 };
        var h = WeightHistogram.Of("fc", w, 50, 0.25, codebook, bins: 40);

        Assert.Equal(w.Length, h.Kept.Sum() + h.Pruned.Sum());
        Assert.Equal(MagnitudePruner.KeepCount("fc", w.Length, 0.25), h.Kept.Sum());
        var kept = MagnitudePruner.Prune("fc", w, 50, 0.25);
        Assert.Equal(w.Where((_, i) => kept[i]).Min(Math.Abs), h.PruneCut);
        Assert.All(w.Where((_, i) => !kept[i]), x => Assert.True(Math.Abs(x) <= h.PruneCut));
        Assert.Equal([-0.2, -0.05, 0.07, 0.21], h.SharedValues);
        // Every weight and shared value lies inside the bins.
        Assert.True(h.BinStart <= Math.Min(w.Min(), -0.2));
        Assert.True(h.BinStart + 40 * h.BinWidth >= Math.Max(w.Max(), 0.21) - 1e-12);
        // Bins that lie wholly inside (-cut, cut) hold only pruned weights.
        for (int b = 0; b < 40; b++)
            if (h.BinStart + b * h.BinWidth > -h.PruneCut && h.BinStart + (b + 1) * h.BinWidth < h.PruneCut)
                Assert.Equal(0, h.Kept[b]);
    }
}
