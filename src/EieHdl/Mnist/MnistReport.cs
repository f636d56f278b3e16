using System.Globalization;
using System.Text;
using EieHdl.Compression;
using EieHdl.Config;
using EieHdl.Flows;

namespace EieHdl.Mnist;

/// <summary>
/// One row of the [DC] Table 1 style summary. Sizes in bytes; the dense reference is float32
/// over every weight and bias. Kept counts weights and biases that carry a value; bits per
/// weight is the stage's storage divided by Kept. Pointers are left out, as [DC] does (see
/// <see cref="MnistReport.PointerBytes"/>).
/// </summary>
public sealed record StageRow(
    string Stage, double Accuracy, long Kept, double KeptPercent, double BitsPerWeight,
    long Bytes, double Ratio, long? HuffmanBytes, double? HuffmanRatio, string Storage);

/// <summary>One layer after compression: density and the HuffmanReport of its EIE encoding.</summary>
public sealed record LayerRow(string Name, int Inputs, int Outputs, long Weights, long KeptWeights, double Density, HuffmanReport Storage);

/// <summary>The test images run through the verilated RTL: its accuracy and how often it answered as the golden model.</summary>
public sealed record RtlSummary(int Images, double Accuracy, int EqualToGolden, double CyclesPerImage, double Seconds);

