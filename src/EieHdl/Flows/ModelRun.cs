using EieHdl.Compression;
using EieHdl.Golden;

namespace EieHdl.Flows;

/// <summary>What one layer of a model did on one input: the golden run, its work and its error.</summary>
public sealed record LayerRunReport(
    string Name, int Inputs, int Outputs, int ActiveColumns, long EntriesInActiveColumns, long PaddingInActiveColumns,
    long IdealCycles, double LoadBalanceEfficiency, int Overflows, ErrorReport VsQuantisedFloat, ErrorReport? VsOriginalFloat);

/// <summary>The storage side of one compressed layer, in the units of Deep Compression's Table 4.</summary>
public sealed record LayerStorageReport(string Name, int Inputs, int Outputs, bool HasBias, long KeptWeights, double Density, HuffmanReport Huffman);

/// <summary>
/// Runs a model's golden chain on one float input and gathers what a person reads about it:
/// per layer the work statistics a cycle model needs, the accumulator overflow count and
/// the fixed-point error against a float evaluation of the same quantised weights (fed with
/// the float outputs of the previous layer, so errors are end-to-end).
/// </summary>
public static class ModelRun
{
    /// <param name="originalWeights">Per layer, the unquantised weights (Outputs x Columns, bias column included), or null.</param>
    public static (LayerRun[] Runs, LayerRunReport[] Reports) Run(
        LoadedModel model, double[] floatInputs, IReadOnlyList<double[]>? originalWeights = null)
    {
        var golden = new GoldenModel(model.Image);
        var fp = golden.FixedPoint;
        int[] inputs = floatInputs.Select(fp.QuantizeActivation).ToArray();
        var runs = golden.RunChainLayers(inputs);

        var reports = new LayerRunReport[runs.Length];
        double[] floatIn = floatInputs, originalIn = floatInputs;
        ReadOnlySpan<int> fixedIn = inputs;
        for (int l = 0; l < runs.Length; l++)
        {
            var layer = model.Layers[l];
            var work = WorkStatistics.ForLayer(model.Image, l, fixedIn);
            var quantised = FloatReference.QuantisedWeights(model.Config, layer);
            double[] floatOut = FloatReference.Layer(layer, quantised, floatIn);
            var vsQuantised = ErrorReport.Compare(fp, runs[l].Outputs, floatOut);
            ErrorReport? vsOriginal = null;
            if (originalWeights is not null)
            {
                double[] originalOut = FloatReference.Layer(layer, originalWeights[l], originalIn);
                vsOriginal = ErrorReport.Compare(fp, runs[l].Outputs, originalOut);
                originalIn = originalOut;
            }
            reports[l] = new LayerRunReport(layer.Name, layer.Inputs, layer.Outputs, work.ActiveColumns.Length,
                work.TotalEntries, work.PaddingEntries, work.IdealCycles, work.LoadBalanceEfficiency,
                runs[l].Overflows, vsQuantised, vsOriginal);
            floatIn = floatOut;
            fixedIn = runs[l].Outputs;
        }
        return (runs, reports);
    }

    public static LayerStorageReport[] Storage(LoadedModel model) => model.Manifest.Layers
        .Select(l => new LayerStorageReport(l.Name, l.Inputs, l.Outputs, l.HasBias, l.KeptWeights, l.Density, l.Huffman))
        .ToArray();
}
