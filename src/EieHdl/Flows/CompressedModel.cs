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
    /// <summary>
    /// With row balancing: hardware row p of the last layer is model output OutputOrder[p]
    /// (final[OutputOrder[p]] = row p, see <see cref="RowBalancer"/>); null when the rows are
    /// EIE's interleaving, outputs in order.
    /// </summary>
    public int[]? OutputOrder { get; init; }

    /// <param name="balance">Deal each layer's rows to the PEs with <see cref="RowBalancer.LargestFirst"/>,
    /// costed by the entries each row stores after pruning and weight sharing; each hidden layer's
    /// reorder is applied to the next layer's columns, so only the model's outputs are reordered.
    /// Pruning and k-means run on every layer in its original order, so a balanced model stores
    /// the same entries with the same codebooks as the plain one and computes the same outputs.</param>
    public static CompressedModel Compress(EieConfig config, IReadOnlyList<LayerSource> sources, bool balance = false)
    {
        ModelImage.CheckShapes(config, sources.Select(s => new LayerShape(s.Name, s.Inputs, s.Outputs, s.Bias is not null)).ToArray());
        var layers = new CompressedLayer[sources.Count];
        int[]? order = null;
        for (int l = 0; l < sources.Count; l++)
        {
            var s = sources[l];
            var shared = LayerCompressor.Share(config, s.Name, s.Weights, s.Outputs, s.Inputs, s.Bias, s.Density);
            if (balance)
            {
                if (order is not null) shared = shared.PermuteInputs(order);
                order = RowBalancer.LargestFirst(shared.RowEntries(), config.Pes);
                shared = shared.PermuteRows(order);
            }
            layers[l] = shared.Encode(config, s.Relu);
        }
        return new CompressedModel(config, layers, ModelImage.Build(config, layers.Select(l => l.Layer).ToArray())) { OutputOrder = order };
    }

    /// <summary>Writes the model folder's contents (hex images and manifest) into <paramref name="folder"/>.</summary>
    public void Write(string folder)
    {
        string images = Path.Combine(folder, ModelFolder.ImagesFolder);
        Directory.CreateDirectory(images);
        ImageWriter.Write(Image, images);
        Manifest.Write(Path.Combine(folder, ModelFolder.ManifestFile), Image, Layers, OutputOrder);
    }

    public IReadOnlyList<HuffmanReport> HuffmanReports() => Layers.Select(l => HuffmanReport.Of(Config, l.Layer)).ToArray();
}
