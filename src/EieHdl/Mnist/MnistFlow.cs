using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.Flows;
using EieHdl.Golden;

namespace EieHdl.Mnist;

/// <summary>
/// Settings of the whole LeNet-300-100 flow. Pruning runs <see cref="PruneRounds"/> rounds;
/// round r prunes every layer to density^(r / rounds) of its weights (geometric steps to the
/// target) and retrains with the masks fixed. Weight sharing then fits CodebookSize values per
/// layer and fine-tunes the centroids.
/// </summary>
public sealed record MnistSettings(
    TrainSettings Baseline, double[] Densities, int PruneRounds, TrainSettings Retrain, TrainSettings FineTune,
    int TrainSubset = 0, int CodebookSize = 16)
{
    /// <summary>
    /// The settings `eiehdl mnist` runs. Chosen on a validation split (trained on the first
    /// 55,000 training images, measured on the last 5,000; see <see cref="MnistFlow.HoldOut"/>),
    /// never on the test set: shifts of up to 2 pixels in every stage, 40 baseline epochs, five
    /// pruning rounds of 8 epochs, and 6 epochs of centroid fine-tuning at 2e-4. The densities
    /// move a little of [DC]'s budget (8%, 9%, 26%) from ip1 to the small layers (7.5%, 12%,
    /// 40%), 8.13% of the weights overall instead of 8.18%.
    /// </summary>
    public static MnistSettings Default { get; } = new(
        new TrainSettings(Epochs: 40, BatchSize: 100, LearningRate: 0.05, WeightDecay: 2e-4, Seed: 1, MaxShift: 2),
        [0.075, 0.12, 0.40], PruneRounds: 5,
        new TrainSettings(Epochs: 8, BatchSize: 100, LearningRate: 0.02, WeightDecay: 1e-4, Seed: 2, MaxShift: 2),
        new TrainSettings(Epochs: 6, BatchSize: 100, LearningRate: 2e-4, WeightDecay: 0, Seed: 3, MaxShift: 2));

    /// <summary>
    /// A smoke-test flow: 5,000 training images, one epoch per stage. Without augmentation:
    /// shifted images slow early learning, and one epoch is all this flow has.
    /// </summary>
    public static MnistSettings Quick { get; } = Default with
    {
        Baseline = Default.Baseline with { Epochs = 1, MaxShift = 0 },
        PruneRounds = 1,
        Retrain = Default.Retrain with { Epochs = 1, LearningRate = 0.05, MaxShift = 0 },
        FineTune = Default.FineTune with { Epochs = 1, MaxShift = 0 },
        TrainSubset = 5000,
    };

    public string BaselineKey => $"lenet300100-n{TrainSubset}-{Baseline.Key}";

    public string PrunedKey => string.Create(CultureInfo.InvariantCulture,
        $"{BaselineKey}-d{string.Join('_', Densities.Select(d => d.ToString("R", CultureInfo.InvariantCulture)))}-r{PruneRounds}-{Retrain.Key}");

    public string Key => $"{PrunedKey}-k{CodebookSize}-{FineTune.Key}";

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..16];
}

/// <summary>One point of accuracy versus weights kept (fraction of the 266,200 weights).</summary>
public sealed record StagePoint(string Stage, double WeightsKept, double Accuracy);

/// <summary>The trained networks of every stage, float.</summary>
public sealed record TrainedLeNet(
    Mlp Baseline, Mlp Pruned, byte[][] Masks, Mlp Shared, SharedWeights Sharing,
    double BaselineAccuracy, double PrunedAccuracy, double SharedUntunedAccuracy, double SharedAccuracy,
    IReadOnlyList<StagePoint> History, double TrainingSeconds, bool FromCache);

