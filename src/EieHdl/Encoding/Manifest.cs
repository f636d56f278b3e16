using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using EieHdl.Arithmetic;
using EieHdl.Compression;
using EieHdl.Config;
using EieHdl.IO;

namespace EieHdl.Encoding;

/// <summary>The manifest document: what was generated, from which config, and every layer's encoding.</summary>
/// <param name="OutputOrder">With balanced rows: the last layer's hardware row p is the model's output OutputOrder[p]
/// (final[OutputOrder[p]] = hardware row p); absent otherwise.</param>
public sealed record ModelManifest(string Generator, EieConfig Config, ManifestLayer[] Layers, ManifestSizes Sizes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int[]? OutputOrder = null);

/// <summary>One layer: its placement in the PE memories, its codebook, its storage report and its per-PE slices.</summary>
public sealed record ManifestLayer(
    string Name, int Inputs, int Outputs, bool HasBias, bool Relu, int PtrBase, int CodebookBase,
    ManifestCodebook Codebook, long KeptWeights, double Density, long Entries, long PaddingEntries,
    HuffmanReport Huffman, ManifestPe[] Pes);

public sealed record ManifestCodebook(double[] Float, int[] Fixed);

/// <summary>One PE's slice of a layer; pointers are relative to the layer's first entry in the PE.</summary>
public sealed record ManifestPe(int Pe, int LocalRows, int Entries, int Padding, int[] Pointers, int[] V, int[] Z);

/// <summary>Whole-model storage totals; PE figures are what the largest layer-chain needs of one PE's memories.</summary>
public sealed record ManifestSizes(
    long DenseBytes, long PayloadBytes, long HuffmanPayloadBytes, long PointerBytes,
    double PayloadPercent, double HuffmanPayloadPercent, double CompressionRatio, double HuffmanCompressionRatio,
    long MaxPeEntries, long SpmatEntriesPerPe, int PointersPerPe, int PtrDepth);

