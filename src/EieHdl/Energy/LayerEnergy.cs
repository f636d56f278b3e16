using EieHdl.Config;
using EieHdl.CycleModel;
using EieHdl.Encoding;
using EieHdl.Flows;
using EieHdl.Workloads;

namespace EieHdl.Energy;

/// <summary>
/// One benchmark layer run once through the cycle model: its cycles and the units' events
/// (<see cref="Activity"/>), and what the compressed layer stores.
/// </summary>
/// <param name="StoredEntries">Spmat entries of the layer over all PEs, padding included.</param>
public sealed record LayerRun(BenchmarkLayer Spec, LayerCycleStats Stats, UnitActivity Activity, long StoredEntries)
{
    public DenseLayer Dense => new(Spec.Inputs, Spec.Outputs);
}

/// <summary>
/// Runs EIE's benchmark layers (synthetic, from a seed) through the cycle model for the energy
/// model, one layer a model, as `bench` does.
/// </summary>
public static class LayerEnergy
{
    /// <summary>Refuses, before any layer is made, layers whose shapes do not fit <paramref name="config"/>.</summary>
    public static void CheckFits(EieConfig config, IEnumerable<BenchmarkLayer> specs)
    {
        foreach (var spec in specs) BenchmarkChain.CheckFits(config, [spec]);
    }

    /// <summary>Compresses the layer for <paramref name="config"/> and returns the model and its input.</summary>
    public static ChainedBenchmark Compress(EieConfig config, BenchmarkLayer spec, ulong seed) =>
        BenchmarkChain.Build(config, [spec], seed);

    public static LayerRun Run(EieConfig config, BenchmarkLayer spec, ulong seed)
    {
        var built = Compress(config, spec, seed);
        return Run(built.Model.Image, built.Input, spec);
    }

    /// <summary>Runs a one-layer <paramref name="image"/> on <paramref name="input"/> through the cycle model.</summary>
    public static LayerRun Run(ModelImage image, int[] input, BenchmarkLayer spec)
    {
        var stats = new EieCycleModel(image).Run(input).Layers.Single();
        return new LayerRun(spec, stats, CycleActivity.FromLayer(stats), image.Pes.Sum(p => (long)p.Entries.Length));
    }

    /// <summary>The same layer with the spmat words of <paramref name="config"/>: the entries are the same, only their packing into words changes.</summary>
    public static ModelImage Repack(CompressedModel model, EieConfig config) =>
        ModelImage.Build(config, model.Layers.Select(l => l.Layer).ToArray());
}