/// <summary>
/// LeNet-300-100 on MNIST end to end: train in float, Deep-Compress (prune + retrain, share +
/// fine-tune), encode for EIE, and run the fixed-point golden model over the test set.
/// Trained networks are cached in the MNIST cache folder under a hash of the settings.
/// Callers that drive the RTL use <see cref="Compress"/> (the <see cref="CompressedModel"/> and
/// its ModelImage), <see cref="QuantizeInputs"/> (the acts fed to the chip) and
/// <see cref="GoldenPredictions"/> (what the chip must answer).
/// </summary>
public static class MnistFlow
{
    public static TrainedLeNet Train(MnistSet train, MnistSet test, MnistSettings settings, string? cacheFolder, Action<string>? log = null)
    {
        log ??= _ => { };
        if (settings.TrainSubset > 0) train = train.Take(settings.TrainSubset);
        string? fullPath = cacheFolder is null ? null : Path.Combine(cacheFolder, $"lenet-flow-{MnistSettings.Hash(settings.Key)}.bin");
        if (fullPath is not null && File.Exists(fullPath) && Load(fullPath, test, log) is { } cached)
        {
            log($"trained networks from cache {fullPath}");
            return cached;
        }

        var watch = Stopwatch.StartNew();
        double cachedSeconds = 0;
        var history = new List<StagePoint>();
        long total = Mlp.LeNet300100.Zip(Mlp.LeNet300100.Skip(1), (a, b) => (long)a * b).Sum();

        string? basePath = cacheFolder is null ? null : Path.Combine(cacheFolder, $"lenet-baseline-{MnistSettings.Hash(settings.BaselineKey)}.bin");
        Mlp baseline;
        if (basePath is not null && File.Exists(basePath) && LoadBaseline(basePath, log) is { } cachedBaseline)
        {
            (baseline, cachedSeconds) = cachedBaseline;
            log($"baseline from cache {basePath}");
        }
        else
        {
            baseline = Mlp.Create(Mlp.LeNet300100, settings.Baseline.Seed);
            Trainer.Train(baseline, train, settings.Baseline,
                onEpoch: (e, loss) => log(string.Create(CultureInfo.InvariantCulture, $"baseline epoch {e}/{settings.Baseline.Epochs}: loss {loss:F4}, {watch.Elapsed.TotalSeconds:F0} s")));
            if (basePath is not null) SaveBaseline(basePath, baseline, watch.Elapsed.TotalSeconds);
        }
        double baselineAccuracy = Trainer.Accuracy(baseline, test);
        history.Add(new StagePoint("baseline", 1.0, baselineAccuracy));
        log($"baseline accuracy {baselineAccuracy:P2}");

        // Pruning is the longest stage; caching it lets weight-sharing settings change without retraining.
        string? prunedPath = cacheFolder is null ? null : Path.Combine(cacheFolder, $"lenet-pruned-{MnistSettings.Hash(settings.PrunedKey)}.bin");
        Mlp pruned;
        byte[][] masks = [];
        if (prunedPath is not null && File.Exists(prunedPath) && LoadPruned(prunedPath, log) is { } cachedPruned)
        {
            (pruned, masks, var prunedHistory, double seconds) = cachedPruned;
            history.AddRange(prunedHistory);
            cachedSeconds += seconds;
            log($"pruned network from cache {prunedPath}");
        }
        else
        {
            double start = watch.Elapsed.TotalSeconds;
            pruned = baseline.Clone();
            for (int r = 1; r <= settings.PruneRounds; r++)
            {
                var densities = settings.Densities.Select(d => Math.Pow(d, (double)r / settings.PruneRounds)).ToArray();
                masks = DeepCompression.Prune(pruned, densities);
                double kept = masks.Sum(DeepCompression.Kept) / (double)total;
                history.Add(new StagePoint($"pruned round {r}", kept, Trainer.Accuracy(pruned, test)));
                Trainer.Train(pruned, train, settings.Retrain with { Seed = settings.Retrain.Seed + r }, masks);
                history.Add(new StagePoint($"retrained round {r}", kept, Trainer.Accuracy(pruned, test)));
                log(string.Create(CultureInfo.InvariantCulture,
                    $"pruning round {r}: {kept:P2} kept, {history[^2].Accuracy:P2} -> {history[^1].Accuracy:P2} after retraining, {watch.Elapsed.TotalSeconds:F0} s"));
            }
            if (prunedPath is not null) SavePruned(prunedPath, pruned, masks, history.Skip(1).ToArray(), watch.Elapsed.TotalSeconds - start);
        }
        double prunedAccuracy = history[^1].Accuracy;

        var shared = pruned.Clone();
        var sharing = DeepCompression.Share(shared, masks, settings.CodebookSize);
        double untuned = Trainer.Accuracy(shared, test);
        double keptFraction = masks.Sum(DeepCompression.Kept) / (double)total;
        history.Add(new StagePoint("shared", keptFraction, untuned));
        Trainer.Train(shared, train, settings.FineTune, masks, sharing);
        double sharedAccuracy = Trainer.Accuracy(shared, test);
        history.Add(new StagePoint("fine-tuned", keptFraction, sharedAccuracy));
        log($"weight sharing: {untuned:P2} -> {sharedAccuracy:P2} after centroid fine-tuning");

        var result = new TrainedLeNet(baseline, pruned, masks, shared, sharing, baselineAccuracy, prunedAccuracy, untuned,
            sharedAccuracy, history, cachedSeconds + watch.Elapsed.TotalSeconds, false);
        if (fullPath is not null) SaveFlow(fullPath, result);
        return result;
    }

