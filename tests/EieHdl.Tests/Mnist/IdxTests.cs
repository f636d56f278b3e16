using EieHdl.Mnist;

namespace EieHdl.Tests.Mnist;

public sealed class IdxTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("eiehdl-idx-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Pixels(int count, int rows, int columns) =>
        Enumerable.Range(0, count * rows * columns).Select(i => (byte)(i * 7)).ToArray();

    [Fact]
    public void ReadsImagesAndLabelsBigEndian()
    {
        var pixels = Pixels(3, 2, 4);
        string images = Write("img", Idx.ImagesBytes(3, 2, 4, pixels));
        string labels = Write("lbl", Idx.LabelsBytes([7, 0, 9]));
        // The header really is big-endian: count 3 is 00 00 00 03.
        Assert.Equal(new byte[] { 0, 0, 8, 3, 0, 0, 0, 3 }, File.ReadAllBytes(images)[..8]);

        var set = MnistSet.Load(images, labels);
        Assert.Equal(3, set.Count);
        Assert.Equal((2, 4), (set.Images.Rows, set.Images.Columns));
        Assert.Equal(pixels, set.Images.Pixels);
        Assert.Equal(pixels[8..16], set.Images.Image(1).ToArray());
        Assert.Equal(new byte[] { 7, 0, 9 }, set.Labels);
        Assert.Equal(new byte[] { 7, 0 }, set.Take(2).Labels);
        Assert.Equal(16, set.Take(2).Images.Pixels.Length);
    }

    [Fact]
    public void WrongMagicNumberIsRefused()
    {
        // A label file given where an image file is expected, and the other way round.
        string labels = Write("lbl", Idx.LabelsBytes([1, 2]));
        string images = Write("img", Idx.ImagesBytes(1, 2, 2, Pixels(1, 2, 2)));
        var e = Assert.Throws<EieInputException>(() => Idx.ReadImages(labels));
        Assert.Contains("magic number 2049", e.Message);
        Assert.Contains("expected 2051", e.Message);
        Assert.Contains(labels, e.Message);
        e = Assert.Throws<EieInputException>(() => Idx.ReadLabels(images));
        Assert.Contains("magic number 2051", e.Message);
        Assert.Contains("expected 2049", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void TruncatedFilesAreRefused()
    {
        var full = Idx.ImagesBytes(2, 3, 3, Pixels(2, 3, 3));
        string cut = Write("img", full[..^1]);
        var e = Assert.Throws<EieInputException>(() => Idx.ReadImages(cut));
        Assert.Contains("truncated", e.Message);
        Assert.Contains("2 images of 3x3 (34 bytes)", e.Message);
        Assert.Contains("33 bytes", e.Message);

        string header = Write("hdr", full[..10]);
        Assert.Contains("truncated", Assert.Throws<EieInputException>(() => Idx.ReadImages(header)).Message);
        string tiny = Write("tiny", [0, 0]);
        Assert.Contains("truncated", Assert.Throws<EieInputException>(() => Idx.ReadLabels(tiny)).Message);
        string labels = Write("lbl", Idx.LabelsBytes([1, 2, 3])[..^1]);
        e = Assert.Throws<EieInputException>(() => Idx.ReadLabels(labels));
        Assert.Contains("3 labels", e.Message);
    }

    [Fact]
    public void MismatchedCountsAndBadLabelsAreRefused()
    {
        string images = Write("img", Idx.ImagesBytes(3, 2, 2, Pixels(3, 2, 2)));
        string labels = Write("lbl", Idx.LabelsBytes([1, 2]));
        var e = Assert.Throws<EieInputException>(() => MnistSet.Load(images, labels));
        Assert.Contains("3 images", e.Message);
        Assert.Contains("2 labels", e.Message);

        string bad = Write("bad", Idx.LabelsBytes([1, 12]));
        Assert.Contains("label 1 must be a digit 0..9, got 12", Assert.Throws<EieInputException>(() => Idx.ReadLabels(bad)).Message);
        Assert.Contains("cannot read", Assert.Throws<EieInputException>(() => Idx.ReadLabels(Path.Combine(folder, "absent"))).Message);
    }
}