/// <summary>
/// The JSON manifest of a generated model, read by later tools (simulators, report
/// generators) so they need not re-run compression. Field order follows the record
/// declarations, numbers are invariant and doubles round-trip, and the long per-PE arrays are
/// kept on one line each so the file stays readable; the same model gives the same bytes.
/// </summary>
public static class Manifest
{
    public const string GeneratorName = "EieHdl";

    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters =
        {
            new CompactArrayConverter<int>(v => v.ToString(CultureInfo.InvariantCulture), r => r.GetInt32()),
            new CompactArrayConverter<double>(v => v.ToString("R", CultureInfo.InvariantCulture), r => r.GetDouble()),
        },
    };

    /// <param name="layers">The compressed layers the image was built from, in image order.</param>
    public static ModelManifest Build(ModelImage image, IReadOnlyList<CompressedLayer> layers, int[]? outputOrder = null)
    {
        if (layers.Count != image.Layers.Count)
            throw new ArgumentException($"image has {image.Layers.Count} layers, {layers.Count} compressed layers given");
        var config = image.Config;
        int vMask = (1 << config.IndexBits) - 1;
        var manifestLayers = new ManifestLayer[layers.Count];
        for (int l = 0; l < layers.Count; l++)
        {
            var placement = image.Layers[l];
            var compressed = layers[l];
            var layer = compressed.Layer;
            if (layer.Name != placement.Name)
                throw new ArgumentException($"image layer {l} is {placement.Name}, compressed layer is {layer.Name}");
            var huffman = HuffmanReport.Of(config, layer);
            var pes = layer.Pes.Select(s => new ManifestPe(
                s.Pe, s.LocalRows, s.Entries.Length, s.PaddingEntries(config.IndexBits), s.Pointers,
                s.Entries.Select(e => e & vMask).ToArray(),
                s.Entries.Select(e => e >> config.IndexBits).ToArray())).ToArray();
            manifestLayers[l] = new ManifestLayer(
                layer.Name, layer.Inputs, layer.Outputs, layer.HasBias, layer.Relu, placement.PtrBase, placement.CodebookBase,
                new ManifestCodebook(layer.CodebookFloat, layer.Codebook), compressed.KeptWeights, compressed.Density,
                huffman.Entries, huffman.PaddingEntries, huffman, pes);
        }
        return new ModelManifest(GeneratorName, config, manifestLayers, Sizes(image, manifestLayers), outputOrder);
    }

    public static string ToJson(ModelManifest manifest) => JsonSerializer.Serialize(manifest, Options) + "\n";

    /// <summary>Writes the manifest through a temporary file, so a reader never sees half of one.</summary>
    public static void Write(string path, ModelImage image, IReadOnlyList<CompressedLayer> layers, int[]? outputOrder = null) =>
        AtomicOutput.WriteAllText(path, ToJson(Build(image, layers, outputOrder)));

    public static ModelManifest Parse(string json, string source = "manifest")
    {
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(json, Options);
        }
        catch (JsonException e)
        {
            throw new EieInputException($"{source}: must be an EieHdl manifest, got invalid JSON at {e.Path ?? "$"} (line {e.LineNumber + 1}): {e.Message.Split('\n')[0]}");
        }
        // The array converter reads numbers itself: a string, null or out-of-range number in an
        // int or double array surfaces as these rather than as a JsonException.
        catch (Exception e) when (e is FormatException or InvalidOperationException or OverflowException)
        {
            throw new EieInputException($"{source}: must be an EieHdl manifest, got an array element that is not a number of its type ({e.Message.ReplaceLineEndings(" ")})");
        }
        if (manifest is null)
            throw new EieInputException($"{source}: must be an EieHdl manifest (a JSON object), got null");
        if (manifest.Generator != GeneratorName)
            throw new EieInputException($"{source}: generator must be {GeneratorName}, got {manifest.Generator ?? "null"}");
        if (manifest.Config is null) throw Missing(source, "config");
        manifest.Config.Validate(source);
        CheckStructure(manifest, source);
        if (manifest.OutputOrder is { } order)
        {
            int outputs = manifest.Layers[^1].Outputs;
            var seen = new bool[outputs];
            if (order.Length != outputs || order.Any(r => (uint)r >= (uint)outputs || seen[r] || !(seen[r] = true)))
                throw new EieInputException($"{source}: outputOrder must be a permutation of the last layer's {outputs} rows, got {order.Length} values that are not");
        }
        return manifest;
    }

    private static EieInputException Missing(string source, string field) =>
        new($"{source}: {field} must be present, got null or nothing");

    /// <summary>
    /// Checks every field a reader relies on: present, of the config's sizes, in range, and
    /// consistent with the layer's shape, so an edited or truncated manifest is refused with
    /// the field it got wrong instead of failing somewhere later.
    /// </summary>
    private static void CheckStructure(ModelManifest manifest, string source)
    {
        var config = manifest.Config;
        if (manifest.Layers is null) throw Missing(source, "layers");
        if (manifest.Layers.Length < 1 || manifest.Layers.Length > config.MaxLayers)
            throw new EieInputException($"{source}: layers must hold 1 to MaxLayers {config.MaxLayers} layers, got {manifest.Layers.Length}");
        if (manifest.Sizes is null) throw Missing(source, "sizes");
        long weightMin = -(1L << (config.WeightWidth - 1)), weightMax = (1L << (config.WeightWidth - 1)) - 1;
        var fixedPoint = new FixedPoint(config);
        int ptrBase = 0;
        for (int l = 0; l < manifest.Layers.Length; l++)
        {
            string at = $"layers[{l}]";
            var layer = manifest.Layers[l] ?? throw Missing(source, at);
            if (string.IsNullOrEmpty(layer.Name)) throw Missing(source, at + ".name");
            Field(source, at + ".inputs", layer.Inputs, 1, 1 << 24);
            Field(source, at + ".outputs", layer.Outputs, 1, 1 << 24);
            if (l > 0 && layer.Inputs != manifest.Layers[l - 1].Outputs)
                throw new EieInputException($"{source}: {at}.inputs must equal the outputs of layers[{l - 1}] ({manifest.Layers[l - 1].Outputs}), got {layer.Inputs}");
            Field(source, at + ".ptrBase", layer.PtrBase, ptrBase, ptrBase);
            Field(source, at + ".codebookBase", layer.CodebookBase, l * config.CodebookSize, l * config.CodebookSize);
            int columns = layer.Inputs + (layer.HasBias ? 1 : 0);
            // A layer with more rows per PE than the accumulators stores one pointer column set per output batch.
            ptrBase += OutputBatches.Of(config, layer.Outputs).Count * (columns + 1);
            if (layer.Huffman is null) throw Missing(source, at + ".huffman");
            if (!(layer.Density is >= 0 and <= 1))
                throw new EieInputException($"{source}: {at}.density must be in [0, 1], got {layer.Density.ToString(CultureInfo.InvariantCulture)}");

            var codebook = layer.Codebook ?? throw Missing(source, at + ".codebook");
            var fixedValues = codebook.Fixed ?? throw Missing(source, at + ".codebook.fixed");
            var floatValues = codebook.Float ?? throw Missing(source, at + ".codebook.float");
            Length(source, at + ".codebook.fixed", fixedValues.Length, config.CodebookSize, "CodebookSize");
            Length(source, at + ".codebook.float", floatValues.Length, config.CodebookSize, "CodebookSize");
            for (int k = 0; k < fixedValues.Length; k++)
                Field(source, $"{at}.codebook.fixed[{k}]", fixedValues[k], k == 0 ? 0 : weightMin, k == 0 ? 0 : weightMax,
                    k == 0 ? "entry 0 is the zero weight of padding" : $"WeightWidth {config.WeightWidth}");
            for (int k = 0; k < floatValues.Length; k++)
            {
                if (!double.IsFinite(floatValues[k]))
                    throw new EieInputException($"{source}: {at}.codebook.float[{k}] must be finite, got {floatValues[k].ToString(CultureInfo.InvariantCulture)}");
                // The fixed-point codebook is the float one rounded to the weight format; an edit of either shows here.
                int rounded = fixedPoint.QuantizeWeight(floatValues[k]);
                if (fixedValues[k] != rounded)
                    throw new EieInputException(string.Create(CultureInfo.InvariantCulture,
                        $"{source}: {at}.codebook.fixed[{k}] must be {rounded} (codebook.float[{k}] = {floatValues[k]:R} in the weight format), got {fixedValues[k]}"));
            }

            var pes = layer.Pes ?? throw Missing(source, at + ".pes");
            Length(source, at + ".pes", pes.Length, config.Pes, "Pes");
            for (int pe = 0; pe < pes.Length; pe++)
                CheckPe(source, $"{at}.pes[{pe}]", pes[pe] ?? throw Missing(source, $"{at}.pes[{pe}]"), pe, config, layer.Outputs, columns);
        }
    }

    private static void CheckPe(string source, string at, ManifestPe pe, int index, EieConfig config, int outputs, int columns)
    {
        int n = config.Pes;
        Field(source, at + ".pe", pe.Pe, index, index);
        int rows = index < outputs ? (outputs - index + n - 1) / n : 0;
        Field(source, at + ".localRows", pe.LocalRows, rows, rows, "the layer's rows this PE owns");
        var pointers = pe.Pointers ?? throw Missing(source, at + ".pointers");
        var v = pe.V ?? throw Missing(source, at + ".v");
        var z = pe.Z ?? throw Missing(source, at + ".z");
        Length(source, at + ".pointers", pointers.Length, columns + 1, "columns + 1");
        Length(source, at + ".z", z.Length, v.Length, "the length of v");
        Field(source, at + ".entries", pe.Entries, v.Length, v.Length, "the length of v");
        if (pointers[0] != 0)
            throw new EieInputException($"{source}: {at}.pointers[0] must be 0, got {pointers[0]}");
        for (int j = 0; j < columns; j++)
            if (pointers[j + 1] < pointers[j] || pointers[j + 1] > v.Length)
                throw new EieInputException(
                    $"{source}: {at}.pointers must ascend within the PE's {v.Length} entries, got pointers[{j + 1}] = {pointers[j + 1]} after {pointers[j]}");
        if (pointers[columns] != v.Length)
            throw new EieInputException($"{source}: {at}.pointers[{columns}] must be the PE's entry count {v.Length}, got {pointers[columns]}");
        int padding = 0;
        for (int j = 0; j < columns; j++)
        {
            // The PE's address accumulator: -1 at a column start, + z + 1 per entry.
            int x = -1;
            for (int e = pointers[j]; e < pointers[j + 1]; e++)
            {
                Field(source, $"{at}.v[{e}]", v[e], 0, config.CodebookSize - 1, "CodebookSize - 1");
                Field(source, $"{at}.z[{e}]", z[e], 0, config.MaxRun, "2^RunBits - 1");
                if (v[e] == 0) padding++;
                x += z[e] + 1;
                if (x >= rows)
                    throw new EieInputException($"{source}: {at} column {j} entry {e} must address one of the PE's {rows} rows, got local row {x}");
            }
        }
        Field(source, at + ".padding", pe.Padding, padding, padding, "its entries with v = 0");
    }

    private static void Field(string source, string field, long value, long min, long max, string? why = null)
    {
        if (value >= min && value <= max) return;
        string limit = min == max ? $"be {min}" : $"be in [{min}, {max}]";
        throw new EieInputException($"{source}: {field} must {limit}{(why is null ? "" : $" ({why})")}, got {value}");
    }

    private static void Length(string source, string field, int length, int expected, string what)
    {
        if (length != expected)
            throw new EieInputException($"{source}: {field} must have {expected} values ({what}), got {length}");
    }

    public static ModelManifest Read(string path)
    {
        if (!File.Exists(path)) throw new EieInputException($"manifest {path}: file is missing");
        string text;
        try
        {
            text = File.ReadAllText(path, AtomicOutput.Utf8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EieInputException($"manifest {path}: cannot read: {e.Message.ReplaceLineEndings(" ")}");
        }
        return Parse(text, $"manifest {path}");
    }

    private static ManifestSizes Sizes(ModelImage image, ManifestLayer[] layers)
    {
        var reports = layers.Select(l => l.Huffman).ToArray();
        long dense = reports.Sum(r => r.DenseBytes);
        long payload = reports.Sum(r => r.PayloadBytes);
        long huffman = reports.Sum(r => r.HuffmanPayloadBytes);
        return new ManifestSizes(
            dense, payload, huffman, reports.Sum(r => r.PointerBytes),
            dense == 0 ? 0 : 100.0 * payload / dense,
            dense == 0 ? 0 : 100.0 * huffman / dense,
            payload == 0 ? 0 : (double)dense / payload,
            huffman == 0 ? 0 : (double)dense / huffman,
            image.Pes.Max(p => (long)p.Entries.Length),
            image.Config.SpmatEntries,
            image.Pes[0].Pointers.Length,
            image.Config.PtrDepth);
    }

    /// <summary>
    /// Writes an array on one line inside the indented document, each element formatted by
    /// <paramref name="format"/> (ints plainly, doubles in their shortest round-trip form).
    /// </summary>
    private sealed class CompactArrayConverter<T>(Func<T, string> format, Func<Utf8JsonReader, T> read) : JsonConverter<T[]>
    {
        public override T[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
                throw new JsonException($"expected an array, got {reader.TokenType}");
            var values = new List<T>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) values.Add(read(reader));
            return values.ToArray();
        }

        public override void Write(Utf8JsonWriter writer, T[] value, JsonSerializerOptions options) =>
            writer.WriteRawValue("[" + string.Join(",", value.Select(format)) + "]", skipInputValidation: true);
    }
}