    /// <summary>
    /// Splits off the last <paramref name="count"/> images of a training set as a validation
    /// set, so that settings can be chosen without looking at the test set.
    /// </summary>
    public static (MnistSet Train, MnistSet Validation) HoldOut(MnistSet train, int count)
    {
        if (count < 1 || count >= train.Count)
            throw new EieInputException($"validation images: must be in [1, {train.Count - 1}], got {count}");
        var images = train.Images;
        int kept = train.Count - count, pixels = images.PixelsPerImage;
        MnistSet Slice(int start, int n) => new(
            images with { Count = n, Pixels = images.Pixels.AsSpan(start * pixels, n * pixels).ToArray() },
            train.Labels.AsSpan(start, n).ToArray());
        return (Slice(0, kept), Slice(kept, count));
    }

    /// <summary>Images in MNIST's test set.</summary>
    public const int TestImages = 10_000;

    /// <summary>
    /// Refuses a config that cannot hold the encoded LeNet-300-100 of <paramref name="settings"/>,
    /// before any download or training: its codebook size, layer count, pointer memory and the
    /// act memories <see cref="ConfigFor"/> raises. Spmat capacity depends on the trained
    /// weights and is checked when the model is laid out.
    /// </summary>
    public static void CheckConfig(EieConfig config, MnistSettings settings, string source)
    {
        var sizes = Mlp.LeNet300100;
        int layers = sizes.Length - 1;
        if (config.CodebookSize != settings.CodebookSize)
            throw new EieInputException($"{source}: CodebookSize must be {settings.CodebookSize} for mnist (the weight sharing's cluster count), got {config.CodebookSize}");
        if (config.MaxLayers < layers)
            throw new EieInputException($"{source}: MaxLayers must be at least {layers} for LeNet-300-100, got {config.MaxLayers}");
        // Each layer's inputs, its bias column and the end pointer.
        int pointers = sizes.Take(layers).Sum(inputs => inputs + 2);
        if (config.PtrDepth < pointers)
            throw new EieInputException($"{source}: PtrDepth must be at least {pointers} for LeNet-300-100's pointers, got {config.PtrDepth}");
        ConfigFor(config, sizes);
    }

