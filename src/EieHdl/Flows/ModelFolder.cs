using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Hardware;
using EieHdl.IO;

namespace EieHdl.Flows;

/// <summary>A model read back from its folder: the manifest, the layers it describes and the memory image.</summary>
public sealed record LoadedModel(ModelManifest Manifest, IReadOnlyList<EncodedLayer> Layers, ModelImage Image)
{
    public EieConfig Config => Image.Config;

    /// <summary>The last layer's outputs (in row order, as the hardware leaves them) in the model's output order.</summary>
    public int[] InOutputOrder(int[] rows)
    {
        if (Manifest.OutputOrder is not { } order) return rows;
        var result = new int[rows.Length];
        for (int p = 0; p < rows.Length; p++) result[order[p]] = rows[p];
        return result;
    }

    /// <summary>An input for the first layer from a 1-D .npy: as many values as it has inputs, all finite.</summary>
    public double[] ReadInput(string inputPath)
    {
        double[] inputs = Npy.ReadVector(inputPath);
        int expected = Layers[0].Inputs;
        if (inputs.Length != expected)
            throw new EieInputException($"{inputPath}: must have {expected} values (inputs of layer {Layers[0].Name}), got {inputs.Length}");
        for (int j = 0; j < inputs.Length; j++)
            if (!double.IsFinite(inputs[j]))
                throw new EieInputException($"{inputPath}: value {j} must be finite, got {inputs[j]}");
        return inputs;
    }

    /// <summary>
    /// Refuses a config file that is not the one the model at <paramref name="modelPath"/> was
    /// compiled for: hardware built from it would lay the memories out differently.
    /// </summary>
    public void RequireConfig(string? configPath, string modelPath)
    {
        if (configPath is null) return;
        var given = ConfigLoader.Load(configPath);
        if (given != Config)
            throw new EieInputException(
                $"{configPath}: must match the config of model {modelPath} ({RtlGenerator.ConfigDigest(Config)}), got {RtlGenerator.ConfigDigest(given)}");
    }
}

/// <summary>
/// The on-disk form of a compressed model: `manifest.json` (config, layers, codebooks, per-PE
/// pointers and (v, z) lists) and `images/` (the `$readmemh` memory images the hardware is
/// loaded with). Loading checks that the two agree, so an edited or mixed-up folder is
/// refused instead of silently running something else.
/// </summary>
public static class ModelFolder
{
    public const string ManifestFile = "manifest.json";
    public const string ImagesFolder = "images";

    public static LoadedModel Load(string folder)
    {
        if (!Directory.Exists(folder))
            throw new EieInputException(File.Exists(folder)
                ? $"model {folder}: must be a model folder, got a file"
                : $"model {folder}: folder is missing");
        var manifest = Manifest.Read(Path.Combine(folder, ManifestFile));
        var config = manifest.Config;
        var layers = manifest.Layers.Select(l => ToEncodedLayer(config, l)).ToArray();
        var image = ModelImage.Build(config, layers);

        string images = Path.Combine(folder, ImagesFolder);
        var files = ImageWriter.Read(config, images);
        for (int pe = 0; pe < config.Pes; pe++)
        {
            var expected = image.Pes[pe];
            if (!files.Pes[pe].Pointers.AsSpan().SequenceEqual(expected.Pointers))
                throw Disagree(images, ImageWriter.PtrEvenFileName(pe) + " / " + ImageWriter.PtrOddFileName(pe));
            // The reader decodes only the entries the pointers address; the words must also end
            // there, with the last word's unused lanes zero, as the writer leaves them.
            if (!files.Pes[pe].Entries.AsSpan().SequenceEqual(expected.Entries)
                || !DataLines(Path.Combine(images, ImageWriter.SpmatFileName(pe))).SequenceEqual(DataLines(ImageWriter.SpmatHex(config, expected).Split('\n'))))
                throw Disagree(images, ImageWriter.SpmatFileName(pe));
        }
        if (!files.Codebooks.AsSpan().SequenceEqual(image.Codebooks))
            throw Disagree(images, ImageWriter.CodebookFileName);
        return new LoadedModel(manifest, layers, image);
    }

    private static IEnumerable<string> DataLines(string path) => DataLines(File.ReadLines(path));

    /// <summary>The data words of a $readmemh text, as <see cref="ImageWriter.Read"/> sees them (blank lines and comments skipped, any case).</summary>
    private static IEnumerable<string> DataLines(IEnumerable<string> lines) => lines
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith("//", StringComparison.Ordinal))
        .Select(l => l.ToLowerInvariant());

    private static EieInputException Disagree(string images, string file) =>
        new($"model {Path.Combine(images, file)}: must hold the memory contents {ManifestFile} describes, got different contents");

    private static EncodedLayer ToEncodedLayer(EieConfig config, ManifestLayer layer)
    {
        if (layer.Pes.Length != config.Pes)
            throw new EieInputException($"{ManifestFile}: layer {layer.Name} must have {config.Pes} PEs (config Pes), got {layer.Pes.Length}");
        var slices = layer.Pes.Select(pe =>
        {
            int columns = layer.Inputs + (layer.HasBias ? 1 : 0);
            if (pe.Pointers.Length != columns + 1)
                throw new EieInputException($"{ManifestFile}: layer {layer.Name} PE {pe.Pe} must have {columns + 1} pointers, got {pe.Pointers.Length}");
            if (pe.V.Length != pe.Z.Length)
                throw new EieInputException($"{ManifestFile}: layer {layer.Name} PE {pe.Pe} must have as many v as z values ({pe.V.Length}), got {pe.Z.Length}");
            var entries = new ushort[pe.V.Length];
            for (int e = 0; e < entries.Length; e++)
            {
                if ((uint)pe.V[e] >= 1u << config.IndexBits || (uint)pe.Z[e] >= 1u << config.RunBits)
                    throw new EieInputException(
                        $"{ManifestFile}: layer {layer.Name} PE {pe.Pe} entry {e} must have v < 2^{config.IndexBits} and z < 2^{config.RunBits}, got v={pe.V[e]} z={pe.Z[e]}");
                entries[e] = (ushort)((pe.Z[e] << config.IndexBits) | pe.V[e]);
            }
            return new PeSlice(pe.Pe, pe.LocalRows, pe.Pointers, entries);
        }).ToArray();
        return new EncodedLayer
        {
            Name = layer.Name, Inputs = layer.Inputs, Outputs = layer.Outputs, HasBias = layer.HasBias, Relu = layer.Relu,
            Codebook = layer.Codebook.Fixed, CodebookFloat = layer.Codebook.Float, Pes = slices,
        };
    }
}
