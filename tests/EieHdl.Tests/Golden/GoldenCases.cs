using CsCheck;
using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Golden;
using EieHdl.Workloads;

namespace EieHdl.Tests.Golden;

/// <summary>A dense layer in codebook-index form together with its encoding.</summary>
public sealed record DenseLayer(int Inputs, int Outputs, bool HasBias, bool Relu, byte[] Indices, int[] Codebook)
{
    public int Columns => Inputs + (HasBias ? 1 : 0);

    public EncodedLayer Encode(EieConfig config, string name) => new()
    {
        Name = name,
        Inputs = Inputs,
        Outputs = Outputs,
        HasBias = HasBias,
        Relu = Relu,
        Codebook = Codebook,
        CodebookFloat = Codebook.Select(w => Math.ScaleB(w, -config.WeightFracBits)).ToArray(),
        Pes = SpmatEncoder.Encode(config, Indices, Outputs, Columns),
    };
}

/// <summary>
/// Random test cases and the plain dense fixed-point computation the golden model must
/// match, written from the arithmetic rules without the golden model's or FixedPoint's code.
/// </summary>
public static class GoldenCases
{
    public static readonly int[] PeCounts = [1, 2, 3, 4, 7, 64];

    /// <summary>Config kinds: default, narrow (wraps at 20 bits), middling, wide (sums beyond 64 bits).</summary>
    public const int ConfigKinds = 4;

    public static EieConfig Config(int kind, int pes) => (kind switch
    {
        0 => new EieConfig(),
        1 => new EieConfig
        {
            ActWidth = 8, ActFracBits = 4, WeightWidth = 8, WeightFracBits = 6, AccWidth = 20, ProductShift = 3,
            IndexBits = 3, RunBits = 2, CodebookSize = 8, SpmatWordBits = 40,
        },
        2 => new EieConfig
        {
            ActWidth = 12, ActFracBits = 6, WeightWidth = 10, WeightFracBits = 8, AccWidth = 24, ProductShift = 5,
            IndexBits = 4, RunBits = 3, CodebookSize = 12, SpmatWordBits = 56,
        },
        _ => new EieConfig { ActWidth = 32, ActFracBits = 8, WeightWidth = 32, WeightFracBits = 12, AccWidth = 62 },
    } with { Pes = pes, ActRegEntries = 1024, ActSramDepth = 2048 }).Validate();   // room for any test layer on 1 PE

    /// <summary>Uniform in [-2^(bits-1), 2^(bits-1) - 1] for a random number of bits up to width, so
    /// cases range from tiny values to full-scale ones that saturate and wrap.</summary>
    private static int Signed(DeterministicRandom random, int maxBits)
    {
        int bits = 1 + random.NextInt(maxBits);
        long span = 1L << bits;
        return (int)((long)(random.NextDouble() * span) - span / 2);
    }

    public static DenseLayer RandomLayer(EieConfig config, DeterministicRandom random, int inputs, int outputs,
        bool hasBias, bool relu, double weightDensity)
    {
        var codebook = new int[config.CodebookSize];
        int weightBits = 1 + random.NextInt(config.WeightWidth);
        for (int v = 1; v < codebook.Length; v++) codebook[v] = Signed(random, weightBits);
        int columns = inputs + (hasBias ? 1 : 0);
        var indices = new byte[outputs * columns];
        for (int k = 0; k < indices.Length; k++)
            if (random.NextDouble() < weightDensity) indices[k] = (byte)(1 + random.NextInt(codebook.Length - 1));
        return new DenseLayer(inputs, outputs, hasBias, relu, indices, codebook);
    }

    /// <summary>A random chain of 1..layerCount layers with sizes up to maxSize, its golden model and an input.</summary>
    public static (DenseLayer[] Layers, GoldenModel Golden, int[] Input) RandomChain(
        EieConfig config, DeterministicRandom random, int layerCount, int maxSize, bool reluLastAlways, double maxDensity)
    {
        var sizes = Enumerable.Range(0, layerCount + 1).Select(_ => 1 + random.NextInt(maxSize)).ToArray();
        var layers = Enumerable.Range(0, layerCount)
            .Select(l => RandomLayer(config, random, sizes[l], sizes[l + 1],
                random.NextInt(2) == 0, reluLastAlways || l < layerCount - 1 || random.NextInt(2) == 0, random.NextDouble() * maxDensity))
            .ToArray();
        var golden = new GoldenModel(ModelImage.Build(config, layers.Select((d, l) => d.Encode(config, $"fc{l}")).ToArray()));
        return (layers, golden, RandomActs(config, random, sizes[0], random.NextDouble()));
    }

    /// <summary>
    /// Checks <paramref name="check"/> on random chains of 1..maxLayers layers over every config
    /// kind and PE count; a failure prints the kind, PE index, layer count and seed that make it.
    /// </summary>
    public static void SampleChains(int maxLayers, int maxSize, bool reluLastAlways, double maxDensity, int iter,
        Action<EieConfig, DenseLayer[], GoldenModel, int[]> check) =>
        Gen.Select(Gen.Int[0, ConfigKinds - 1], Gen.Int[0, PeCounts.Length - 1], Gen.Int[1, maxLayers], Gen.ULong)
            .Sample((kind, peIndex, layerCount, seed) =>
            {
                var config = Config(kind, PeCounts[peIndex]);
                var (layers, golden, input) = RandomChain(config, new DeterministicRandom(seed), layerCount, maxSize, reluLastAlways, maxDensity);
                check(config, layers, golden, input);
            }, iter: iter);

    public static int[] RandomActs(EieConfig config, DeterministicRandom random, int count, double density)
    {
        int actBits = 1 + random.NextInt(config.ActWidth);
        var acts = new int[count];
        for (int j = 0; j < count; j++)
            if (random.NextDouble() < density) acts[j] = Signed(random, actBits);
        return acts;
    }

    /// <summary>Exact products shifted by ProductShift, summed exactly, wrapped at AccWidth, ReLU,
    /// round half up to the act's fraction, saturate. Returns the outputs and how many wrapped.</summary>
    public static (int[] Outputs, int Overflows) Dense(EieConfig c, DenseLayer layer, int[] acts)
    {
        int columns = layer.Columns;
        int shift = c.WeightFracBits - c.ProductShift;
        Int128 half = Int128.One << (c.AccWidth - 1), modulus = half * 2;
        long actMax = (1L << (c.ActWidth - 1)) - 1, actMin = -(1L << (c.ActWidth - 1));
        var outputs = new int[layer.Outputs];
        int overflows = 0;
        for (int i = 0; i < layer.Outputs; i++)
        {
            Int128 sum = 0;
            for (int j = 0; j < columns; j++)
            {
                long a = j < layer.Inputs ? acts[j] : 1L << c.ActFracBits;
                long w = layer.Codebook[layer.Indices[i * columns + j]];
                sum += (a * w) >> c.ProductShift;
            }
            if (sum >= half || sum < -half) overflows++;
            Int128 wrapped = ((sum % modulus) + modulus) % modulus;
            if (wrapped >= half) wrapped -= modulus;
            long acc = (long)wrapped;
            if (layer.Relu && acc < 0) acc = 0;
            long rounded = shift == 0 ? acc : (acc + (1L << (shift - 1))) >> shift;
            outputs[i] = (int)Math.Clamp(rounded, actMin, actMax);
        }
        return (outputs, overflows);
    }
}
