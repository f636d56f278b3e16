using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Flows;

namespace EieHdl.Workloads;

/// <summary>A chain of benchmark layers ready to run.</summary>
/// <param name="Model">The compressed chain.</param>
/// <param name="Input">The first layer's synthetic input in fixed point.</param>
/// <param name="OutputOrder">The last layer's hardware row p is the chain's output OutputOrder[p] (identity unless balanced).</param>
public sealed record ChainedBenchmark(CompressedModel Model, int[] Input, int[] OutputOrder);

/// <summary>
/// Benchmark layers chained into one model that runs on chip from the first input to the last
/// output, e.g. AlexNet FC6 -> FC7 -> FC8: each layer is its synthetic benchmark layer, the input
/// is the first layer's synthetic input, hidden layers apply ReLU and the last does not (logits).
/// The later layers' act densities are whatever the earlier layers produce, not the paper's.
/// </summary>
public static class BenchmarkChain
{
    /// <summary>AlexNet's fully connected layers, FC6 -> FC7 -> FC8.</summary>
    public static IReadOnlyList<BenchmarkLayer> AlexNet { get; } =
        [BenchmarkLayers.Alex6, BenchmarkLayers.Alex7, BenchmarkLayers.Alex8];

    /// <summary>
    /// The compressed chain and its fixed-point input. With <paramref name="balance"/> every
    /// layer's rows are dealt to the PEs by <see cref="RowBalancer.LargestFirst"/> and the next
    /// layer's columns follow, so the chain computes the same function with its last layer's
    /// outputs in <see cref="ChainedBenchmark.OutputOrder"/>.
    /// </summary>
    /// <exception cref="EieInputException">A layer's outputs are not the next layer's inputs.</exception>
    public static ChainedBenchmark Build(EieConfig config, IReadOnlyList<BenchmarkLayer> layers, ulong seed, bool balance = false)
    {
        CheckChain(layers);
        CheckFits(config, layers);
        var synthetic = layers.Select(spec => SyntheticLayer.Generate(spec, seed)).ToArray();
        var sources = synthetic.Select((s, l) => new LayerSource(
            s.Spec.Key, s.Weights, s.Spec.Outputs, s.Spec.Inputs, s.Bias, s.Spec.WeightDensity, Relu: l + 1 < layers.Count)).ToArray();
        var model = CompressedModel.Compress(config, sources, balance);
        return new ChainedBenchmark(model, synthetic[0].QuantisedInputs(new FixedPoint(config)),
            model.OutputOrder ?? Enumerable.Range(0, layers[^1].Outputs).ToArray());
    }

    /// <summary>
    /// Refuses, before any synthetic weights are made, benchmark layers that run together (one
    /// model of <paramref name="layers"/>) whose shapes cannot fit <paramref name="config"/>'s
    /// memories. Every benchmark layer has a bias.
    /// </summary>
    public static void CheckFits(EieConfig config, IReadOnlyList<BenchmarkLayer> layers) =>
        ModelImage.CheckShapes(config, layers.Select(l => new LayerShape(l.Key, l.Inputs, l.Outputs, HasBias: true)).ToArray());

    /// <summary>Refuses an empty chain or one whose layer outputs are not the next layer's inputs.</summary>
    public static void CheckChain(IReadOnlyList<BenchmarkLayer> layers)
    {
        if (layers.Count == 0) throw new EieInputException("--layers: a chain needs at least 1 layer, got 0");
        for (int l = 0; l + 1 < layers.Count; l++)
            if (layers[l].Outputs != layers[l + 1].Inputs)
                throw new EieInputException(
                    $"--layers: {layers[l + 1].Name} must take the {layers[l].Outputs} outputs of {layers[l].Name} as inputs in a chain, got {layers[l + 1].Inputs}");
    }
}
