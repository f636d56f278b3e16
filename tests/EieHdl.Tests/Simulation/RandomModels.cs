using EieHdl.Arithmetic;
using EieHdl.Compression;
using EieHdl.Config;
using EieHdl.Encoding;

namespace EieHdl.Tests.Simulation;

/// <summary>
/// Random compressed models for the co-simulation tests: dense layers with weights uniform in
/// [-1, 1) and biases in [-0.25, 0.25), pruned to a density by Deep Compression, and inputs
/// whose every third act is zero, so the LNZD has columns to skip.
/// </summary>
internal static class RandomModels
{
    /// <summary>One layer named <paramref name="name"/> from <paramref name="inputs"/> to <paramref name="outputs"/>.</summary>
    public static EncodedLayer Layer(EieConfig config, Random random, string name, int inputs, int outputs, double density, bool relu) =>
        Layer(config, random, name, inputs, outputs, () => density, relu);

    /// <summary>Layer l maps sizes[l] to sizes[l + 1] and is named fc{l}.</summary>
    public static EncodedLayer[] Layers(EieConfig config, Random random, int[] sizes, Func<int, double> density, Func<int, bool> relu) =>
        Enumerable.Range(0, sizes.Length - 1)
            .Select(l => Layer(config, random, $"fc{l}", sizes[l], sizes[l + 1], () => density(l), relu(l)))
            .ToArray();

    /// <summary>Acts j with j % 3 == 1 are zero, the others quantised from uniform [low, high).</summary>
    public static int[] Input(EieConfig config, Random random, int length, double low, double high)
    {
        var fp = new FixedPoint(config);
        return Enumerable.Range(0, length).Select(j => j % 3 == 1 ? 0 : fp.QuantizeActivation(low + random.NextDouble() * (high - low))).ToArray();
    }

    // The density is asked for after the weights and biases are drawn, so that a density drawn
    // from the same generator comes after them in its sequence.
    private static EncodedLayer Layer(EieConfig config, Random random, string name, int inputs, int outputs, Func<double> density, bool relu)
    {
        var w = Enumerable.Range(0, inputs * outputs).Select(_ => (random.NextDouble() - 0.5) * 2).ToArray();
        var b = Enumerable.Range(0, outputs).Select(_ => (random.NextDouble() - 0.5) * 0.5).ToArray();
        return LayerCompressor.Compress(config, name, w, outputs, inputs, b, density(), relu).Layer;
    }
}
