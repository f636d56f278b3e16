using EieHdl.Arithmetic;
using EieHdl.Compression;
using EieHdl.Config;
using EieHdl.CycleModel;
using EieHdl.Encoding;
using EieHdl.Golden;
using EieHdl.Workloads;

namespace EieHdl.Study;

/// <summary>
/// One benchmark layer made and Deep-Compressed once (pruning and weight sharing do not depend
/// on the PE count), then encoded for any PE count with EIE's interleaved rows or with rows
/// dealt largest-first (<see cref="RowBalancer"/>). Only the index matrix, the codebook and the
/// input are kept: the float weights are dropped after sharing.
/// </summary>
public sealed class StudyLayer
{
    public BenchmarkLayer Spec { get; }
    /// <summary>Codebook index per weight, Outputs x (Inputs + 1), bias last; 0 = no entry.</summary>
    public byte[] Indices { get; }
    public double[] CodebookFloat { get; }
    public int[] CodebookFixed { get; }
    /// <summary>The synthetic input in the base config's fixed point.</summary>
    public int[] Input { get; }
    /// <summary>The synthetic input as float (the CPU baselines' input).</summary>
    public double[] FloatInput { get; }
    public int Columns => Spec.Inputs + 1;

    private readonly long[] rowEntries;

    private StudyLayer(BenchmarkLayer spec, SharedLayer shared, int[] input, double[] floatInput)
    {
        Spec = spec;
        Indices = shared.Indices;
        CodebookFloat = shared.CodebookFloat;
        CodebookFixed = shared.CodebookFixed;
        Input = input;
        FloatInput = floatInput;
        rowEntries = shared.RowEntries();
    }

    /// <summary>The benchmark layer, pruned to its own weight density.</summary>
    public static StudyLayer Make(EieConfig config, BenchmarkLayer spec, ulong seed) =>
        Share(config, spec, SyntheticLayer.Generate(spec, seed), spec.WeightDensity);

    /// <summary>A layer already generated (e.g. once, unpruned, for several densities), pruned to <paramref name="density"/>.</summary>
    public static StudyLayer Share(EieConfig config, BenchmarkLayer spec, SyntheticLayer layer, double density)
    {
        var shared = LayerCompressor.Share(config, spec.Key, layer.Weights, spec.Outputs, spec.Inputs, layer.Bias, density);
        var kept = spec with { WeightDensity = density };
        return new StudyLayer(kept, shared, layer.QuantisedInputs(new FixedPoint(config)), layer.Inputs);
    }

    /// <summary>
    /// The config of one sweep point: <paramref name="baseConfig"/> with <paramref name="pes"/>
    /// PEs and act-queue depth <paramref name="depth"/>, and its memories grown where the layer
    /// needs it (accumulators, act SRAM, pointer and spmat depths, pointer width) so that every
    /// layer fits every PE count: the sweep studies throughput, not capacity, and memory depths
    /// do not change the cycles. Validated like any config.
    /// </summary>
    public EieConfig ConfigFor(EieConfig baseConfig, int pes, int depth, long maxPeEntries) =>
        ConfigFor(Spec, baseConfig, pes, depth, maxPeEntries);

    /// <inheritdoc cref="ConfigFor(EieConfig, int, int, long)"/>
    public static EieConfig ConfigFor(BenchmarkLayer spec, EieConfig baseConfig, int pes, int depth, long maxPeEntries)
    {
        int columns = spec.Inputs + 1;
        int perPeOut = (spec.Outputs + pes - 1) / pes, perPeIn = (spec.Inputs + pes - 1) / pes;
        var c = baseConfig with
        {
            Pes = pes,
            ActQueueDepth = depth,
            ActRegEntries = Math.Max(baseConfig.ActRegEntries, perPeOut),
            ActSramDepth = Math.Max(baseConfig.ActSramDepth, 2 * Math.Max(perPeIn, perPeOut)),
            PtrDepth = Math.Max(baseConfig.PtrDepth, columns + 1),
        };
        long words = (maxPeEntries + c.EntriesPerWord - 1) / c.EntriesPerWord;
        int pointerBits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)maxPeEntries);
        c = c with
        {
            SpmatDepth = (int)Math.Clamp(Math.Max(baseConfig.SpmatDepth, words), 1, int.MaxValue),
            PtrWidth = Math.Max(baseConfig.PtrWidth, pointerBits),
        };
        return c.Validate($"study config ({spec.Key}, {pes} PEs, act queue depth {depth})");
    }

    /// <summary>
    /// Most entries one PE can hold for <paramref name="spec"/> on <paramref name="pes"/> PEs,
    /// known before the layer is made: every kept weight and bias value in one PE, plus a
    /// padding entry for every MaxRun + 1 of its rows in every column.
    /// </summary>
    public static long MaxPeEntriesBound(BenchmarkLayer spec, EieConfig config, int pes)
    {
        long rowsPerPe = (spec.Outputs + pes - 1) / pes;
        return spec.KeptWeights + spec.Outputs + (spec.Inputs + 1L) * ((rowsPerPe + config.MaxRun) / (config.MaxRun + 1));
    }

    /// <summary>The layer's per-PE spmat slices for <paramref name="pes"/> PEs, rows interleaved or dealt largest-first.</summary>
    public EncodedLayer Encode(EieConfig baseConfig, int pes, bool balanced)
    {
        var encodeConfig = baseConfig with { Pes = pes };
        var indices = balanced
            ? RowBalancer.PermuteRows<byte>(Indices, Columns, RowBalancer.LargestFirst(rowEntries, pes))
            : Indices;
        return new EncodedLayer
        {
            Name = Spec.Key, Inputs = Spec.Inputs, Outputs = Spec.Outputs, HasBias = true, Relu = true,
            Codebook = CodebookFixed, CodebookFloat = CodebookFloat,
            Pes = SpmatEncoder.Encode(encodeConfig, indices, Spec.Outputs, Columns),
        };
    }

    /// <summary>The memory image of an encoded layer at one PE count and act-queue depth.</summary>
    public ModelImage Image(EieConfig baseConfig, EncodedLayer encoded, int depth)
    {
        long maxEntries = encoded.Pes.Max(p => (long)p.Entries.Length);
        return ModelImage.Build(ConfigFor(baseConfig, encoded.Pes.Length, depth, maxEntries), [encoded]);
    }
}

/// <summary>One sweep point's outcome: the cycle model's cycles and the work the PEs had.</summary>
/// <param name="Cycles">The run's cycle counter (codebook stream to the end of write-back).</param>
/// <param name="IdealCycles">Entries of the busiest PE.</param>
/// <param name="StallCycles">Broadcasts held because an act queue was full.</param>
/// <param name="Entries">Entries the PEs processed (active columns, padding included).</param>
/// <param name="PaddingEntries">Of those, padding entries.</param>
public sealed record PointResult(long Cycles, long IdealCycles, long StallCycles, long Entries, long PaddingEntries, double LoadBalance)
{
    public static PointResult Of(ModelImage image, int[] input)
    {
        var run = new EieCycleModel(image).Run(input);
        var layer = run.Layers[0];
        var work = WorkStatistics.ForLayer(image, 0, input);
        return new PointResult(run.Cycles, layer.IdealCycles, layer.StallCycles, work.TotalEntries, work.PaddingEntries,
            StudyMetrics.LoadBalance(layer.PeEntries));
    }
}
