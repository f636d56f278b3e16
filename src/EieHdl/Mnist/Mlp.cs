using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EieHdl.Mnist;

/// <summary>
/// A float multi-layer perceptron (ReLU between layers, logits out). Layer l's weights are
/// stored transposed, W[l][i * outputs + o] (inputs x outputs, row-major), so that a forward
/// step is one vector axpy per non-zero input and the weight gradient one axpy per non-zero
/// input and batch row; <see cref="WeightsRowMajor"/> gives the outputs x inputs layout of
/// the compression API.
/// </summary>
public sealed class Mlp
{
    public Mlp(int[] sizes)
    {
        if (sizes.Length < 2 || sizes.Any(s => s < 1))
            throw new ArgumentException("an MLP needs at least two layer sizes, all positive", nameof(sizes));
        Sizes = (int[])sizes.Clone();
        W = new float[LayerCount][];
        B = new float[LayerCount][];
        for (int l = 0; l < LayerCount; l++)
        {
            W[l] = new float[sizes[l] * sizes[l + 1]];
            B[l] = new float[sizes[l + 1]];
        }
    }

    public static readonly int[] LeNet300100 = [784, 300, 100, 10];

    public int[] Sizes { get; }
    public int LayerCount => Sizes.Length - 1;
    public int Inputs(int l) => Sizes[l];
    public int Outputs(int l) => Sizes[l + 1];

    /// <summary>Weights of layer l, inputs x outputs row-major (transposed).</summary>
    public float[][] W { get; }

    public float[][] B { get; }

    public long WeightCount => Enumerable.Range(0, LayerCount).Sum(l => (long)W[l].Length);
    public long ParameterCount => WeightCount + B.Sum(b => (long)b.Length);

    /// <summary>He-uniform initialisation, U(-sqrt(6 / fan_in), +sqrt(6 / fan_in)), biases 0, from one seeded generator.</summary>
    public static Mlp Create(int[] sizes, int seed)
    {
        var net = new Mlp(sizes);
        var random = new Random(seed);
        for (int l = 0; l < net.LayerCount; l++)
        {
            float limit = MathF.Sqrt(6f / sizes[l]);
            var w = net.W[l];
            for (int i = 0; i < w.Length; i++) w[i] = (float)((random.NextDouble() * 2 - 1) * limit);
        }
        return net;
    }

    public Mlp Clone()
    {
        var copy = new Mlp(Sizes);
        for (int l = 0; l < LayerCount; l++)
        {
            W[l].CopyTo(copy.W[l], 0);
            B[l].CopyTo(copy.B[l], 0);
        }
        return copy;
    }

    /// <summary>Layer l's weights as doubles, outputs x inputs row-major (PyTorch's nn.Linear layout).</summary>
    public double[] WeightsRowMajor(int l)
    {
        int inputs = Inputs(l), outputs = Outputs(l);
        var result = new double[W[l].Length];
        for (int i = 0; i < inputs; i++)
            for (int o = 0; o < outputs; o++)
                result[o * inputs + i] = W[l][i * outputs + o];
        return result;
    }

    /// <summary>
    /// One layer for a batch: output[b, :] = bias + sum over non-zero input[b, i] of input[b, i] * W[i, :],
    /// then ReLU when asked. Rows run in parallel; each row's sum is in input order, so the
    /// result does not depend on the thread count.
    /// </summary>
    public void Forward(int l, float[] input, float[] output, int batch, bool relu)
    {
        int inputs = Inputs(l), outputs = Outputs(l);
        float[] w = W[l], bias = B[l];
        Parallel.For(0, batch, Kernels.Options, b =>
        {
            var o = output.AsSpan(b * outputs, outputs);
            bias.CopyTo(o);
            var x = input.AsSpan(b * inputs, inputs);
            for (int i = 0; i < inputs; i++)
                if (x[i] != 0) Kernels.Axpy(x[i], w.AsSpan(i * outputs, outputs), o);
            if (relu)
                for (int k = 0; k < o.Length; k++)
                    if (o[k] < 0) o[k] = 0;
        });
    }

    /// <summary>Index of the largest logit, the first on a tie.</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int k = 1; k < logits.Length; k++)
            if (logits[k] > logits[best]) best = k;
        return best;
    }

    public static int ArgMax(ReadOnlySpan<int> logits)
    {
        int best = 0;
        for (int k = 1; k < logits.Length; k++)
            if (logits[k] > logits[best]) best = k;
        return best;
    }
}

/// <summary>Vector&lt;float&gt; kernels with a fixed summation order (lane-wise, then lanes in order, then the tail).</summary>
public static class Kernels
{
    /// <summary>Degree of parallelism of every training loop (results do not depend on it).</summary>
    public static ParallelOptions Options { get; set; } = new() { MaxDegreeOfParallelism = Environment.ProcessorCount };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        int n = y.Length, i = 0;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var vy = Vector.LoadUnsafe(ref ry, (nuint)i) + va * Vector.LoadUnsafe(ref rx, (nuint)i);
                vy.StoreUnsafe(ref ry, (nuint)i);
            }
        }
        for (; i < n; i++) Unsafe.Add(ref ry, i) += a * Unsafe.Add(ref rx, i);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int n = x.Length, i = 0;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        float sum = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
                acc += Vector.LoadUnsafe(ref rx, (nuint)i) * Vector.LoadUnsafe(ref ry, (nuint)i);
            for (int k = 0; k < Vector<float>.Count; k++) sum += acc[k];
        }
        for (; i < n; i++) sum += Unsafe.Add(ref rx, i) * Unsafe.Add(ref ry, i);
        return sum;
    }
}