/// <summary>The report of `eiehdl mnist`.</summary>
public sealed record MnistReport(
    int Pes, EieConfig Config, MnistSettings Settings, IReadOnlyList<StageRow> Stages, IReadOnlyList<LayerRow> Layers,
    long PointerBytes, IReadOnlyList<StagePoint> History, double TrainingSeconds, bool TrainingFromCache,
    double GoldenAccuracy, int TestImages, long GoldenOverflows, double GoldenSharedAgreement, double GoldenSeconds)
{
    /// <summary>Set when the images also ran through the RTL (`eiehdl mnist --rtl`).</summary>
    public RtlSummary? Rtl { get; init; }

    public static MnistReport Build(TrainedLeNet trained, CompressedModel model, MnistSet test,
        int[] goldenPredictions, long overflows, double goldenSeconds, MnistSettings settings)
    {
        var config = model.Config;
        var net = trained.Baseline;
        long parameters = net.ParameterCount;
        long denseBytes = parameters * 4;
        var reports = model.HuffmanReports();
        var layers = new List<LayerRow>();
        for (int l = 0; l < model.Layers.Count; l++)
        {
            var c = model.Layers[l];
            layers.Add(new LayerRow(c.Layer.Name, c.Layer.Inputs, c.Layer.Outputs, (long)c.Layer.Inputs * c.Layer.Outputs,
                c.KeptWeights, c.Density, reports[l]));
        }
        long kept = reports.Sum(r => r.KeptWeights);
        long prunedKept = trained.Masks.Sum(DeepCompression.Kept) + trained.Pruned.B.Sum(b => (long)b.Count(x => x != 0));
        long prunedEntries = Enumerable.Range(0, net.LayerCount).Sum(l => DeepCompression.PrunedEntries(config, trained.Pruned, trained.Masks, l));
        long prunedBytes = (prunedEntries * (32 + config.RunBits) + 7) / 8;
        long payload = reports.Sum(r => r.PayloadBytes), huffman = reports.Sum(r => r.HuffmanPayloadBytes);

        StageRow Row(string stage, double accuracy, long keptValues, long bytes, long? huffmanBytes, string storage) => new(
            stage, accuracy, keptValues, 100.0 * keptValues / parameters, 8.0 * bytes / keptValues, bytes, (double)denseBytes / bytes,
            huffmanBytes, huffmanBytes is long h ? (double)denseBytes / h : null, storage);

        string eie = $"EIE entries ({config.IndexBits}-bit v + {config.RunBits}-bit z, padding included) + {config.CodebookSize} x {config.WeightWidth}-bit codebook per layer";
        var stages = new List<StageRow>
        {
            Row("Float baseline", trained.BaselineAccuracy, parameters, denseBytes, null, "dense float32"),
            Row("Pruned + retrained", trained.PrunedAccuracy, prunedKept, prunedBytes, null,
                $"sparse: float32 value + {config.RunBits}-bit z per EIE entry, padding included"),
            Row("+ weight sharing (k-means, before fine-tuning)", trained.SharedUntunedAccuracy, kept, payload, huffman, eie),
            Row("+ trained quantisation (centroids fine-tuned)", trained.SharedAccuracy, kept, payload, huffman, eie),
            Row($"Fixed point, golden model ({config.ActWidth}-bit acts)", Trainer.Accuracy(goldenPredictions, test.Labels), kept, payload, huffman, eie),
        };
        var sharedPredictions = Trainer.Predict(trained.Shared, test);
        double agreement = goldenPredictions.Zip(sharedPredictions, (a, b) => a == b ? 1.0 : 0.0).Average();
        return new MnistReport(config.Pes, config, settings, stages, layers, reports.Sum(r => r.PointerBytes), trained.History,
            trained.TrainingSeconds, trained.FromCache, stages[^1].Accuracy, test.Count, overflows, agreement, goldenSeconds);
    }

    public string ToMarkdown()
    {
        var s = new StringBuilder();
        void Line(FormattableString text) => s.AppendLine(text.ToString(CultureInfo.InvariantCulture));
        Line($"# LeNet-300-100 on MNIST through EieHdl ({Pes} PEs)");
        Line($"");
        Line($"Test set: {TestImages} images. Training: {TrainingSeconds:F0} s{(TrainingFromCache ? " (networks from the cache)" : "")}. Golden model run: {GoldenSeconds:F1} s.");
        Line($"");
        Line($"| Stage | Test accuracy | Error | Values kept | Bits / value | Size (bytes) | Ratio | Size +Huffman | Ratio +Huffman |");
        Line($"|---|---|---|---|---|---|---|---|---|");
        foreach (var r in Stages)
            Line($"| {r.Stage} | {r.Accuracy:P2} | {1 - r.Accuracy:P2} | {r.Kept} ({r.KeptPercent:F2}%) | {r.BitsPerWeight:F2} | {r.Bytes} | {r.Ratio:F1}x | {(r.HuffmanBytes is long h ? h.ToString(CultureInfo.InvariantCulture) : "-")} | {(r.HuffmanRatio is double x ? x.ToString("F1", CultureInfo.InvariantCulture) + "x" : "-")} |");
        Line($"");
        Line($"Sizes leave out the EIE pointer arrays ({PointerBytes} bytes at {Pes} PEs: (columns + 1) x {Config.PtrWidth} bits per PE per layer), as [DC] does; with them the compressed model is {Stages[^1].Bytes + PointerBytes} bytes ({(double)Stages[0].Bytes / (Stages[^1].Bytes + PointerBytes):F1}x).");
        Line($"Golden model vs float shared network: same class for {GoldenSharedAgreement:P2} of the images; accumulator overflows: {GoldenOverflows}.");
        if (Rtl is { } rtl)
            Line($"RTL (verilated eie_top, {Pes} PEs): {rtl.Images} images, accuracy {rtl.Accuracy:P2}, same class as the golden model for {rtl.EqualToGolden} of {rtl.Images}, {rtl.CyclesPerImage:F0} cycles per image ({rtl.Seconds:F0} s of simulation).");
        Line($"");
        Line($"## Layers");
        Line($"");
        Line($"| Layer | Size (in, out) | Weights | Kept | Density | Entries | Padding | v bits (Huffman) | z bits (Huffman) | P+Q bytes | P+Q+H bytes |");
        Line($"|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var l in Layers)
            Line($"| {l.Name} | {l.Inputs}, {l.Outputs} | {l.Weights} | {l.KeptWeights} | {l.Density:P2} | {l.Storage.Entries} | {l.Storage.PaddingEntries} | {l.Storage.VBits} ({l.Storage.HuffmanVBits:F2}) | {l.Storage.ZBits} ({l.Storage.HuffmanZBits:F2}) | {l.Storage.PayloadBytes} | {l.Storage.HuffmanPayloadBytes} |");
        Line($"");
        Line($"## Accuracy versus weights kept");
        Line($"");
        Line($"| Step | Weights kept | Test accuracy |");
        Line($"|---|---|---|");
        foreach (var p in History) Line($"| {p.Stage} | {p.WeightsKept:P2} | {p.Accuracy:P2} |");
        Line($"");
        Line($"## Settings");
        Line($"");
        Line($"- baseline: {Settings.Baseline.Key}; training images: {(Settings.TrainSubset > 0 ? Settings.TrainSubset : 60000)}");
        Line($"- pruning: target densities {string.Join(", ", Settings.Densities.Select(d => d.ToString("0.##%", CultureInfo.InvariantCulture)))} in {Settings.PruneRounds} geometric rounds, retraining {Settings.Retrain.Key}");
        Line($"- weight sharing: {Settings.CodebookSize} values per layer (entry 0 = 0), centroid fine-tuning {Settings.FineTune.Key}");
        Line($"- augmentation: random shifts of up to {Settings.Baseline.MaxShift} pixels (baseline), {Settings.Retrain.MaxShift} (retraining), {Settings.FineTune.MaxShift} (fine-tuning)");
        Line($"- fixed point: acts {Config.ActWidth} bits ({Config.ActFracBits} fraction), codebook {Config.WeightWidth} bits ({Config.WeightFracBits} fraction), accumulator {Config.AccWidth} bits");
        return s.ToString();
    }
}
