using System.Text.Json;
using CsCheck;
using EieHdl.Compression;
using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.IO;

namespace EieHdl.Tests.Encoding;

public class InterleaveTests
{
    [Fact]
    public void EncodeThenDecodeRoundTripsRandomIndexMatrices()
    {
        var gen = Gen.Select(Gen.Int[1, 70], Gen.Int[1, 90], Gen.Int[1, 12], Gen.Int[0, 4], Gen.Int);
        gen.Sample((pes, outputs, columns, densityClass, seed) =>
        {
            double density = densityClass switch { 0 => 0.0, 1 => 0.05, 2 => 0.3, 3 => 0.8, _ => 1.0 };
            var config = new EieConfig { Pes = pes };
            var rng = new Random(seed);
            var indices = new byte[outputs * columns];
            for (int i = 0; i < indices.Length; i++)
                if (rng.NextDouble() < density) indices[i] = (byte)rng.Next(1, config.CodebookSize);
            var slices = SpmatEncoder.Encode(config, indices, outputs, columns);
            Assert.Equal(indices, SpmatEncoder.Decode(config, slices, outputs, columns));
            Assert.Equal(indices.Count(v => v != 0), slices.Sum(s => s.Entries.Length - s.PaddingEntries(config.IndexBits)));
            if (density == 0) Assert.All(slices, s => Assert.Empty(s.Entries));
            if (density == 1) Assert.All(slices, s => Assert.Equal(s.LocalRows * columns, s.Entries.Length));
        }, iter: 400);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(64)]
    public void RowIIsInPeIModNAtLocalRowIDivN(int n)
    {
        var config = new EieConfig { Pes = n };
        foreach (int outputs in new[] { 1, n - 1, n, n + 1, 3 * n + 2, 100 }.Where(o => o >= 1).Distinct())
        {
            // Column 0 holds every row (v = row mod 15 + 1), so each entry's position says where its row went.
            var indices = new byte[outputs];
            for (int i = 0; i < outputs; i++) indices[i] = (byte)(i % 15 + 1);
            var slices = SpmatEncoder.Encode(config, indices, outputs, 1);
            Assert.Equal(n, slices.Length);
            for (int pe = 0; pe < n; pe++)
            {
                var s = slices[pe];
                Assert.Equal(pe, s.Pe);
                int expectedRows = Enumerable.Range(0, outputs).Count(i => i % n == pe);
                Assert.Equal(expectedRows, s.LocalRows);
                Assert.Equal(expectedRows, s.Entries.Length);
                for (int x = 0; x < expectedRows; x++)
                {
                    int row = pe + x * n;
                    Assert.Equal(row % 15 + 1, s.Entries[x] & 0xF);
                    Assert.Equal(0, s.Entries[x] >> 4);
                }
                if (pe >= outputs) Assert.Equal([0, 0], s.Pointers);
            }
        }
    }
}

public class ImageWriterTests
{
    internal static (EieConfig Config, ModelImage Image, CompressedLayer[] Layers) TwoLayerModel(EieConfig config)
    {
        var rng = new Random(21);
        double[] Random(int n) => Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var fc1 = LayerCompressor.Compress(config, "fc1", Random(37 * 50), 37, 50, Random(37), 0.2, relu: true);
        var fc2 = LayerCompressor.Compress(config, "fc2", Random(10 * 37), 10, 37, null, 0.5, relu: false);
        CompressedLayer[] layers = [fc1, fc2];
        return (config, ModelImage.Build(config, layers.Select(l => l.Layer).ToArray()), layers);
    }

