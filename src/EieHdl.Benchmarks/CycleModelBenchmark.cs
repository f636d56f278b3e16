using BenchmarkDotNet.Attributes;
using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.CycleModel;
using EieHdl.Flows;
using EieHdl.Workloads;

namespace EieHdl.Benchmarks;

/// <summary>
/// The cycle model on one benchmark layer at 64 PEs (hw/configs/benchmarks-64pe.json), golden
/// values included, the model built once: cycles per second is the layer's cycles over the
/// mean time of <see cref="Run"/> on Alex-7, seed 1.
/// </summary>
[MemoryDiagnoser]
public class CycleModelBenchmark
{
    private EieCycleModel model = null!;
    private int[] inputs = [];

    [Params("alex7")]
    public string Layer { get; set; } = "alex7";

    [GlobalSetup]
    public void Setup()
    {
        var config = new EieConfig { Pes = 64, PtrDepth = 32768, ActRegEntries = 256 };
        var spec = BenchmarkLayers.Get(Layer);
        var layer = SyntheticLayer.Generate(spec, seed: 1);
        var compressed = CompressedModel.Compress(config,
            [new LayerSource(spec.Key, layer.Weights, spec.Outputs, spec.Inputs, layer.Bias, spec.WeightDensity, Relu: true)]);
        model = new EieCycleModel(compressed.Image);
        inputs = layer.QuantisedInputs(new FixedPoint(config));
    }

    [Benchmark]
    public long Run() => model.Run(inputs).Cycles;
}