    /// <summary>
    /// A config that holds LeNet at the given PE count: ActSramDepth and ActRegEntries are
    /// raised (to powers of two) when fewer PEs need more acts per PE than the defaults hold.
    /// </summary>
    public static EieConfig ConfigFor(EieConfig config, IReadOnlyList<int> sizes)
    {
        int perPe = (sizes.Max() + config.Pes - 1) / config.Pes;
        int outputsPerPe = (sizes.Skip(1).Max() + config.Pes - 1) / config.Pes;
        return (config with
        {
            ActSramDepth = Math.Max(config.ActSramDepth, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(2 * perPe))),
            ActRegEntries = Math.Max(config.ActRegEntries, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)outputsPerPe)),
        }).Validate();
    }

    /// <summary>The EIE model of the fine-tuned shared network.</summary>
    public static CompressedModel Compress(EieConfig config, TrainedLeNet trained) =>
        DeepCompression.Encode(ConfigFor(config, trained.Shared.Sizes), trained.Shared, trained.Sharing);

    /// <summary>Each image as acts: pixel / 255 rounded to the act format (rule A1).</summary>
    public static int[][] QuantizeInputs(EieConfig config, MnistSet set)
    {
        var fp = new FixedPoint(config);
        var table = Enumerable.Range(0, 256).Select(p => fp.QuantizeActivation(p / 255.0)).ToArray();
        var inputs = new int[set.Count][];
        for (int n = 0; n < set.Count; n++)
        {
            var image = set.Images.Image(n);
            var acts = new int[image.Length];
            for (int p = 0; p < image.Length; p++) acts[p] = table[image[p]];
            inputs[n] = acts;
        }
        return inputs;
    }

    /// <summary>Golden-model class of each input (argmax of the last layer's outputs, first on a tie), and the accumulator overflows seen.</summary>
    public static int[] GoldenPredictions(CompressedModel model, IReadOnlyList<int[]> inputs, out long overflows)
    {
        var golden = new GoldenModel(model.Image);
        var predictions = new int[inputs.Count];
        long wrapped = 0;
        Parallel.For(0, inputs.Count, Kernels.Options, n =>
        {
            var runs = golden.RunChainLayers(inputs[n]);
            int o = runs.Sum(r => r.Overflows);
            if (o != 0) Interlocked.Add(ref wrapped, o);
            predictions[n] = Mlp.ArgMax(runs[^1].Outputs);
        });
        overflows = wrapped;
        return predictions;
    }

    // v2 ends every file with the SHA-256 of what precedes it, so a garbled file is found
    // before any of it is parsed.
    private const string CacheMagic = "EieHdl.Mnist.Cache.v2";
    private const int DigestBytes = 32;

    private static void Save(string path, Action<BinaryWriter> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(CacheMagic);
            write(writer);
        }
        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        using (var stream = File.Create(temporary))
        {
            payload.Position = 0;
            payload.CopyTo(stream);
            stream.Write(SHA256.HashData(payload.GetBuffer().AsSpan(0, (int)payload.Length)));
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Reads a cache file; null (after deleting the file and saying why) when it is not one this
    /// version wrote whole: an older format, a cut-off or garbled file. The caller rebuilds it.
    /// </summary>
    private static T? Read<T>(string path, Func<BinaryReader, T> read, Action<string> log) where T : class
    {
        string? problem;
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            int body = bytes.Length - DigestBytes;
            if (body <= 0 || !SHA256.HashData(bytes.AsSpan(0, body)).AsSpan().SequenceEqual(bytes.AsSpan(body)))
                problem = "its checksum does not match";
            else
            {
                using var reader = new BinaryReader(new MemoryStream(bytes, 0, body));
                if (reader.ReadString() != CacheMagic) problem = $"it is not a {CacheMagic} file";
                else
                {
                    var value = read(reader);
                    if (reader.BaseStream.Position == body) return value;
                    problem = "it holds more than one cache entry";
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EieInputException($"{path}: cannot read the cache file: {e.Message.ReplaceLineEndings(" ")}");
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or OverflowException or OutOfMemoryException or FormatException)
        {
            problem = $"it does not parse ({e.GetType().Name})";
        }
        log($"cache file {path} is unusable ({problem}); deleting it and rebuilding");
        File.Delete(path);
        return null;
    }

    private static void WriteNet(BinaryWriter w, Mlp net)
    {
        WriteArray(w, net.Sizes, (w, x) => w.Write(x));
        foreach (var layer in net.W) WriteArray(w, layer, (w, x) => w.Write(x));
        foreach (var bias in net.B) WriteArray(w, bias, (w, x) => w.Write(x));
    }

    private static Mlp ReadNet(BinaryReader r)
    {
        var net = new Mlp(ReadArray(r, r => r.ReadInt32()));
        for (int l = 0; l < net.LayerCount; l++) ReadArray(r, r => r.ReadSingle()).CopyTo(net.W[l], 0);
        for (int l = 0; l < net.LayerCount; l++) ReadArray(r, r => r.ReadSingle()).CopyTo(net.B[l], 0);
        return net;
    }

    private static void WriteArray<T>(BinaryWriter w, T[] values, Action<BinaryWriter, T> write)
    {
        w.Write(values.Length);
        foreach (var v in values) write(w, v);
    }

    private static T[] ReadArray<T>(BinaryReader r, Func<BinaryReader, T> read)
    {
        var values = new T[r.ReadInt32()];
        for (int i = 0; i < values.Length; i++) values[i] = read(r);
        return values;
    }

    private static void SaveBaseline(string path, Mlp net, double seconds) => Save(path, w => { WriteNet(w, net); w.Write(seconds); });

    private static Tuple<Mlp, double>? LoadBaseline(string path, Action<string> log) => Read(path, r => Tuple.Create(ReadNet(r), r.ReadDouble()), log);

    private static void SavePruned(string path, Mlp net, byte[][] masks, StagePoint[] history, double seconds) => Save(path, w =>
    {
        WriteNet(w, net);
        WriteArray(w, masks, (w, m) => WriteArray(w, m, (w, x) => w.Write(x)));
        WriteArray(w, history, (w, p) => { w.Write(p.Stage); w.Write(p.WeightsKept); w.Write(p.Accuracy); });
        w.Write(seconds);
    });

    private static Tuple<Mlp, byte[][], StagePoint[], double>? LoadPruned(string path, Action<string> log) => Read(path, r => Tuple.Create(
        ReadNet(r),
        ReadArray(r, r => ReadArray(r, r => r.ReadByte())),
        ReadArray(r, r => new StagePoint(r.ReadString(), r.ReadDouble(), r.ReadDouble())),
        r.ReadDouble()), log);

    private static void SaveFlow(string path, TrainedLeNet t) => Save(path, w =>
    {
        WriteNet(w, t.Baseline);
        WriteNet(w, t.Pruned);
        WriteArray(w, t.Masks, (w, m) => WriteArray(w, m, (w, x) => w.Write(x)));
        WriteArray(w, t.Sharing.WeightIndex, (w, m) => WriteArray(w, m, (w, x) => w.Write(x)));
        WriteArray(w, t.Sharing.BiasIndex, (w, m) => WriteArray(w, m, (w, x) => w.Write(x)));
        WriteArray(w, t.Sharing.Codebook, (w, m) => WriteArray(w, m, (w, x) => w.Write(x)));
        w.Write(t.BaselineAccuracy);
        w.Write(t.PrunedAccuracy);
        w.Write(t.SharedUntunedAccuracy);
        WriteArray(w, t.History.ToArray(), (w, p) => { w.Write(p.Stage); w.Write(p.WeightsKept); w.Write(p.Accuracy); });
        w.Write(t.TrainingSeconds);
    });

    private static TrainedLeNet? Load(string path, MnistSet test, Action<string> log)
    {
        var t = Read(path, r =>
        {
            var baseline = ReadNet(r);
            var pruned = ReadNet(r);
            var masks = ReadArray(r, r => ReadArray(r, r => r.ReadByte()));
            var sharing = new SharedWeights(
                ReadArray(r, r => ReadArray(r, r => r.ReadByte())),
                ReadArray(r, r => ReadArray(r, r => r.ReadByte())),
                ReadArray(r, r => ReadArray(r, r => r.ReadDouble())));
            double baseAccuracy = r.ReadDouble(), prunedAccuracy = r.ReadDouble(), untuned = r.ReadDouble();
            var history = ReadArray(r, r => new StagePoint(r.ReadString(), r.ReadDouble(), r.ReadDouble()));
            double seconds = r.ReadDouble();
            var shared = new Mlp(pruned.Sizes);
            sharing.Apply(shared);
            return new TrainedLeNet(baseline, pruned, masks, shared, sharing, baseAccuracy, prunedAccuracy, untuned, 0, history, seconds, true);
        }, log);
        return t is null ? null : t with { SharedAccuracy = Trainer.Accuracy(t.Shared, test) };
    }
}
