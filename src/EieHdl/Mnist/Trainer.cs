using System.Globalization;

namespace EieHdl.Mnist;

/// <summary>
/// Mini-batch SGD with momentum on softmax cross-entropy. The learning rate follows a cosine
/// from <see cref="LearningRate"/> to <see cref="FinalLearningRate"/> over all steps.
/// Weight decay (L2) applies to weights, not biases. With <see cref="MaxShift"/> &gt; 0 each
/// training image is translated, every time it is drawn, by a random (dx, dy) in
/// [-MaxShift, MaxShift]^2 pixels (uncovered pixels are 0): an MLP has no translation
/// invariance of its own, and a shifted digit is still the same digit.
/// </summary>
public sealed record TrainSettings(
    int Epochs, int BatchSize = 100, double LearningRate = 0.05, double FinalLearningRate = 0.0,
    double Momentum = 0.9, double WeightDecay = 5e-5, int Seed = 1, int MaxShift = 0)
{
    /// <summary>Canonical text of the settings, for cache keys.</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture,
        $"e{Epochs}-b{BatchSize}-lr{LearningRate:R}-{FinalLearningRate:R}-m{Momentum:R}-wd{WeightDecay:R}-s{Seed}{(MaxShift > 0 ? $"-sh{MaxShift}" : "")}");
}

/// <summary>
/// Weight sharing of an <see cref="Mlp"/>: every weight and bias of layer l holds
/// Codebook[l][index]; index 0 is the value 0 (a pruned weight, or a bias of exactly 0).
/// Index arrays have the network's layouts (weights transposed, inputs x outputs).
/// </summary>
public sealed record SharedWeights(byte[][] WeightIndex, byte[][] BiasIndex, double[][] Codebook)
{
    /// <summary>Writes the codebook values into the network's weights and biases.</summary>
    public void Apply(Mlp net)
    {
        for (int l = 0; l < net.LayerCount; l++)
        {
            var cb = Codebook[l];
            for (int i = 0; i < net.W[l].Length; i++) net.W[l][i] = (float)cb[WeightIndex[l][i]];
            for (int o = 0; o < net.B[l].Length; o++) net.B[l][o] = (float)cb[BiasIndex[l][o]];
        }
    }

    public SharedWeights Copy() => new(
        WeightIndex.Select(a => (byte[])a.Clone()).ToArray(),
        BiasIndex.Select(a => (byte[])a.Clone()).ToArray(),
        Codebook.Select(a => (double[])a.Clone()).ToArray());
}

/// <summary>
/// Trains an <see cref="Mlp"/> on MNIST (pixels scaled to [0, 1]). Deterministic for a seed:
/// the shuffle comes from one seeded generator, and every parallel loop writes disjoint
/// outputs, each summed in a fixed order (see <see cref="Mlp.Forward"/>), so the thread count
/// does not change a single bit. Optional constraints: a pruning mask (1 = kept) that is
/// re-applied after every step, so pruned weights stay 0; or weight sharing, where the
/// gradients of all weights sharing a centroid are summed into it (Deep Compression's
/// trained quantisation) and only the centroids move.
/// </summary>
public static class Trainer
{
    public const int EvaluationBatch = 500;

    /// <summary>Trains in place; <paramref name="onEpoch"/> gets the epoch (1-based) and its mean training loss.</summary>
    public static void Train(Mlp net, MnistSet train, TrainSettings settings,
        byte[][]? masks = null, SharedWeights? shared = null, Action<int, double>? onEpoch = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.BatchSize, 1);
        int layers = net.LayerCount, batch = settings.BatchSize;
        int n = train.Count, pixels = net.Sizes[0];
        if (train.Images.PixelsPerImage != pixels)
            throw new EieInputException($"training set has {train.Images.PixelsPerImage} pixels per image, the network {pixels} inputs");

        var acts = new float[layers + 1][];
        var deltas = new float[layers][];
        for (int l = 0; l <= layers; l++) acts[l] = new float[batch * net.Sizes[l]];
        for (int l = 0; l < layers; l++) deltas[l] = new float[batch * net.Sizes[l + 1]];
        var gradW = net.W.Select(w => new float[w.Length]).ToArray();
        var gradB = net.B.Select(b => new float[b.Length]).ToArray();
        var velocityW = net.W.Select(w => new float[w.Length]).ToArray();
        var velocityB = net.B.Select(b => new float[b.Length]).ToArray();
        var velocityC = shared?.Codebook.Select(c => new double[c.Length]).ToArray();
        if (masks is not null) ApplyMask(net, masks);
        shared?.Apply(net);

