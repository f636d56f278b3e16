using System.Buffers.Binary;
using TextEncoding = System.Text.Encoding;
using EieHdl.IO;

namespace EieHdl.Tests.IO;

public sealed class NpyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("npytests").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    /// <summary>A .npy file assembled by hand, so the reader is tested against bytes we control.</summary>
    private string Raw(string name, string header, byte[] data, int major = 1, int minor = 0, byte[]? magic = null)
    {
        var text = (major == 3 ? TextEncoding.UTF8 : TextEncoding.Latin1).GetBytes(header + "\n");
        var bytes = new List<byte>(magic ?? [0x93, .. "NUMPY"u8]);
        bytes.Add((byte)major);
        bytes.Add((byte)minor);
        var len = new byte[major == 1 ? 2 : 4];
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)text.Length);
        else BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)text.Length);
        bytes.AddRange(len);
        bytes.AddRange(text);
        bytes.AddRange(data);
        string path = PathOf(name);
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    private static string Header(string descr, string shape, bool fortran = false) =>
        $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";

    private static byte[] Bytes<T>(params T[] values) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static string ErrorOf(Action read) => Assert.Throws<EieInputException>(read).Message;

    // ------------------------------------------------------------------ round trips

    [Fact]
    public void DoubleVectorRoundTrips()
    {
        var data = new[] { 0.0, -1.5, double.MaxValue, double.Epsilon, Math.PI };
        string path = PathOf("v.npy");
        Npy.Write(path, data, data.Length);
        var a = Npy.Read(path);
        Assert.Equal("<f8", a.DType);
        Assert.Equal(new[] { 5 }, a.Shape);
        Assert.Equal(data, a.Data);
        Assert.Equal(data, Npy.ReadVector(path));
    }

    [Fact]
    public void DoubleMatrixRoundTrips()
    {
        var data = Enumerable.Range(0, 12).Select(i => i * 0.25 - 1).ToArray();
        string path = PathOf("m.npy");
        Npy.Write(path, data, 3, 4);
        Assert.Equal(data, Npy.ReadMatrix(path, out int rows, out int cols));
        Assert.Equal((3, 4), (rows, cols));
    }

    [Theory]
    [InlineData(NpyIntType.Int32, "<i4", int.MinValue, int.MaxValue)]
    [InlineData(NpyIntType.Int16, "<i2", short.MinValue, short.MaxValue)]
    public void IntRoundTripsInBothRanks(NpyIntType type, string descr, int min, int max)
    {
        var data = new[] { min, -1, 0, 1, 7, max };
        string v = PathOf("v.npy"), m = PathOf("m.npy");
        Npy.Write(v, data, type, 6);
        Npy.Write(m, data, type, 2, 3);
        var a = Npy.Read(v);
        Assert.Equal(descr, a.DType);
        Assert.Equal(data.Select(x => (double)x), a.Data);
        Assert.Equal(data.Select(x => (double)x), Npy.ReadMatrix(m, out int rows, out int cols));
        Assert.Equal((2, 3), (rows, cols));
        Assert.Equal(Npy.Read(m).DType, descr);
    }

    [Fact]
    public void LargeMatrixRoundTripsAcrossReadChunks()
    {
        // 3 MB of f8 and 1.5 MB of i2 cross the reader's 1 MB chunk boundary.
        int rows = 512, cols = 768;
        var d = new double[rows * cols];
        var ints = new int[rows * cols];
        for (int i = 0; i < d.Length; i++) { d[i] = i * 0.5; ints[i] = (i % 65536) - 32768; }
        Npy.Write(PathOf("d.npy"), d, rows, cols);
        Npy.Write(PathOf("i.npy"), ints, NpyIntType.Int16, rows, cols);
        Assert.Equal(d, Npy.ReadMatrix(PathOf("d.npy"), out _, out _));
        Assert.Equal(ints.Select(x => (double)x), Npy.Read(PathOf("i.npy")).Data);
    }

    [Fact]
    public void EmptyAndScalarShapesRoundTrip()
    {
        Npy.Write(PathOf("e.npy"), ReadOnlySpan<double>.Empty, 0, 5);
        var e = Npy.Read(PathOf("e.npy"));
        Assert.Equal(new[] { 0, 5 }, e.Shape);
        Assert.Empty(e.Data);
        Npy.Write(PathOf("s.npy"), [2.5]);
        var s = Npy.Read(PathOf("s.npy"));
        Assert.Empty(s.Shape);
        Assert.Equal(new[] { 2.5 }, s.Data);
    }

    [Fact]
    public void HeaderMatchesNumpySaveByteForByte()
    {
        // What numpy >= 1.24 writes for np.save(f, np.zeros((3, 4))): a 128-byte preamble+header
        // with 21-digit growth room for the first axis, padded with spaces, ending in '\n'.
        var header = Npy.BuildHeader("<f8", [3, 4]);
        string dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }";
        Assert.Equal(128, header.Length);
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, 118, 0 }, header[..10]);
        string text = TextEncoding.Latin1.GetString(header, 10, 118);
        Assert.Equal(dict + new string(' ', 118 - dict.Length - 1) + "\n", text);
        Assert.Contains("'shape': (7,), }", TextEncoding.Latin1.GetString(Npy.BuildHeader("<i2", [7])));
        Assert.Contains("'shape': (), }", TextEncoding.Latin1.GetString(Npy.BuildHeader("<f8", [])));
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 123456789, 3 })]
    [InlineData(new[] { 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22 })]
    public void HeaderIsAlwaysA64ByteMultipleEndingInNewline(int[] shape)
    {
        var header = Npy.BuildHeader("<f8", shape);
        Assert.Equal(0, header.Length % 64);
        Assert.Equal((byte)'\n', header[^1]);
        Assert.Equal(header.Length - 10, BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8)));
    }

    [Fact]
    public void WriteReplacesAnExistingFileAndLeavesNoTempFiles()
    {
        string path = PathOf("w.npy");
        Npy.Write(path, [1.0, 2.0], 2);
        Npy.Write(path, [3.0], 1);
        Assert.Equal(new[] { 3.0 }, Npy.ReadVector(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_dir));
    }

    [Fact]
    public void FailedWriteLeavesTheOldFileIntact()
    {
        string path = PathOf("w.npy");
        Npy.Write(path, [1.0, 2.0], 2);
        Assert.Throws<ArgumentException>(() => Npy.Write(path, [1.0, 2.0, 3.0], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Npy.Write(path, [1, 40000], NpyIntType.Int16, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Npy.Write(path, new[] { 1 }, 0, 1));
        Assert.Equal(new[] { 1.0, 2.0 }, Npy.ReadVector(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_dir));
    }

    [Fact]
    public void WriteIntoAMissingFolderIsAnInputError()
    {
        string path = Path.Combine(_dir, "no", "such", "w.npy");
        string msg = ErrorOf(() => Npy.Write(path, [1.0], 1));
        Assert.StartsWith($"{path}: cannot write: folder", msg);
    }

    // ------------------------------------------------------------------ hand-built files

    [Theory]
    [InlineData("<f4", "float")]
    [InlineData("=f4", "float")]
    [InlineData("<i8", "long")]
    [InlineData("|i1", "sbyte")]
    [InlineData("|u1", "byte")]
    [InlineData("<u1", "byte")]
    public void ReadsEveryAcceptedDType(string descr, string kind)
    {
        byte[] data = kind switch
        {
            "float" => Bytes(1.5f, -2f, 0f),
            "long" => Bytes(-3L, 1L << 40, 5L),
            "sbyte" => Bytes<sbyte>(-128, 0, 127),
            _ => Bytes<byte>(0, 128, 255),
        };
        double[] expected = kind switch
        {
            "float" => [1.5, -2, 0],
            "long" => [-3, 1L << 40, 5],
            "sbyte" => [-128, 0, 127],
            _ => [0, 128, 255],
        };
        var a = Npy.Read(Raw("t.npy", Header(descr, "(3,)"), data));
        Assert.Equal(expected, a.Data);
        Assert.Equal(descr.Replace('=', '<').Replace("<u1", "|u1"), a.DType);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void ReadsVersion2And3Headers(int major)
    {
        string path = Raw("v.npy", Header("<f8", "(2, 1)"), Bytes(4.0, 5.0), major);
        Assert.Equal(new[] { 4.0, 5.0 }, Npy.ReadMatrix(path, out int rows, out int cols));
        Assert.Equal((2, 1), (rows, cols));
    }

    [Fact]
    public void ReadsPython2LongsAndDoubleQuotes()
    {
        string path = Raw("p.npy", "{\"descr\": \"<i4\", \"fortran_order\": False, \"shape\": (2L,)}", Bytes(7, 8));
        Assert.Equal(new[] { 7.0, 8.0 }, Npy.ReadVector(path));
    }

    [Fact]
    public void BadMagicNamesFileAndBytes()
    {
        string path = Raw("bad.npy", Header("<f8", "(1,)"), Bytes(1.0), magic: "PK\x03\x04xx"u8.ToArray());
        string msg = ErrorOf(() => Npy.Read(path));
        Assert.StartsWith(path + ": not a .npy file", msg);
        Assert.Contains("PK\\x03\\x04", msg);
    }

    [Fact]
    public void UnsupportedVersionIsRefused()
    {
        string msg = ErrorOf(() => Npy.Read(Raw("v4.npy", Header("<f8", "(1,)"), Bytes(1.0), major: 4)));
        Assert.Contains("v4.npy: unsupported .npy format version 4.0", msg);
    }

    [Fact]
    public void FortranOrderIsRefusedWithAFix()
    {
        string msg = ErrorOf(() => Npy.Read(Raw("f.npy", Header("<f8", "(2, 2)", fortran: true), Bytes(1.0, 2, 3, 4))));
        Assert.Contains("f.npy: ", msg);
        Assert.Contains("Fortran order is not supported; save with np.ascontiguousarray", msg);
    }

    [Fact]
    public void BigEndianIsRefused()
    {
        string msg = ErrorOf(() => Npy.Read(Raw("be.npy", Header(">f4", "(1,)"), Bytes(1f))));
        Assert.Contains("be.npy: dtype '>f4' is big-endian", msg);
        Assert.Contains("astype('<f4')", msg);
    }

    [Theory]
    [InlineData("<c16")]
    [InlineData("<u4")]
    [InlineData("|b1")]
    [InlineData("|f8")]
    public void UnsupportedDTypeNamesTheDType(string descr)
    {
        string msg = ErrorOf(() => Npy.Read(Raw("c.npy", Header(descr, "(1,)"), new byte[16])));
        Assert.StartsWith(PathOf("c.npy") + ": dtype must be one of <f4, <f8", msg);
        Assert.Contains($"got '{descr}'", msg);
    }

    [Fact]
    public void StructuredDTypeIsRefused()
    {
        string msg = ErrorOf(() => Npy.Read(Raw("s.npy",
            "{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (1,), }", new byte[8])));
        Assert.Contains("s.npy: dtype must be one of", msg);
        Assert.Contains("structured dtype [('a', '<f4'), ('b', '<i4')]", msg);
    }

    [Fact]
    public void TruncatedDataSaysHowMuchWasExpected()
    {
        string path = Raw("t.npy", Header("<f4", "(4096, 4096)"), new byte[1000]);
        string msg = ErrorOf(() => Npy.Read(path));
        Assert.Contains("t.npy: truncated: header says 4096 x 4096 float32 = 67108864 bytes, file has 1000", msg);
    }

    [Fact]
    public void TrailingBytesAreRefused()
    {
        string msg = ErrorOf(() => Npy.Read(Raw("x.npy", Header("<i2", "(2,)"), new byte[5])));
        Assert.Contains("x.npy: 1 trailing bytes", msg);
        Assert.Contains("= 4 bytes, file has 5", msg);
    }

    [Fact]
    public void MatrixReaderRefusesRank3()
    {
        string path = Raw("r3.npy", Header("<f8", "(2, 3, 4)"), new byte[2 * 3 * 4 * 8]);
        string msg = ErrorOf(() => Npy.ReadMatrix(path, out _, out _));
        Assert.Contains("r3.npy: expected a matrix (rank 2), got rank 3 with shape (2, 3, 4)", msg);
    }

    [Theory]
    [InlineData("(1, 3)")]
    [InlineData("(3, 1)")]
    public void VectorReaderRefusesRowAndColumnMatrices(string shape)
    {
        string path = Raw("rv.npy", Header("<f8", shape), new byte[3 * 8]);
        string msg = ErrorOf(() => Npy.ReadVector(path));
        Assert.Contains($"rv.npy: expected a vector (rank 1), got rank 2 with shape {shape}", msg);
    }

    [Fact]
    public void VectorReaderRefusesScalar()
    {
        string msg = ErrorOf(() => Npy.ReadVector(Raw("sc.npy", Header("<f8", "()"), new byte[8])));
        Assert.Contains("got rank 0 with shape ()", msg);
    }

    [Theory]
    [InlineData("(-1, 4)", "must be >= 0, got -1")]
    [InlineData("(4294967296, 4294967296)", "has too many elements")]
    [InlineData("(99999999999999999999,)", "must fit in 64 bits, got 99999999999999999999")]
    [InlineData("(0, 3000000000)", "must be at most 2147483647, got 3000000000")]
    public void BadShapesAreRefused(string shape, string expected)
    {
        string msg = ErrorOf(() => Npy.Read(Raw("sh.npy", Header("<f8", shape), [])));
        Assert.Contains("sh.npy: ", msg);
        Assert.Contains(expected, msg);
    }

    [Theory]
    [InlineData("{'descr': '<f8', 'fortran_order': False}", "missing key 'shape'")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}", "got 'extra'")]
    [InlineData("{'descr': '<f8' 'fortran_order': False, 'shape': (1,)}", "expected '}'")]
    [InlineData("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (1,)}", "expected a string, number")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': 1}", "'shape' must be a tuple, got 1")]
    [InlineData("not a dict", "expected '{'")]
    public void MalformedHeadersAreRefusedOnOneLine(string header, string expected)
    {
        string msg = ErrorOf(() => Npy.Read(Raw("h.npy", header, new byte[8])));
        Assert.Contains("h.npy: malformed header", msg);
        Assert.Contains(expected, msg);
        Assert.DoesNotContain('\n', msg);
    }

    [Fact]
    public void MissingAndTinyFilesAreReported()
    {
        Assert.Contains("nope.npy: file not found", ErrorOf(() => Npy.Read(PathOf("nope.npy"))));
        File.WriteAllBytes(PathOf("empty.npy"), []);
        Assert.Contains("empty.npy: not a .npy file", ErrorOf(() => Npy.Read(PathOf("empty.npy"))));
        File.WriteAllBytes(PathOf("short.npy"), [0x93, .. "NUMPY"u8, 1]);
        Assert.Contains("short.npy: truncated", ErrorOf(() => Npy.Read(PathOf("short.npy"))));
        var header = Npy.BuildHeader("<f8", [1]);
        File.WriteAllBytes(PathOf("cut.npy"), header[..40]);
        Assert.Contains("cut.npy: truncated: header length is 118 bytes", ErrorOf(() => Npy.Read(PathOf("cut.npy"))));
    }
}
