using EieHdl.Arithmetic;
using EieHdl.Compression;

namespace EieHdl.Workloads;

/// <summary>
/// A synthetic stand-in for one of EIE's benchmark layers: the paper's shape, weight density
/// and act density, with weights drawn to look like a trained, magnitude-pruned FC layer.
/// These are NOT the trained AlexNet, VGG or NeuralTalk weights (which are not available
/// here); they reproduce the statistics that set EIE's cycle counts, not its accuracy.
/// <para>
/// Before pruning W_ij = g_ij r_i c_j with g Gaussian (std sqrt(2 / inputs), He init) and r_i,
/// c_j log-normal row and column scales (sigma 0.1 and 0.3). Keeping the largest magnitudes then
/// gives rows and columns uneven densities, as trained layers have; the uneven rows are what
/// makes some PEs busier than others. Acts are exactly round(ActDensity x inputs) non-zeros at
/// random positions: half-normal (post-ReLU) for the sparse layers, tanh of a Gaussian
/// (signed, in (-1, 1), like LSTM states and embeddings) for the dense NeuralTalk layers.
/// With the default Q7.8 acts, Q3.12 weights and 32-bit accumulator (20 fraction bits)
/// neither weights, outputs nor sums come near saturating or wrapping.
/// </para>
/// </summary>
/// <param name="Weights">Pruned float weights, row-major Outputs x Inputs; exactly KeptWeights are non-zero.</param>
/// <param name="Bias">One per output.</param>
/// <param name="Inputs">Float acts, exactly ActiveInputs non-zero.</param>
public sealed record SyntheticLayer(BenchmarkLayer Spec, ulong Seed, double[] Weights, double[] Bias, double[] Inputs)
{
    /// <summary>Smallest non-zero act magnitude, so acts stay non-zero in formats with few fraction bits.</summary>
    public const double MinActMagnitude = 1.0 / 64;

    /// <summary>Largest post-ReLU act, far inside even a Q3.4 act's range.</summary>
    public const double MaxActMagnitude = 4.0;

    // Row scales set how uneven the PEs' work is. Sigma 0.1 gives Alex-7 at 64 PEs a busiest PE about
    // 7% above the mean, close to EIE's actual/theoretical ratio (12.2 / 11.7 us); the
    // column scales only decide which columns are dense and may vary more.
    private const double RowScaleSigma = 0.1, ColumnScaleSigma = 0.3;
    private const double BiasStd = 0.01;
    private const ulong RowScaleStream = 1, ColumnScaleStream = 2, WeightStream = 3, BiasStream = 4, InputStream = 5;

    public static SyntheticLayer Generate(BenchmarkLayer spec, ulong seed)
    {
        int inputs = spec.Inputs, outputs = spec.Outputs;
        var rowScale = LogNormals(DeterministicRandom.ForStream(seed, RowScaleStream), outputs, RowScaleSigma);
        var columnScale = LogNormals(DeterministicRandom.ForStream(seed, ColumnScaleStream), inputs, ColumnScaleSigma);

        var weights = new double[(long)inputs * outputs];
        var weightRandom = DeterministicRandom.ForStream(seed, WeightStream);
        double std = Math.Sqrt(2.0 / inputs);
        for (int i = 0; i < outputs; i++)
        {
            var row = weights.AsSpan(i * inputs, inputs);
            double r = std * rowScale[i];
            for (int j = 0; j < inputs; j++) row[j] = weightRandom.NextGaussian() * r * columnScale[j];
        }
        bool[] kept = MagnitudePruner.Prune(spec.Name, weights, inputs, spec.WeightDensity);
        for (long k = 0; k < weights.LongLength; k++)
            if (!kept[k]) weights[k] = 0;

        var biasRandom = DeterministicRandom.ForStream(seed, BiasStream);
        var bias = new double[outputs];
        for (int i = 0; i < outputs; i++) bias[i] = BiasStd * biasRandom.NextGaussian();

        return new SyntheticLayer(spec, seed, weights, bias, Acts(spec, DeterministicRandom.ForStream(seed, InputStream)));
    }

    /// <summary>Weights with the bias appended as the last column: Outputs x (Inputs + 1), as the encoder and float reference take them.</summary>
    public double[] WeightsWithBias()
    {
        int inputs = Spec.Inputs, columns = inputs + 1;
        var result = new double[(long)Spec.Outputs * columns];
        for (int i = 0; i < Spec.Outputs; i++)
        {
            Weights.AsSpan(i * inputs, inputs).CopyTo(result.AsSpan(i * columns, inputs));
            result[i * columns + inputs] = Bias[i];
        }
        return result;
    }

    /// <summary>
    /// The acts in fixed point. A non-zero act that would round to 0 becomes one LSB of its
    /// sign, so the quantised vector has exactly ActiveInputs non-zeros in any act format.
    /// </summary>
    public int[] QuantisedInputs(FixedPoint fp)
    {
        var result = new int[Inputs.Length];
        for (int j = 0; j < Inputs.Length; j++)
        {
            int q = fp.QuantizeActivation(Inputs[j]);
            result[j] = q == 0 && Inputs[j] != 0 ? Math.Sign(Inputs[j]) : q;
        }
        return result;
    }

    private static double[] LogNormals(DeterministicRandom random, int count, double sigma)
    {
        var result = new double[count];
        for (int k = 0; k < count; k++) result[k] = PortableMath.Exp(sigma * random.NextGaussian());
        return result;
    }

    private static double[] Acts(BenchmarkLayer spec, DeterministicRandom random)
    {
        int n = spec.Inputs, active = spec.ActiveInputs;
        var positions = new int[n];
        for (int j = 0; j < n; j++) positions[j] = j;
        // Partial Fisher-Yates: the first `active` slots become a uniform random subset.
        for (int k = 0; k < active; k++)
        {
            int pick = k + random.NextInt(n - k);
            (positions[k], positions[pick]) = (positions[pick], positions[k]);
        }
        bool signed = spec.ActDensity >= 1.0;
        var acts = new double[n];
        for (int k = 0; k < active; k++)
        {
            double g = random.NextGaussian();
            double value = signed ? PortableMath.Tanh(g) : Math.Min(Math.Abs(g), MaxActMagnitude);
            if (Math.Abs(value) < MinActMagnitude) value = value < 0 ? -MinActMagnitude : MinActMagnitude;
            acts[positions[k]] = value;
        }
        return acts;
    }
}
