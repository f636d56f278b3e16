using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Diagnostics;
using System.Text;

namespace EieHdl.IO;

/// <summary>The contents of one .npy file, converted to double whatever the stored dtype.</summary>
/// <param name="Shape">Dimensions in C (row-major) order; empty for a 0-d array.</param>
/// <param name="DType">The normalised dtype as stored, e.g. "&lt;f4" or "|u1" ('=' becomes '&lt;').</param>
/// <param name="Data">Elements in row-major order. int64 values beyond 2^53 lose precision.</param>
public sealed record NpyArray(int[] Shape, string DType, double[] Data)
{
    public int Rank => Shape.Length;
}

/// <summary>Integer element types <see cref="Npy.Write(string, ReadOnlySpan{int}, NpyIntType, int[])"/> can store.</summary>
public enum NpyIntType
{
    // Values are the item sizes so that a stray literal 0 (which C# converts to any enum)
    // is rejected instead of silently choosing a width.
    Int16 = 2,
    Int32 = 4,
}

/// <summary>
/// Reads and writes NumPy .npy files (format 1.0, 2.0, 3.0), the exchange format with the
/// Python training and quantisation scripts. Only little-endian, C-order numeric data is
/// accepted; anything else fails with a one-line <see cref="EieInputException"/> that names
/// the file, what was expected and what was found.
/// </summary>
public static class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    // numpy aligns the data start to 64 bytes so memory-mapped arrays are aligned for SIMD.
    private const int ArrayAlign = 64;

    // numpy leaves room in the header for the growth axis to reach this many digits, so a
    // file can be appended to by rewriting the header in place; we mirror it byte for byte.
    private const int GrowthAxisMaxDigits = 21;

    // A legitimate header is a few hundred bytes; numpy itself refuses headers above this
    // (numpy.lib.format's max_header_size), and the cap stops a corrupt length field from
    // making us allocate before we notice the file is garbage.
    private const int MaxHeaderBytes = 10_000;

    // numpy's NPY_MAXDIMS; a shape with more dimensions is not something numpy wrote.
    private const int MaxRank = 64;

    // Shapes are one level deep and structured dtypes a few; the bound keeps the recursive
    // parser's stack small whatever the file holds.
    private const int MaxNesting = 8;

    private const int ChunkBytes = 1 << 20;

    private const string Supported = "<f4, <f8, <i2, <i4, <i8, |i1, |u1";

    private enum Kind { F4, F8, I1, U1, I2, I4, I8 }

    private sealed record DTypeInfo(Kind Kind, string Descr, int Size, string Name);

    private static readonly Dictionary<string, DTypeInfo> Types = new()
    {
        ["f4"] = new(Kind.F4, "<f4", 4, "float32"),
        ["f8"] = new(Kind.F8, "<f8", 8, "float64"),
        ["i1"] = new(Kind.I1, "|i1", 1, "int8"),
        ["u1"] = new(Kind.U1, "|u1", 1, "uint8"),
        ["i2"] = new(Kind.I2, "<i2", 2, "int16"),
        ["i4"] = new(Kind.I4, "<i4", 4, "int32"),
        ["i8"] = new(Kind.I8, "<i8", 8, "int64"),
    };

    // ------------------------------------------------------------------ reading

    /// <summary>Reads a whole .npy file of any supported dtype and rank.</summary>
    public static NpyArray Read(string path)
    {
        // The fast paths reinterpret file bytes as little-endian numbers in place.
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Npy needs a little-endian host");
        if (path.Length == 0) throw new EieInputException(".npy file: must be named, got an empty name");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read,
                bufferSize: 0, FileOptions.SequentialScan);
            var (shape, type, count, dataStart) = ReadHeader(path, stream);
            long have = stream.Length - dataStart;
            long need = count * type.Size;
            if (have < need)
                throw new EieInputException(
                    $"{path}: truncated: header says {DescribeShape(shape)} {type.Name} = {need} bytes, file has {have} after the {dataStart}-byte header");
            if (have > need)
                throw new EieInputException(
                    $"{path}: {have - need} trailing bytes: header says {DescribeShape(shape)} {type.Name} = {need} bytes, file has {have} after the {dataStart}-byte header");
            var data = new double[count];
            ReadData(stream, type, data);
            return new NpyArray(shape, type.Descr, data);
        }
        catch (FileNotFoundException) { throw new EieInputException($"{path}: file not found"); }
        catch (DirectoryNotFoundException) { throw new EieInputException($"{path}: file not found (no such directory)"); }
        catch (UnauthorizedAccessException e) { throw new EieInputException($"{path}: cannot read: {OneLine(e.Message)}"); }
        catch (EndOfStreamException) { throw new EieInputException($"{path}: truncated: file shrank while being read"); }
        catch (IOException e) { throw new EieInputException($"{path}: cannot read: {OneLine(e.Message)}"); }
    }

    /// <summary>Reads a rank-2 array; returns its row-major data.</summary>
    public static double[] ReadMatrix(string path, out int rows, out int cols)
    {
        var a = Read(path);
        if (a.Rank != 2)
            throw new EieInputException(
                $"{path}: expected a matrix (rank 2), got rank {a.Rank} with shape {Repr(a.Shape)}");
        rows = a.Shape[0];
        cols = a.Shape[1];
        return a.Data;
    }

    /// <summary>
    /// Reads a rank-1 array. A (1, n) or (n, 1) matrix is refused rather than flattened,
    /// because a transposed or mis-saved array would otherwise pass unnoticed.
    /// </summary>
    public static double[] ReadVector(string path)
    {
        var a = Read(path);
        if (a.Rank != 1)
        {
            string hint = a.Rank == 2 && (a.Shape[0] == 1 || a.Shape[1] == 1)
                ? "; save it with a.ravel() if it really is a vector" : "";
            throw new EieInputException(
                $"{path}: expected a vector (rank 1), got rank {a.Rank} with shape {Repr(a.Shape)}{hint}");
        }
        return a.Data;
    }

    private static (int[] Shape, DTypeInfo Type, long Count, long DataStart) ReadHeader(string path, Stream s)
    {
        Span<byte> pre = stackalloc byte[12];
        int got = s.ReadAtLeast(pre[..10], 10, throwOnEndOfStream: false);
        if (got < 6 || !pre[..6].SequenceEqual(Magic))
            throw new EieInputException(
                $"{path}: not a .npy file: must start with the bytes \\x93NUMPY, got {Hex(pre[..Math.Min(got, 6)])}");
        if (got < 10) throw new EieInputException($"{path}: truncated: file ends inside the .npy preamble");
        int major = pre[6], minor = pre[7];
        if (major is < 1 or > 3 || minor != 0)
            throw new EieInputException(
                $"{path}: unsupported .npy format version {major}.{minor}; supported: 1.0, 2.0, 3.0");
        long headerLen;
        int prefix;
        if (major == 1)
        {
            headerLen = BinaryPrimitives.ReadUInt16LittleEndian(pre[8..10]);
            prefix = 10;
        }
        else
        {
            if (s.ReadAtLeast(pre[10..12], 2, throwOnEndOfStream: false) < 2)
                throw new EieInputException($"{path}: truncated: file ends inside the .npy preamble");
            headerLen = BinaryPrimitives.ReadUInt32LittleEndian(pre[8..12]);
            prefix = 12;
        }
        if (headerLen > MaxHeaderBytes)
            throw new EieInputException($"{path}: malformed header: length must be at most {MaxHeaderBytes} bytes, got {headerLen}");
        var raw = new byte[headerLen];
        int hgot = s.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false);
        if (hgot < raw.Length)
            throw new EieInputException(
                $"{path}: truncated: header length is {headerLen} bytes, file has {hgot} after the preamble");
        // Versions 1.0 and 2.0 store the header as latin-1; 3.0 switched to UTF-8.
        string text = major == 3 ? System.Text.Encoding.UTF8.GetString(raw) : System.Text.Encoding.Latin1.GetString(raw);

        var dict = new HeaderParser(path, text).ParseDict();
        foreach (var key in dict.Keys)
            if (key is not ("descr" or "fortran_order" or "shape"))
                throw new EieInputException(
                    $"{path}: malformed header: keys must be 'descr', 'fortran_order', 'shape', got '{key}'");
        object descr = Required(path, dict, "descr");
        object fortran = Required(path, dict, "fortran_order");
        object shapeValue = Required(path, dict, "shape");

        if (descr is not string descrText)
            throw new EieInputException(
                $"{path}: dtype must be one of {Supported}, got a structured dtype {HeaderParser.Repr(descr)}");
        var type = ParseDType(path, descrText);

        if (fortran is not bool fortranOrder)
            throw new EieInputException($"{path}: malformed header: 'fortran_order' must be True or False, got {HeaderParser.Repr(fortran)}");
        if (fortranOrder)
            throw new EieInputException(
                $"{path}: fortran_order is True: Fortran order is not supported; save with np.ascontiguousarray");

        if (shapeValue is not HeaderParser.Tuple { Items: var items })
            throw new EieInputException($"{path}: malformed header: 'shape' must be a tuple, got {HeaderParser.Repr(shapeValue)}");
        if (items.Count > MaxRank)
            throw new EieInputException($"{path}: shape must have at most {MaxRank} dimensions, got {items.Count}");
        var dims = new long[items.Count];
        for (int i = 0; i < dims.Length; i++)
        {
            if (items[i] is not long d)
                throw new EieInputException($"{path}: malformed header: shape entries must be integers, got {HeaderParser.Repr(shapeValue)}");
            dims[i] = d;
        }
        var shape = CheckShape(path, dims, type, out long count);
        return (shape, type, count, prefix + headerLen);
    }

    private static object Required(string path, Dictionary<string, object> dict, string key) =>
        dict.TryGetValue(key, out var v) ? v
            : throw new EieInputException($"{path}: malformed header: missing key '{key}'");

    private static DTypeInfo ParseDType(string path, string descr)
    {
        char order = descr.Length > 0 && "<>|=".Contains(descr[0]) ? descr[0] : '=';
        string body = descr.Length > 0 && "<>|=".Contains(descr[0]) ? descr[1..] : descr;
        if (!Types.TryGetValue(body, out var type))
            throw new EieInputException($"{path}: dtype must be one of {Supported}, got '{descr}'");
        // Byte order is meaningless for one-byte items, so any marker is fine there.
        if (order == '>' && type.Size > 1)
            throw new EieInputException(
                $"{path}: dtype '{descr}' is big-endian; only little-endian is supported; save with a.astype('{type.Descr}')");
        if (order == '|' && type.Size > 1)
            throw new EieInputException($"{path}: dtype must be one of {Supported}, got '{descr}' (byte order '|' on a multi-byte type)");
        return type;
    }

    private static int[] CheckShape(string path, long[] dims, DTypeInfo type, out long count)
    {
        foreach (long d in dims)
            if (d < 0)
                throw new EieInputException($"{path}: shape dimensions must be >= 0, got {d} in {Repr(dims)}");
        count = 1;
        if (Array.IndexOf(dims, 0L) >= 0) count = 0;
        else
            foreach (long d in dims)
            {
                // Compare by division so the check itself cannot overflow.
                if (count > Array.MaxLength / d)
                    throw new EieInputException(
                        $"{path}: shape {Repr(dims)} has too many elements: must be at most {Array.MaxLength} {type.Name} elements");
                count *= d;
            }
        var shape = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] > int.MaxValue)
                throw new EieInputException($"{path}: shape dimensions must be at most {int.MaxValue}, got {dims[i]} in {Repr(dims)}");
            shape[i] = (int)dims[i];
        }
        return shape;
    }

    private static void ReadData(Stream s, DTypeInfo type, double[] dst)
    {
        if (type.Kind == Kind.F8)
        {
            // Read straight into the result; chunked because a span of bytes caps at 2 GB.
            int per = ChunkBytes / 8;
            for (int i = 0; i < dst.Length; i += per)
                s.ReadExactly(MemoryMarshal.AsBytes(dst.AsSpan(i, Math.Min(per, dst.Length - i))));
            return;
        }
        var buffer = new byte[(int)Math.Min(ChunkBytes, (long)dst.Length * type.Size)];
        int perChunk = ChunkBytes / type.Size;
        for (int i = 0; i < dst.Length; i += perChunk)
        {
            int n = Math.Min(perChunk, dst.Length - i);
            var bytes = buffer.AsSpan(0, n * type.Size);
            s.ReadExactly(bytes);
            var d = dst.AsSpan(i, n);
            switch (type.Kind)
            {
                case Kind.F4: Widen(MemoryMarshal.Cast<byte, float>(bytes), d); break;
                case Kind.I1: Widen(MemoryMarshal.Cast<byte, sbyte>(bytes), d); break;
                case Kind.U1: Widen(bytes, d); break;
                case Kind.I2: Widen(MemoryMarshal.Cast<byte, short>(bytes), d); break;
                case Kind.I4: Widen(MemoryMarshal.Cast<byte, int>(bytes), d); break;
                case Kind.I8: Widen(MemoryMarshal.Cast<byte, long>(bytes), d); break;
                default: throw new InvalidOperationException($"unhandled dtype {type.Descr}");
            }
        }
    }

    private static void Widen<T>(ReadOnlySpan<T> src, Span<double> dst) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        for (int i = 0; i < src.Length; i++) dst[i] = double.CreateTruncating(src[i]);
    }

    // ------------------------------------------------------------------ writing

    /// <summary>Writes <paramref name="data"/> as a C-order &lt;f8 array of the given shape.</summary>
    public static void Write(string path, ReadOnlySpan<double> data, params int[] shape)
    {
        CheckWriteShape(data.Length, shape);
        var header = BuildHeader("<f8", shape);
        WriteAtomic(path, header, data, static (stream, span) =>
        {
            int per = ChunkBytes / 8;
            for (int i = 0; i < span.Length; i += per)
                stream.Write(MemoryMarshal.AsBytes(span.Slice(i, Math.Min(per, span.Length - i))));
        });
    }

    /// <summary>Writes integer data as a C-order &lt;i4 or &lt;i2 array of the given shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value does not fit <see cref="NpyIntType.Int16"/>.</exception>
    public static void Write(string path, ReadOnlySpan<int> data, NpyIntType dtype, params int[] shape)
    {
        CheckWriteShape(data.Length, shape);
        if (dtype is not (NpyIntType.Int16 or NpyIntType.Int32))
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "must be Int16 or Int32");
        if (dtype == NpyIntType.Int16)
            for (int i = 0; i < data.Length; i++)
                if (data[i] is < short.MinValue or > short.MaxValue)
                    throw new ArgumentOutOfRangeException(nameof(data),
                        $"{path}: element {i} must be in [{short.MinValue}, {short.MaxValue}] for int16, got {data[i]}");
        var header = BuildHeader(dtype == NpyIntType.Int16 ? "<i2" : "<i4", shape);
        if (dtype == NpyIntType.Int32)
        {
            WriteAtomic(path, header, data, static (stream, span) =>
            {
                int per = ChunkBytes / 4;
                for (int i = 0; i < span.Length; i += per)
                    stream.Write(MemoryMarshal.AsBytes(span.Slice(i, Math.Min(per, span.Length - i))));
            });
            return;
        }
        WriteAtomic(path, header, data, static (stream, span) =>
        {
            int per = ChunkBytes / 2;
            var buffer = new short[Math.Min(per, span.Length)];
            for (int i = 0; i < span.Length; i += per)
            {
                int n = Math.Min(per, span.Length - i);
                for (int k = 0; k < n; k++) buffer[k] = (short)span[i + k];
                stream.Write(MemoryMarshal.AsBytes(buffer.AsSpan(0, n)));
            }
        });
    }

    private static void CheckWriteShape(int length, int[] shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentOutOfRangeException(nameof(shape), $"dimensions must be >= 0, got {Repr(shape)}");
            count = d == 0 || count == 0 ? 0 : Math.Min(count * d, long.MaxValue / 2);
        }
        if (count != length)
            throw new ArgumentException($"shape {Repr(shape)} needs {count} elements, data has {length}", nameof(shape));
    }

    /// <summary>The preamble and header exactly as numpy.save writes them (see numpy.lib.format._write_array_header).</summary>
    internal static byte[] BuildHeader(string descr, int[] shape)
    {
        var dict = new StringBuilder();
        // numpy emits the keys sorted and each followed by ", ", including the last.
        dict.Append("{'descr': '").Append(descr).Append("', 'fortran_order': False, 'shape': ")
            .Append(Repr(shape)).Append(", }");
        if (shape.Length > 0)
            dict.Append(' ', GrowthAxisMaxDigits - shape[0].ToString(CultureInfo.InvariantCulture).Length);
        byte[] text = System.Text.Encoding.Latin1.GetBytes(dict.ToString());
        // Like numpy, fall back to version 2.0 only if the header outgrows a uint16 length.
        foreach (int major in new[] { 1, 2 })
        {
            int prefix = major == 1 ? 10 : 12;
            int hlen = text.Length + 1;
            int pad = ArrayAlign - (prefix + hlen) % ArrayAlign;
            int total = hlen + pad;
            if (major == 1 && total > ushort.MaxValue) continue;
            var result = new byte[prefix + total];
            Magic.CopyTo(result, 0);
            result[6] = (byte)major;
            result[7] = 0;
            if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)total);
            else BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), (uint)total);
            text.CopyTo(result, prefix);
            result.AsSpan(prefix + text.Length, pad).Fill((byte)' ');
            result[^1] = (byte)'\n';
            return result;
        }
        throw new UnreachableException();
    }

    private delegate void SpanWriter<T>(Stream stream, ReadOnlySpan<T> data);

    /// <summary>
    /// Writes to a temporary file beside the target and renames it over the target, so a
    /// reader (or a crash) never sees a half-written file.
    /// </summary>
    private static void WriteAtomic<T>(string path, byte[] header, ReadOnlySpan<T> data, SpanWriter<T> body)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Npy needs a little-endian host");
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                       bufferSize: 0, FileOptions.None))
            {
                stream.Write(header);
                body(stream, data);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        // An output path is user input too: a missing folder or a read-only target is
        // reported like any other bad argument rather than as a crash.
        catch (DirectoryNotFoundException) { throw new EieInputException($"{path}: cannot write: folder {dir} does not exist"); }
        catch (UnauthorizedAccessException e) { throw new EieInputException($"{path}: cannot write: {OneLine(e.Message)}"); }
        catch (IOException e) { throw new EieInputException($"{path}: cannot write: {OneLine(e.Message)}"); }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    // ------------------------------------------------------------------ formatting helpers

    /// <summary>Python's repr of a shape tuple: (), (3,), (3, 4).</summary>
    private static string Repr<T>(IReadOnlyList<T> shape) where T : IFormattable =>
        shape.Count == 1
            ? $"({shape[0].ToString(null, CultureInfo.InvariantCulture)},)"
            : "(" + string.Join(", ", shape.Select(d => d.ToString(null, CultureInfo.InvariantCulture))) + ")";

    private static string DescribeShape(int[] shape) =>
        shape.Length == 0 ? "scalar" : string.Join(" x ", shape);

    private static string Hex(ReadOnlySpan<byte> bytes) =>
        bytes.IsEmpty ? "an empty file" : string.Concat(bytes.ToArray().Select(b =>
            b is >= 0x20 and < 0x7f and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:x2}"));

    private static string OneLine(string s) => s.ReplaceLineEndings(" ");

    /// <summary>
    /// Parses the header's Python dict literal: string, True/False, int and tuple/list
    /// values, which is all numpy ever writes (lists only for structured dtypes).
    /// </summary>
    private sealed class HeaderParser(string path, string text)
    {
        public sealed record Tuple(List<object> Items, bool IsList);

        private int _pos;
        private int _depth;

        public Dictionary<string, object> ParseDict()
        {
            SkipSpace();
            Expect('{');
            var dict = new Dictionary<string, object>();
            while (true)
            {
                SkipSpace();
                if (Peek() == '}') { _pos++; break; }
                if (ParseValue() is not string key) throw Error("dict keys must be strings");
                SkipSpace();
                Expect(':');
                if (!dict.TryAdd(key, ParseValue())) throw Error($"key '{key}' appears twice");
                SkipSpace();
                if (Peek() == ',') { _pos++; continue; }
                SkipSpace();
                Expect('}');
                break;
            }
            SkipSpace();
            if (_pos != text.Length) throw Error("unexpected text after the closing '}'");
            return dict;
        }

        private object ParseValue()
        {
            SkipSpace();
            char c = Peek();
            if (c is '\'' or '"')
            {
                int end = text.IndexOf(c, _pos + 1);
                if (end < 0) throw Error("unterminated string");
                string s = text[(_pos + 1)..end];
                _pos = end + 1;
                return s;
            }
            if (c is '(' or '[')
            {
                if (++_depth > MaxNesting) throw Error($"tuples and lists nest deeper than {MaxNesting} levels");
                char close = c == '(' ? ')' : ']';
                _pos++;
                var items = new List<object>();
                while (true)
                {
                    SkipSpace();
                    if (Peek() == close) { _pos++; break; }
                    items.Add(ParseValue());
                    SkipSpace();
                    if (Peek() == ',') { _pos++; continue; }
                    Expect(close);
                    break;
                }
                _depth--;
                return new Tuple(items, c == '[');
            }
            if (c == '-' || char.IsAsciiDigit(c))
            {
                int start = _pos;
                if (c == '-') _pos++;
                while (_pos < text.Length && char.IsAsciiDigit(text[_pos])) _pos++;
                string digits = text[start.._pos];
                if (digits == "-") throw Error("expected digits after '-'");
                // Python 2 era files write longs as 3L.
                if (_pos < text.Length && text[_pos] is 'L' or 'l') _pos++;
                if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v))
                    throw new EieInputException(
                        $"{path}: shape dimensions must fit in 64 bits, got {digits}");
                return v;
            }
            foreach (var (word, value) in new[] { ("True", true), ("False", false) })
                if (string.CompareOrdinal(text, _pos, word, 0, word.Length) == 0)
                {
                    _pos += word.Length;
                    return value;
                }
            throw Error("expected a string, number, True, False or tuple");
        }

        public static string Repr(object value) => value switch
        {
            string s => $"'{s}'",
            bool b => b ? "True" : "False",
            long l => l.ToString(CultureInfo.InvariantCulture),
            Tuple t => (t.IsList ? "[" : "(") + string.Join(", ", t.Items.Select(Repr)) + (t.IsList ? "]" : ")"),
            _ => value.ToString() ?? "",
        };

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        private void Expect(char c)
        {
            if (Peek() != c) throw Error($"expected '{c}'");
            _pos++;
        }

        private EieInputException Error(string what)
        {
            string shown = text.TrimEnd().ReplaceLineEndings(" ");
            if (shown.Length > 120) shown = shown[..117] + "...";
            string at = _pos < text.Length ? $"'{text[_pos]}'" : "end of header";
            return new EieInputException(
                $"{path}: malformed header: {what} at offset {_pos} (found {at}) in {shown}");
        }
    }
}