        ArgumentOutOfRangeException.ThrowIfNegative(settings.MaxShift);
        var random = new Random(settings.Seed);
        // A generator of its own, so that switching augmentation on leaves the shuffle unchanged.
        var shiftRandom = new Random(unchecked(settings.Seed * 7919 + 104729));
        var shifts = new (int Dx, int Dy)[batch];
        var order = Enumerable.Range(0, n).ToArray();
        int stepsPerEpoch = (n + batch - 1) / batch;
        long totalSteps = (long)stepsPerEpoch * settings.Epochs, step = 0;
        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            random.Shuffle(order);
            double lossSum = 0;
            for (int start = 0; start < n; start += batch)
            {
                int rows = Math.Min(batch, n - start);
                double progress = totalSteps <= 1 ? 0 : (double)step / (totalSteps - 1);
                double lr = settings.FinalLearningRate
                    + 0.5 * (settings.LearningRate - settings.FinalLearningRate) * (1 + Math.Cos(Math.PI * progress));
                step++;

                if (settings.MaxShift > 0)
                {
                    int span = 2 * settings.MaxShift + 1;
                    for (int r = 0; r < rows; r++)
                        shifts[r] = (shiftRandom.Next(span) - settings.MaxShift, shiftRandom.Next(span) - settings.MaxShift);
                    LoadShiftedBatch(train, order.AsSpan(start, rows), shifts, acts[0]);
                }
                else
                    LoadBatch(train, order.AsSpan(start, rows), acts[0]);
                for (int l = 0; l < layers; l++) net.Forward(l, acts[l], acts[l + 1], rows, relu: l < layers - 1);
                lossSum += SoftmaxDelta(acts[layers], deltas[layers - 1], train.Labels, order.AsSpan(start, rows), net.Sizes[layers]);
                Backward(net, acts, deltas, gradW, gradB, rows);

                if (shared is null)
                    Step(net, gradW, gradB, velocityW, velocityB, masks, lr, settings);
                else
                    StepShared(net, shared, gradW, gradB, velocityC!, lr, settings.Momentum);
            }
            onEpoch?.Invoke(epoch, lossSum / n);
        }
    }

    /// <summary>Predicted class of every image, batched forward passes.</summary>
    public static int[] Predict(Mlp net, MnistSet set)
    {
        int layers = net.LayerCount;
        var acts = new float[layers + 1][];
        for (int l = 0; l <= layers; l++) acts[l] = new float[EvaluationBatch * net.Sizes[l]];
        var predictions = new int[set.Count];
        int classes = net.Sizes[^1];
        var index = new int[EvaluationBatch];
        for (int start = 0; start < set.Count; start += EvaluationBatch)
        {
            int rows = Math.Min(EvaluationBatch, set.Count - start);
            for (int r = 0; r < rows; r++) index[r] = start + r;
            LoadBatch(set, index.AsSpan(0, rows), acts[0]);
            for (int l = 0; l < layers; l++) net.Forward(l, acts[l], acts[l + 1], rows, relu: l < layers - 1);
            for (int r = 0; r < rows; r++) predictions[start + r] = Mlp.ArgMax(acts[layers].AsSpan(r * classes, classes));
        }
        return predictions;
    }

    public static double Accuracy(Mlp net, MnistSet set) => Accuracy(Predict(net, set), set.Labels);

    public static double Accuracy(IReadOnlyList<int> predictions, byte[] labels)
    {
        int correct = 0;
        for (int i = 0; i < labels.Length; i++) if (predictions[i] == labels[i]) correct++;
        return labels.Length == 0 ? 0 : (double)correct / labels.Length;
    }

    /// <summary>Sets every weight whose mask byte is 0 to 0.</summary>
    public static void ApplyMask(Mlp net, byte[][] masks)
    {
        for (int l = 0; l < net.LayerCount; l++)
            for (int i = 0; i < net.W[l].Length; i++)
                if (masks[l][i] == 0) net.W[l][i] = 0;
    }

    private static void LoadBatch(MnistSet set, ReadOnlySpan<int> indices, float[] input)
    {
        int pixels = set.Images.PixelsPerImage;
        for (int r = 0; r < indices.Length; r++)
        {
            var image = set.Images.Image(indices[r]);
            var row = input.AsSpan(r * pixels, pixels);
            for (int p = 0; p < pixels; p++) row[p] = image[p] / 255f;
        }
    }

    /// <summary>Like <see cref="LoadBatch"/>, each image moved by its (dx, dy); pixels shifted in from outside are 0.</summary>
    internal static void LoadShiftedBatch(MnistSet set, ReadOnlySpan<int> indices, ReadOnlySpan<(int Dx, int Dy)> shifts, float[] input)
    {
        int height = set.Images.Rows, width = set.Images.Columns, pixels = height * width;
        for (int r = 0; r < indices.Length; r++)
        {
            var image = set.Images.Image(indices[r]);
            var row = input.AsSpan(r * pixels, pixels);
            row.Clear();
            var (dx, dy) = shifts[r];
            int x0 = Math.Max(0, dx), x1 = Math.Min(width, width + dx);
            for (int y = Math.Max(0, dy); y < Math.Min(height, height + dy); y++)
            {
                int source = (y - dy) * width - dx, target = y * width;
                for (int x = x0; x < x1; x++) row[target + x] = image[source + x] / 255f;
            }
        }
    }

    /// <summary>Softmax of the logits; writes (p - onehot) / rows into delta; returns the summed loss.</summary>
    private static double SoftmaxDelta(float[] logits, float[] delta, byte[] labels, ReadOnlySpan<int> indices, int classes)
    {
        double loss = 0;
        float scale = 1f / indices.Length;
        for (int r = 0; r < indices.Length; r++)
        {
            var z = logits.AsSpan(r * classes, classes);
            var d = delta.AsSpan(r * classes, classes);
            float max = z[0];
            for (int k = 1; k < classes; k++) max = MathF.Max(max, z[k]);
            double sum = 0;
            for (int k = 0; k < classes; k++) sum += Math.Exp(z[k] - max);
            int label = labels[indices[r]];
            for (int k = 0; k < classes; k++)
            {
                double p = Math.Exp(z[k] - max) / sum;
                d[k] = (float)(p - (k == label ? 1 : 0)) * scale;
            }
            loss += -(z[label] - max - Math.Log(sum));
        }
        return loss;
    }

    private static void Backward(Mlp net, float[][] acts, float[][] deltas, float[][] gradW, float[][] gradB, int rows)
    {
        for (int l = net.LayerCount - 1; l >= 0; l--)
        {
            int inputs = net.Inputs(l), outputs = net.Outputs(l);
            float[] input = acts[l], delta = deltas[l], gw = gradW[l], w = net.W[l];
            // dW[i, :] = sum over rows b (in order) of input[b, i] * delta[b, :]; one input per iteration.
            Parallel.For(0, inputs, Kernels.Options, i =>
            {
                var g = gw.AsSpan(i * outputs, outputs);
                g.Clear();
                for (int b = 0; b < rows; b++)
                {
                    float x = input[b * inputs + i];
                    if (x != 0) Kernels.Axpy(x, delta.AsSpan(b * outputs, outputs), g);
                }
            });
            var gb = gradB[l].AsSpan();
            gb.Clear();
            for (int b = 0; b < rows; b++) Kernels.Axpy(1f, delta.AsSpan(b * outputs, outputs), gb);
            if (l == 0) continue;
            // delta of the layer below: W[i, :] . delta[b, :], zero where ReLU was off (input 0).
            float[] below = deltas[l - 1];
            Parallel.For(0, rows, Kernels.Options, b =>
            {
                var d = delta.AsSpan(b * outputs, outputs);
                for (int i = 0; i < inputs; i++)
                    below[b * inputs + i] = input[b * inputs + i] > 0 ? Kernels.Dot(w.AsSpan(i * outputs, outputs), d) : 0;
            });
        }
    }

    private static void Step(Mlp net, float[][] gradW, float[][] gradB, float[][] velocityW, float[][] velocityB,
        byte[][]? masks, double lr, TrainSettings settings)
    {
        float rate = (float)lr, mu = (float)settings.Momentum, decay = (float)settings.WeightDecay;
        Parallel.For(0, net.LayerCount, Kernels.Options, l =>
        {
            float[] w = net.W[l], g = gradW[l], v = velocityW[l];
            byte[]? mask = masks?[l];
            for (int i = 0; i < w.Length; i++)
            {
                if (mask is not null && mask[i] == 0) { w[i] = 0; v[i] = 0; continue; }
                v[i] = mu * v[i] + g[i] + decay * w[i];
                w[i] -= rate * v[i];
            }
            float[] bias = net.B[l], gb = gradB[l], vb = velocityB[l];
            for (int o = 0; o < bias.Length; o++)
            {
                vb[o] = mu * vb[o] + gb[o];
                bias[o] -= rate * vb[o];
            }
        });
    }

    /// <summary>Trained quantisation: each centroid moves by the sum of its weights' gradients; entry 0 stays 0.</summary>
    private static void StepShared(Mlp net, SharedWeights shared, float[][] gradW, float[][] gradB,
        double[][] velocityC, double lr, double mu)
    {
        Parallel.For(0, net.LayerCount, Kernels.Options, l =>
        {
            var cb = shared.Codebook[l];
            var g = new double[cb.Length];
            byte[] wi = shared.WeightIndex[l], bi = shared.BiasIndex[l];
            float[] gw = gradW[l], gb = gradB[l];
            for (int i = 0; i < wi.Length; i++) g[wi[i]] += gw[i];
            for (int o = 0; o < bi.Length; o++) g[bi[o]] += gb[o];
            var v = velocityC[l];
            for (int c = 1; c < cb.Length; c++)
            {
                v[c] = mu * v[c] + g[c];
                cb[c] -= lr * v[c];
            }
        });
        shared.Apply(net);
    }
}
