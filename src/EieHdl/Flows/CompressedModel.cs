using EieHdl.Compression;
using EieHdl.Config;
using EieHdl.Encoding;

namespace EieHdl.Flows;

/// <summary>One dense float layer to compress: weights row-major Outputs x Inputs, optional bias.</summary>
public sealed record LayerSource(string Name, double[] Weights, int Outputs, int Inputs, double[]? Bias, double Density, bool Relu);

/// <summary>
/// A chain of layers after Deep Compression (pruning, weight sharing, EIE encoding) laid out
/// in the PE memories: what `eiehdl compress` and `eiehdl workload` produce.
/// </summary>
public sealed record CompressedModel(EieConfig Config, IReadOnlyList<CompressedLayer> Layers, ModelImage Image)
{
    public static CompressedModel Compress(EieConfig config, IReadOnlyList<LayerSource> sources)
    {
        var layers = sources
            .Select(s => LayerCompressor.Compress(config, s.Name, s.Weights, s.Outputs, s.Inputs, s.Bias, s.Density, s.Relu))
            .ToArray();
        return new CompressedModel(config, layers, ModelImage.Build(config, layers.Select(l => l.Layer).ToArray()));
    }

    /// <summary>Writes the model folder's contents (hex images and manifest) into <paramref name="folder"/>.</summary>
    public void Write(string folder)
    {
        string images = Path.Combine(folder, ModelFolder.ImagesFolder);
        Directory.CreateDirectory(images);
        ImageWriter.Write(Image, images);
        Manifest.Write(Path.Combine(folder, ModelFolder.ManifestFile), Image, Layers);
    }

    public IReadOnlyList<HuffmanReport> HuffmanReports() => Layers.Select(l => HuffmanReport.Of(Config, l.Layer)).ToArray();
}
