using EieHdl.Config;

namespace EieHdl.Encoding;

/// <summary>Where one layer sits in the PE memories; the CCU selects a layer by these.</summary>
/// <param name="PtrBase">Address of the layer's p[0] in every PE's pointer memory.</param>
/// <param name="CodebookBase">Address of the layer's codebook entry 0 in the codebook memory.</param>
public sealed record LayerPlacement(
    string Name, int Inputs, int Outputs, bool HasBias, bool Relu, int PtrBase, int CodebookBase)
{
    public int Columns => Inputs + (HasBias ? 1 : 0);
}

/// <summary>What the memory layout needs of a layer before it is encoded: its name, shape and whether it has a bias column.</summary>
public sealed record LayerShape(string Name, int Inputs, int Outputs, bool HasBias);

/// <summary>
/// One PE's memory contents for a whole model: pointers are absolute entry addresses into
/// <see cref="Entries"/>, so a layer is found by its pointer base alone.
/// </summary>
public sealed record PeImage(int Pe, int[] Pointers, ushort[] Entries);

/// <summary>
/// The memory contents of an EIE instance running a chain of layers: per-PE pointer and
/// spmat memories (layers stored one after the other) and the codebook memory. This is what
/// the hardware is loaded with and what the golden model computes from.
/// </summary>
public sealed class ModelImage
{
    public EieConfig Config { get; }
    public IReadOnlyList<LayerPlacement> Layers { get; }
    public IReadOnlyList<PeImage> Pes { get; }
    /// <summary>All layers' codebooks, layer l at l * CodebookSize.</summary>
    public int[] Codebooks { get; }

    private ModelImage(EieConfig config, LayerPlacement[] layers, PeImage[] pes, int[] codebooks)
    {
        Config = config; Layers = layers; Pes = pes; Codebooks = codebooks;
    }

    /// <summary>
    /// Lays the layers out one after the other and checks that they fit the configured
    /// pointer depth, spmat depth and pointer width, and that each layer's output feeds the
    /// next layer's input.
    /// </summary>
    public static ModelImage Build(EieConfig config, IReadOnlyList<EncodedLayer> layers)
    {
        CheckShapes(config, layers.Select(l => new LayerShape(l.Name, l.Inputs, l.Outputs, l.HasBias)).ToArray());
        int n = config.Pes;
        var placements = new LayerPlacement[layers.Count];
        var codebooks = new int[layers.Count * config.CodebookSize];
        int ptrBase = 0;
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            if (layer.Pes.Length != n)
                throw new ArgumentException($"layer {layer.Name} was encoded for {layer.Pes.Length} PEs, config has {n}");
            if (layer.Codebook.Length != config.CodebookSize)
                throw new ArgumentException($"layer {layer.Name} has {layer.Codebook.Length} codebook entries, config has {config.CodebookSize}");
            long ptrEnd = (long)ptrBase + layer.Columns + 1;
            placements[l] = new LayerPlacement(layer.Name, layer.Inputs, layer.Outputs, layer.HasBias, layer.Relu,
                ptrBase, l * config.CodebookSize);
            layer.Codebook.CopyTo(codebooks, l * config.CodebookSize);
            ptrBase = (int)ptrEnd;
        }

        var pes = new PeImage[n];
        long maxPointer = (1L << config.PtrWidth) - 1;
        for (int pe = 0; pe < n; pe++)
        {
            var pointers = new int[ptrBase];
            long entryCount = layers.Sum(l => (long)l.Pes[pe].Entries.Length);
            if (entryCount > config.SpmatEntries)
                throw new EieInputException(
                    $"model: PE {pe} needs {entryCount} spmat entries, more than {nameof(EieConfig.SpmatDepth)} {config.SpmatDepth} words x {config.EntriesPerWord} = {config.SpmatEntries}");
            if (entryCount > maxPointer)
                throw new EieInputException(
                    $"model: PE {pe} needs pointers up to {entryCount}, more than {nameof(EieConfig.PtrWidth)} {config.PtrWidth} bits hold ({maxPointer})");
            var entries = new ushort[entryCount];
            int spmatBase = 0;
            for (int l = 0; l < layers.Count; l++)
            {
                var slice = layers[l].Pes[pe];
                for (int j = 0; j < slice.Pointers.Length; j++)
                    pointers[placements[l].PtrBase + j] = spmatBase + slice.Pointers[j];
                slice.Entries.CopyTo(entries, spmatBase);
                spmatBase += slice.Entries.Length;
            }
            pes[pe] = new PeImage(pe, pointers, entries);
        }
        return new ModelImage(config, placements, pes, codebooks);
    }

    /// <summary>
    /// The checks that need only the layers' shapes: their count, that each feeds the next, the
    /// pointer memory, the act SRAM halves and the accumulators. Run before compression too,
    /// so a layer that cannot fit is refused before the work of compressing it.
    /// </summary>
    public static void CheckShapes(EieConfig config, IReadOnlyList<LayerShape> layers)
    {
        if (layers.Count == 0) throw new EieInputException("model: needs at least 1 layer, got 0");
        if (layers.Count > config.MaxLayers)
            throw new EieInputException($"model: at most {nameof(EieConfig.MaxLayers)} {config.MaxLayers} layers, got {layers.Count}");
        for (int l = 1; l < layers.Count; l++)
            if (layers[l].Inputs != layers[l - 1].Outputs)
                throw new EieInputException(
                    $"layer {layers[l].Name}: inputs must equal the outputs of layer {layers[l - 1].Name} ({layers[l - 1].Outputs}), got {layers[l].Inputs}");
        long ptrEnd = 0;
        foreach (var layer in layers)
        {
            CheckActs(config, layer);
            ptrEnd += layer.Inputs + (layer.HasBias ? 1 : 0) + 1;
            if (ptrEnd > config.PtrDepth)
                throw new EieInputException(
                    $"layer {layer.Name}: pointers needed up to this layer ({ptrEnd}) exceed {nameof(EieConfig.PtrDepth)} {config.PtrDepth}");
        }
    }

    /// <summary>A layer's input and output vectors must fit half the act SRAM of each PE, and its outputs the accumulators.</summary>
    private static void CheckActs(EieConfig config, LayerShape layer)
    {
        int n = config.Pes;
        int inputsPerPe = (layer.Inputs + n - 1) / n, outputsPerPe = (layer.Outputs + n - 1) / n;
        if (outputsPerPe > config.ActRegEntries)
            throw new EieInputException(
                $"layer {layer.Name}: needs {outputsPerPe} accumulators per PE ({layer.Outputs} outputs / {n} PEs), more than {nameof(EieConfig.ActRegEntries)} {config.ActRegEntries}");
        int vector = Math.Max(inputsPerPe, outputsPerPe);
        if (vector > config.ActHalfDepth)
            throw new EieInputException(
                $"layer {layer.Name}: needs {vector} acts per PE in each act SRAM half ({Math.Max(layer.Inputs, layer.Outputs)} / {n} PEs), more than {nameof(EieConfig.ActSramDepth)} {config.ActSramDepth} / 2 = {config.ActHalfDepth}");
    }
}
