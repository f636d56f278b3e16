using EieHdl.Compression;
using EieHdl.Config;
using EieHdl.Encoding;

namespace EieHdl.Tests.Compression;

public class HuffmanReportTests
{
    [Fact]
    public void CodeLengthsOfAKnownStream()
    {
        Assert.Equal([3, 3, 2, 1], HuffmanReport.CodeLengths([1, 1, 2, 4]));
        Assert.Equal([0, 3, 0, 3, 2, 1], HuffmanReport.CodeLengths([0, 1, 0, 1, 2, 4]));
        Assert.Equal([2, 2, 2, 2], HuffmanReport.CodeLengths([5, 5, 5, 5]));
        Assert.Equal(1 * 3 + 1 * 3 + 2 * 2 + 4 * 1, HuffmanReport.EncodedBits([1, 1, 2, 4]));
    }

    [Fact]
    public void ASingleSymbolCostsOneBitAndNoSymbolsCostNothing()
    {
        Assert.Equal([0, 1, 0], HuffmanReport.CodeLengths([0, 7, 0]));
        Assert.Equal(7, HuffmanReport.EncodedBits([0, 7, 0]));
        Assert.Equal([0, 0], HuffmanReport.CodeLengths([0, 0]));
    }

    [Fact]
    public void CodeLengthsAreAPrefixCodeAndDeterministic()
    {
        var rng = new Random(4);
        for (int trial = 0; trial < 200; trial++)
        {
            long[] f = Enumerable.Range(0, rng.Next(2, 20)).Select(_ => (long)rng.Next(0, 50)).ToArray();
            int[] lengths = HuffmanReport.CodeLengths(f);
            Assert.Equal(lengths, HuffmanReport.CodeLengths(f));
            int used = f.Count(x => x > 0);
            double kraft = lengths.Where(l => l > 0).Sum(l => Math.Pow(2, -l));
            if (used >= 2) Assert.Equal(1.0, kraft, 12);
            Assert.All(f.Zip(lengths), p => Assert.Equal(p.First > 0, p.Second > 0));
        }
    }

    [Fact]
    public void ReportOfALayerCountsEntriesPaddingAndSizes()
    {
        var config = new EieConfig { Pes = 1 };
        var w = new double[40];
        w[0] = 1;
        w[39] = -1;
        var layer = LayerCompressor.Compress(config, "r", w, 40, 1, null, 2.0 / 40, relu: true);
        var report = HuffmanReport.Of(config, layer.Layer);
        // Entries: (z 0, v a), padding (15, 0), padding (15, 0), (z 5, v b).
        Assert.Equal(40, report.DenseWeights);
        Assert.Equal(2, report.KeptWeights);
        Assert.Equal(4, report.Entries);
        Assert.Equal(2, report.PaddingEntries);
        Assert.Equal(4, report.VBits);
        Assert.Equal(4, report.ZBits);
        Assert.Equal((2 * 1 + 1 * 2 + 1 * 2) / 4.0, report.HuffmanVBits);
        Assert.Equal((2 * 1 + 1 * 2 + 1 * 2) / 4.0, report.HuffmanZBits);
        Assert.Equal(16 * 16, report.CodebookBits);
        Assert.Equal(4 * 8 + 256, report.PayloadBits);
        Assert.Equal(6 + 6 + 256, report.HuffmanPayloadBits);
        Assert.Equal(2 * 17, report.PointerBitsPerPe);
        Assert.Equal(160, report.DenseBytes);
        Assert.Equal(36, report.PayloadBytes);
        Assert.Equal(100.0 * 36 / 160, report.PayloadPercent);
        Assert.Equal(160.0 / 34, report.HuffmanCompressionRatio);
        Assert.StartsWith("r            |          40 |           2 |", report.TableRow());
        Assert.Equal(Pipes(HuffmanReport.TableHeader), Pipes(report.TableRow()));
    }

    private static int[] Pipes(string row) => Enumerable.Range(0, row.Length).Where(i => row[i] == '|').ToArray();
}
