using EieHdl.Compression;
using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Flows;

namespace EieHdl.Mnist;

/// <summary>
/// Deep Compression's steps on an <see cref="Mlp"/>, built on the project's compression API:
/// magnitude pruning (<see cref="MagnitudePruner"/>), weight sharing (<see cref="KMeansCodebook"/>,
/// entry 0 = 0, the bias sharing the layer's codebook as EIE's bias column does), and the EIE
/// encoding of the shared network (<see cref="LayerCompressor.FromIndices"/>, which keeps the
/// fine-tuned centroids instead of refitting them).
/// </summary>
public static class DeepCompression
{
    public static readonly string[] LayerNames = ["ip1", "ip2", "ip3"];

    public static string LayerName(int l) => l < LayerNames.Length ? LayerNames[l] : $"ip{l + 1}";

    /// <summary>
    /// Keeps the round(density x count) largest-magnitude weights of each layer (ties: lower
    /// index of the network's layout), zeroes the rest, and returns the masks (1 = kept).
    /// Weights already 0 are never kept, so successive prunings nest.
    /// </summary>
    public static byte[][] Prune(Mlp net, IReadOnlyList<double> densities)
    {
        if (densities.Count != net.LayerCount)
            throw new EieInputException($"pruning needs one density per layer ({net.LayerCount}), got {densities.Count}");
        var masks = new byte[net.LayerCount][];
        for (int l = 0; l < net.LayerCount; l++)
        {
            var w = net.W[l];
            var values = new double[w.Length];
            for (int i = 0; i < w.Length; i++) values[i] = w[i];
            bool[] keep = MagnitudePruner.Prune(LayerName(l), values, net.Outputs(l), densities[l]);
            masks[l] = new byte[w.Length];
            for (int i = 0; i < w.Length; i++)
                if (keep[i]) masks[l][i] = 1; else w[i] = 0;
        }
        return masks;
    }

    public static long Kept(byte[] mask) => mask.Count(m => m != 0);

    /// <summary>
    /// Weight sharing: per layer, k-means (linear initialisation over [min, max]) of the kept
    /// weights and non-zero biases into codebookSize - 1 centroids, entry 0 fixed at 0; the
    /// network's weights are replaced by their centroids.
    /// </summary>
    public static SharedWeights Share(Mlp net, byte[][] masks, int codebookSize)
    {
        var weightIndex = new byte[net.LayerCount][];
        var biasIndex = new byte[net.LayerCount][];
        var codebooks = new double[net.LayerCount][];
        for (int l = 0; l < net.LayerCount; l++)
        {
            float[] w = net.W[l], b = net.B[l];
            var values = new List<double>();
            for (int i = 0; i < w.Length; i++) if (masks[l][i] != 0) values.Add(w[i]);
            foreach (float x in b) if (x != 0) values.Add(x);
            var codebook = KMeansCodebook.Fit(values.ToArray(), codebookSize);
            weightIndex[l] = new byte[w.Length];
            biasIndex[l] = new byte[b.Length];
            for (int i = 0; i < w.Length; i++)
                if (masks[l][i] != 0) weightIndex[l][i] = (byte)codebook.IndexOf(w[i]);
            for (int o = 0; o < b.Length; o++)
                if (b[o] != 0) biasIndex[l][o] = (byte)codebook.IndexOf(b[o]);
            codebooks[l] = (double[])codebook.Centroids.Clone();
        }
        var shared = new SharedWeights(weightIndex, biasIndex, codebooks);
        shared.Apply(net);
        return shared;
    }

    /// <summary>
    /// The EIE model of a shared network: each layer's index matrix, outputs x (inputs + 1)
    /// with the bias as the last column, encoded with the layer's codebook. The last layer
    /// has no ReLU (its outputs are the logits for the argmax).
    /// </summary>
    public static CompressedModel Encode(EieConfig config, Mlp net, SharedWeights shared)
    {
        var layers = new CompressedLayer[net.LayerCount];
        for (int l = 0; l < net.LayerCount; l++)
            layers[l] = LayerCompressor.FromIndices(config, LayerName(l), IndexMatrix(net, shared, l),
                net.Outputs(l), net.Inputs(l), hasBias: true, shared.Codebook[l], relu: l < net.LayerCount - 1);
        return new CompressedModel(config, layers, ModelImage.Build(config, layers.Select(c => c.Layer).ToArray()));
    }

    /// <summary>Layer l's codebook indices, outputs x (inputs + 1), bias last.</summary>
    public static byte[] IndexMatrix(Mlp net, SharedWeights shared, int l)
    {
        int inputs = net.Inputs(l), outputs = net.Outputs(l), columns = inputs + 1;
        var indices = new byte[outputs * columns];
        for (int i = 0; i < inputs; i++)
            for (int o = 0; o < outputs; o++)
                indices[o * columns + i] = shared.WeightIndex[l][i * outputs + o];
        for (int o = 0; o < outputs; o++) indices[o * columns + inputs] = shared.BiasIndex[l][o];
        return indices;
    }

    /// <summary>
    /// Spmat entries (padding included) the EIE encoding of a pruned layer would need: the
    /// pruned stage's storage before weight sharing, where each entry would carry a float.
    /// </summary>
    public static long PrunedEntries(EieConfig config, Mlp net, byte[][] masks, int l)
    {
        int inputs = net.Inputs(l), outputs = net.Outputs(l), columns = inputs + 1;
        var indices = new byte[outputs * columns];
        for (int i = 0; i < inputs; i++)
            for (int o = 0; o < outputs; o++)
                indices[o * columns + i] = masks[l][i * outputs + o];
        for (int o = 0; o < outputs; o++) indices[o * columns + inputs] = net.B[l][o] != 0 ? (byte)1 : (byte)0;
        return SpmatEncoder.Encode(config, indices, outputs, columns).Sum(s => (long)s.Entries.Length);
    }
}
