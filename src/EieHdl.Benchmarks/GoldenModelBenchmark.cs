using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.Flows;
using EieHdl.Golden;
using EieHdl.Workloads;

namespace EieHdl.Benchmarks;

/// <summary>
/// The golden model on a full benchmark layer at 64 PEs, pinned to one core. The goal for
/// Alex-7 is under 1.28 ms per layer, what EIE's paper measured for MKL sparse on a 6-core
/// CPU. <see cref="RunLayer"/> is the steady state (the model decoded once, as when a test
/// set is run); <see cref="DecodeAndRunLayer"/> includes decoding the memory image.
/// </summary>
[Config(typeof(OneCoreConfig))]
[MemoryDiagnoser]
public class GoldenModelBenchmark
{
    private sealed class OneCoreConfig : ManualConfig
    {
        public OneCoreConfig() => AddJob(Job.Default.WithAffinity(1).WithId("1 core"));
    }

    private GoldenModel golden = null!;
    private CompressedModel model = null!;
    private int[] inputs = [];
    private int[] outputs = [];

    [Params("alex6", "alex7", "alex8")]
    public string Layer { get; set; } = "alex7";

    [GlobalSetup]
    public void Setup()
    {
        var config = new EieConfig();
        var spec = BenchmarkLayers.Get(Layer);
        var layer = SyntheticLayer.Generate(spec, seed: 1);
        model = CompressedModel.Compress(config,
            [new LayerSource(spec.Key, layer.Weights, spec.Outputs, spec.Inputs, layer.Bias, spec.WeightDensity, Relu: true)]);
        golden = new GoldenModel(model.Image);
        inputs = layer.QuantisedInputs(new FixedPoint(config));
        outputs = new int[spec.Outputs];
    }

    [Benchmark]
    public int RunLayer() => golden.RunLayer(0, inputs, outputs);

    [Benchmark]
    public int DecodeAndRunLayer() => new GoldenModel(model.Image).RunLayer(0, inputs, outputs);
}
