using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
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
        if (manifest?.Config is null || manifest.Layers is null)
            throw new EieInputException($"{source}: must be an EieHdl manifest with config and layers, got neither");
        if (manifest.Generator != GeneratorName)
            throw new EieInputException($"{source}: generator must be {GeneratorName}, got {manifest.Generator}");
        manifest.Config.Validate(source);
        if (manifest.OutputOrder is { } order && manifest.Layers.Length > 0)
        {
            int outputs = manifest.Layers[^1].Outputs;
            var seen = new bool[outputs];
            if (order.Length != outputs || order.Any(r => (uint)r >= (uint)outputs || seen[r] || !(seen[r] = true)))
                throw new EieInputException($"{source}: outputOrder must be a permutation of the last layer's {outputs} rows, got {order.Length} values that are not");
        }
        return manifest;
    }

    public static ModelManifest Read(string path)
    {
        if (!File.Exists(path)) throw new EieInputException($"manifest {path}: file is missing");
        return Parse(File.ReadAllText(path, AtomicOutput.Utf8), $"manifest {path}");
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
