using System.Buffers.Binary;

namespace EieHdl.Mnist;

/// <summary>Images of an IDX file (magic 2051): Count x Rows x Columns unsigned bytes, row-major.</summary>
public sealed record IdxImages(int Count, int Rows, int Columns, byte[] Pixels)
{
    public int PixelsPerImage => Rows * Columns;

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
}

/// <summary>A labelled set: images and their labels, the same count of each.</summary>
public sealed record MnistSet(IdxImages Images, byte[] Labels)
{
    public int Count => Labels.Length;

    /// <summary>Reads an image file and its label file and checks that they match.</summary>
    public static MnistSet Load(string imagesPath, string labelsPath)
    {
        var images = Idx.ReadImages(imagesPath);
        var labels = Idx.ReadLabels(labelsPath);
        if (images.Count != labels.Length)
            throw new EieInputException(
                $"{imagesPath} holds {images.Count} images but {labelsPath} holds {labels.Length} labels; they must match");
        return new MnistSet(images, labels);
    }

    /// <summary>The first <paramref name="count"/> images and labels.</summary>
    public MnistSet Take(int count)
    {
        count = Math.Min(count, Count);
        int n = Images.PixelsPerImage;
        return new MnistSet(
            Images with { Count = count, Pixels = Images.Pixels.AsSpan(0, count * n).ToArray() },
            Labels.AsSpan(0, count).ToArray());
    }
}

/// <summary>
/// Reader of the IDX format of the MNIST files (yann.lecun.com/exdb/mnist): a big-endian
/// 32-bit magic number (0x0803 = 2051 for 3-D unsigned-byte images, 0x0801 = 2049 for 1-D
/// unsigned-byte labels), the dimension sizes as big-endian 32-bit integers, then the data.
/// Every defect is one <see cref="EieInputException"/> line naming the file.
/// </summary>
public static class Idx
{
    public const int ImagesMagic = 2051;
    public const int LabelsMagic = 2049;

    public static IdxImages ReadImages(string path) => ParseImages(ReadFile(path), path);

    public static byte[] ReadLabels(string path) => ParseLabels(ReadFile(path), path);

    public static IdxImages ParseImages(ReadOnlySpan<byte> bytes, string source)
    {
        CheckHeader(bytes, source, ImagesMagic, "image", 16);
        int count = Dimension(bytes, 4, source, "image count");
        int rows = Dimension(bytes, 8, source, "rows");
        int columns = Dimension(bytes, 12, source, "columns");
        long expected = 16 + (long)count * rows * columns;
        CheckLength(bytes, source, expected, $"{count} images of {rows}x{columns}");
        return new IdxImages(count, rows, columns, bytes.Slice(16, (int)(expected - 16)).ToArray());
    }

    public static byte[] ParseLabels(ReadOnlySpan<byte> bytes, string source)
    {
        CheckHeader(bytes, source, LabelsMagic, "label", 8);
        int count = Dimension(bytes, 4, source, "label count");
        CheckLength(bytes, source, 8 + (long)count, $"{count} labels");
        var labels = bytes.Slice(8, count).ToArray();
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] > 9)
                throw new EieInputException($"{source}: label {i} must be a digit 0..9, got {labels[i]}");
        return labels;
    }

    /// <summary>Writes an image file (tests and tools).</summary>
    public static byte[] ImagesBytes(int count, int rows, int columns, ReadOnlySpan<byte> pixels)
    {
        var bytes = new byte[16 + pixels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, ImagesMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), columns);
        pixels.CopyTo(bytes.AsSpan(16));
        return bytes;
    }

    /// <summary>Writes a label file (tests and tools).</summary>
    public static byte[] LabelsBytes(ReadOnlySpan<byte> labels)
    {
        var bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, LabelsMagic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), labels.Length);
        labels.CopyTo(bytes.AsSpan(8));
        return bytes;
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EieInputException($"{path}: cannot read IDX file: {e.Message}");
        }
    }

    private static void CheckHeader(ReadOnlySpan<byte> bytes, string source, int magic, string kind, int headerBytes)
    {
        if (bytes.Length < 4)
            throw new EieInputException($"{source}: truncated IDX file: {bytes.Length} bytes, too short for the magic number");
        int actual = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (actual != magic)
            throw new EieInputException(
                $"{source}: not an IDX {kind} file: magic number {actual} (0x{actual:X8}), expected {magic} (0x{magic:X8})");
        if (bytes.Length < headerBytes)
            throw new EieInputException($"{source}: truncated IDX {kind} file: {bytes.Length} bytes, the header needs {headerBytes}");
    }

    private static int Dimension(ReadOnlySpan<byte> bytes, int offset, string source, string what)
    {
        int value = BinaryPrimitives.ReadInt32BigEndian(bytes[offset..]);
        if (value < 0)
            throw new EieInputException($"{source}: IDX {what} must not be negative, got {value}");
        return value;
    }

    private static void CheckLength(ReadOnlySpan<byte> bytes, string source, long expected, string what)
    {
        if (expected > int.MaxValue)
            throw new EieInputException($"{source}: IDX header declares {what} ({expected} bytes), too large");
        if (bytes.Length < expected)
            throw new EieInputException(
                $"{source}: truncated IDX file: the header declares {what} ({expected} bytes), the file has {bytes.Length} bytes");
    }
}