    [Theory]
    [InlineData(4, 4, 4, 64)]
    [InlineData(3, 3, 4, 56)]
    [InlineData(5, 4, 4, 128)]
    public void HexFilesRoundTripTheImage(int pes, int indexBits, int runBits, int wordBits)
    {
        var config = new EieConfig
        {
            Pes = pes, IndexBits = indexBits, RunBits = runBits, SpmatWordBits = wordBits,
            CodebookSize = 1 << indexBits, WeightWidth = 14, WeightFracBits = 10,
        }.Validate();
        var (_, image, _) = TwoLayerModel(config);
        string folder = TempFolder();
        try
        {
            AtomicOutput.WriteFolder(folder, dir => ImageWriter.Write(image, dir));
            var read = ImageWriter.Read(config, folder);
            Assert.Equal(image.Codebooks, read.Codebooks);
            Assert.Contains(read.Codebooks, c => c < 0);
            for (int pe = 0; pe < pes; pe++)
            {
                Assert.Equal(image.Pes[pe].Pointers, read.Pes[pe].Pointers);
                Assert.Equal(image.Pes[pe].Entries, read.Pes[pe].Entries);
            }
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void HexLayoutPutsEntryZeroInTheLeastSignificantBits()
    {
        var config = new EieConfig { Pes = 1 };
        var pe = new PeImage(0, [0, 9, 10], [0x01, 0x12, 0x23, 0x34, 0x45, 0x56, 0x67, 0x78, 0x89, 0xf0]);
        string spmat = ImageWriter.SpmatHex(config, pe);
        Assert.Equal(["7867564534231201", "000000000000f089"], DataLines(spmat));
        Assert.Equal(["00000", "0000a"], DataLines(ImageWriter.PointerHex(config, pe, 0)));
        Assert.Equal(["00009"], DataLines(ImageWriter.PointerHex(config, pe, 1)));
        Assert.Equal(["0000", "1000", "f000", "ffff"], DataLines(ImageWriter.CodebookHex(config, [0, 4096, -4096, -1])));
        Assert.DoesNotContain('\r', spmat);
        Assert.EndsWith("\n", spmat);
    }

    [Fact]
    public void SameImageGivesByteIdenticalFiles()
    {
        var (_, image, _) = TwoLayerModel(new EieConfig { Pes = 4 });
        string a = TempFolder(), b = TempFolder();
        try
        {
            AtomicOutput.WriteFolder(a, dir => ImageWriter.Write(image, dir));
            AtomicOutput.WriteFolder(b, dir => ImageWriter.Write(TwoLayerModel(new EieConfig { Pes = 4 }).Image, dir));
            var files = Directory.GetFiles(a).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(4 * 3 + 1 + 1, files.Length);   // 4 PEs x 3 images, the codebook, the output marker
            Assert.Contains(OutputFolder.MarkerFile, files);
            Assert.Contains("pe003_ptr_odd.hex", files);
            Assert.Equal(files, Directory.GetFiles(b).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            foreach (string? f in files)
                Assert.Equal(File.ReadAllBytes(Path.Combine(a, f!)), File.ReadAllBytes(Path.Combine(b, f!)));
        }
        finally
        {
            Directory.Delete(a, recursive: true);
            Directory.Delete(b, recursive: true);
        }
    }

    [Fact]
    public void MissingOrMalformedFilesAreRefused()
    {
        var config = new EieConfig { Pes = 1 };
        string folder = TempFolder();
        Directory.CreateDirectory(folder);
        try
        {
            Assert.Contains("pe000_ptr_even.hex: file is missing",
                Assert.Throws<EieInputException>(() => ImageWriter.Read(config, folder)).Message);
            File.WriteAllText(Path.Combine(folder, "pe000_ptr_even.hex"), "0000g\n");
            Assert.Contains("line 1 must be hex digits, got \"0000g\"",
                Assert.Throws<EieInputException>(() => ImageWriter.Read(config, folder)).Message);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    internal static string TempFolder() => Path.Combine(Path.GetTempPath(), "eiehdl-test-" + Guid.NewGuid().ToString("N"));

    private static string[] DataLines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("//", StringComparison.Ordinal)).ToArray();
}

public class AtomicOutputTests
{
    [Fact]
    public void AnExceptionLeavesNoFolderAndNoTemporary()
    {
        string parent = ImageWriterTests.TempFolder();
        Directory.CreateDirectory(parent);
        try
        {
            string output = Path.Combine(parent, "out");
            Assert.Throws<InvalidOperationException>(() => AtomicOutput.WriteFolder(output, dir =>
            {
                File.WriteAllText(Path.Combine(dir, "half.hex"), "00\n");
                throw new InvalidOperationException("disk full");
            }));
            Assert.Empty(Directory.GetFileSystemEntries(parent));
        }
        finally { Directory.Delete(parent, recursive: true); }
    }

    [Fact]
    public void AnExceptionKeepsThePreviousOutputAndSuccessReplacesIt()
    {
        string parent = ImageWriterTests.TempFolder();
        string output = Path.Combine(parent, "out");
        try
        {
            AtomicOutput.WriteFolder(output, dir => File.WriteAllText(Path.Combine(dir, "old.txt"), "old"));
            Assert.Throws<IOException>(() => AtomicOutput.WriteFolder(output, _ => throw new IOException("boom")));
            Assert.Equal([OutputFolder.MarkerFile, "old.txt"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            AtomicOutput.WriteFolder(output, dir => File.WriteAllText(Path.Combine(dir, "new.txt"), "new"));
            Assert.Equal([OutputFolder.MarkerFile, "new.txt"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            Assert.Equal(["out"], Directory.GetFileSystemEntries(parent).Select(Path.GetFileName));
        }
        finally { Directory.Delete(parent, recursive: true); }
    }

    [Fact]
    public void SingleFileWriteReplacesWholeOrNotAtAll()
    {
        string parent = ImageWriterTests.TempFolder();
        Directory.CreateDirectory(parent);
        string file = Path.Combine(parent, "m.json");
        try
        {
            AtomicOutput.WriteAllText(file, "first");
            Assert.Throws<InvalidOperationException>(() => AtomicOutput.WriteFile(file, s =>
            {
                s.WriteByte(1);
                throw new InvalidOperationException();
            }));
            Assert.Equal("first", File.ReadAllText(file));
            AtomicOutput.WriteAllText(file, "second");
            Assert.Equal("second", File.ReadAllText(file));
            Assert.Equal(["m.json"], Directory.GetFileSystemEntries(parent).Select(Path.GetFileName));
        }
        finally { Directory.Delete(parent, recursive: true); }
    }

    [Fact]
    public void AnExistingFileIsNotAnOutputFolder()
    {
        string file = ImageWriterTests.TempFolder();
        File.WriteAllText(file, "x");
        try
        {
            var e = Assert.Throws<EieInputException>(() => AtomicOutput.WriteFolder(file, _ => { }));
            Assert.EndsWith($"must be a folder, got {file}, an existing file", e.Message);
        }
        finally { File.Delete(file); }
    }
}

public class ManifestTests
{
    [Fact]
    public void ManifestRoundTripsConfigAndLayersAndIsDeterministic()
    {
        var config = new EieConfig { Pes = 4 };
        var (_, image, layers) = ImageWriterTests.TwoLayerModel(config);
        string json = Manifest.ToJson(Manifest.Build(image, layers));
        Assert.Equal(json, Manifest.ToJson(Manifest.Build(ImageWriterTests.TwoLayerModel(config).Image, ImageWriterTests.TwoLayerModel(config).Layers)));

        var back = Manifest.Parse(json);
        Assert.Equal("EieHdl", back.Generator);
        Assert.Equal(config, back.Config);
        Assert.Equal(["fc1", "fc2"], back.Layers.Select(l => l.Name));
        var fc1 = back.Layers[0];
        Assert.True(fc1.HasBias);
        Assert.Equal(51 + 1, back.Layers[1].PtrBase);
        Assert.Equal(16, back.Layers[1].CodebookBase);
        Assert.Equal(layers[0].Layer.CodebookFloat, fc1.Codebook.Float);
        Assert.Equal(layers[0].Layer.Codebook, fc1.Codebook.Fixed);
        Assert.Equal(layers[0].Density, fc1.Density);
        Assert.Equal(layers[0].KeptWeights, fc1.KeptWeights);
        Assert.Equal(HuffmanReport.Of(config, layers[0].Layer), fc1.Huffman);
        for (int pe = 0; pe < 4; pe++)
        {
            var slice = layers[0].Layer.Pes[pe];
            Assert.Equal(slice.Pointers, fc1.Pes[pe].Pointers);
            Assert.Equal(slice.Entries.Select(e => e & 0xF), fc1.Pes[pe].V);
            Assert.Equal(slice.Entries.Select(e => e >> 4), fc1.Pes[pe].Z);
            Assert.Equal(slice.LocalRows, fc1.Pes[pe].LocalRows);
        }
        Assert.Equal(layers.Sum(l => HuffmanReport.Of(config, l.Layer).PayloadBytes), back.Sizes.PayloadBytes);
    }

    [Fact]
    public void ManifestLayoutIsIndentedWithCompactArraysAndFixedFieldOrder()
    {
        var config = new EieConfig { Pes = 2 };
        var (_, image, layers) = ImageWriterTests.TwoLayerModel(config);
        string json = Manifest.ToJson(Manifest.Build(image, layers));
        Assert.StartsWith("{\n  \"generator\": \"EieHdl\",\n  \"config\": {\n    \"pes\": 2,", json);
        Assert.DoesNotContain('\r', json);
        Assert.Matches("\"pointers\": \\[0,[0-9,]+\\]", json);
        string[] order = ["\"name\"", "\"inputs\"", "\"outputs\"", "\"hasBias\"", "\"relu\"", "\"ptrBase\"", "\"codebookBase\"",
            "\"codebook\"", "\"keptWeights\"", "\"density\"", "\"entries\"", "\"paddingEntries\"", "\"huffman\"", "\"pes\""];
        int layerStart = json.IndexOf("\"layers\"", StringComparison.Ordinal);
        var positions = order.Select(k => json.IndexOf(k, layerStart, StringComparison.Ordinal)).ToArray();
        Assert.Equal(positions.Order(), positions);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(2, doc.RootElement.GetProperty("layers").GetArrayLength());
        Assert.True(doc.RootElement.GetProperty("sizes").GetProperty("payloadBytes").GetInt64() > 0);
    }

    [Fact]
    public void WriteAndReadAFile()
    {
        var config = new EieConfig { Pes = 3 };
        var (_, image, layers) = ImageWriterTests.TwoLayerModel(config);
        string folder = ImageWriterTests.TempFolder();
        try
        {
            AtomicOutput.WriteFolder(folder, dir =>
            {
                ImageWriter.Write(image, dir);
                Manifest.Write(Path.Combine(dir, "manifest.json"), image, layers);
            });
            var back = Manifest.Read(Path.Combine(folder, "manifest.json"));
            Assert.Equal(config, back.Config);
            Assert.Equal(2, back.Layers.Length);
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void NotAManifestIsRefused()
    {
        Assert.StartsWith("manifest: must be an EieHdl manifest, got invalid JSON",
            Assert.Throws<EieInputException>(() => Manifest.Parse("{\"generator\": 3")).Message);
        Assert.Equal("manifest: generator must be EieHdl, got other",
            Assert.Throws<EieInputException>(() => Manifest.Parse("{\"generator\":\"other\",\"config\":{},\"layers\":[]}")).Message);
        Assert.Equal("manifest: Pes must be in [1, 256], got 0",
            Assert.Throws<EieInputException>(() => Manifest.Parse("{\"generator\":\"EieHdl\",\"config\":{\"pes\":0},\"layers\":[]}")).Message);
    }
}
