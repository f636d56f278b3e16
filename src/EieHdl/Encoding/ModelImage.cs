using EieHdl.Config;

namespace EieHdl.Encoding;

/// <summary>Where one layer sits in the PE memories; the CCU selects a layer by these.</summary>
/// <param name="PtrBase">Address of the layer's first batch's p[0] in every PE's pointer memory.</param>
/// <param name="CodebookBase">Address of the layer's codebook entry 0 in the codebook memory.</param>
/// <param name="Batches">Output batches (layer-table rows) the layer runs as; see <see cref="OutputBatches"/>.</param>
public sealed record LayerPlacement(
    string Name, int Inputs, int Outputs, bool HasBias, bool Relu, int PtrBase, int CodebookBase, int Batches = 1)
{
    public int Columns => Inputs + (HasBias ? 1 : 0);
}

/// <summary>
/// One layer-table row: one output batch of a layer. The batch computes the layer's outputs
/// [FirstOutput, FirstOutput + Outputs) from the layer's whole input, with its own pointers
/// (from <see cref="PtrBase"/>) and entries, and writes output FirstOutput + i at local
/// address OutputBase + i / N of PE i mod N in the destination half. Every batch but the
/// layer's last keeps the act SRAM halves, so the next batch reads the same source.
/// </summary>
/// <param name="LayerIndex">The layer this row is a batch of (index into <see cref="ModelImage.Layers"/>).</param>
/// <param name="OutputBase">FirstOutput / N: the batch's first local row in every PE's destination half.</param>
public sealed record TableRow(LayerPlacement Layer, int LayerIndex, int Batch, int FirstOutput, int Outputs, int OutputBase, int PtrBase)
{
    /// <summary>The layer's last batch: the act SRAM halves swap after it.</summary>
    public bool LastBatch => Batch == Layer.Batches - 1;
}

/// <summary>
/// How a layer's outputs split into batches that fit the accumulators. With rows interleaved
/// (row i in PE i mod N, local row i / N) a PE owns ceil(Outputs / N) local rows; with more
/// than ActRegEntries the layer runs as B = ceil(rows / ActRegEntries) batches of R =
/// ceil(rows / B) local rows per PE each (the last may have fewer), so batch b is the
/// contiguous output slice [b R N, (b + 1) R N). Equal batches rather than full ones and a
/// remainder: a batch's cycles are its busiest PE's entries or its broadcasts, whichever is
/// more, and a small remainder batch would pay for every input's broadcast with little work.
/// </summary>
public static class OutputBatches
{
    /// <summary>Batch count and local rows per PE of each batch (the last may have fewer).</summary>
    public static (int Count, int Rows) Of(EieConfig config, int outputs)
    {
        int n = config.Pes;
        int rows = (outputs + n - 1) / n;
        if (rows <= config.ActRegEntries) return (1, rows);
        int count = (rows + config.ActRegEntries - 1) / config.ActRegEntries;
        return (count, (rows + count - 1) / count);
    }

    /// <summary>The first output and the output count of batch <paramref name="batch"/>.</summary>
    public static (int First, int Outputs) Slice(EieConfig config, int outputs, int batch)
    {
        var (_, rows) = Of(config, outputs);
        long first = (long)batch * rows * config.Pes;
        return ((int)first, (int)Math.Min((long)rows * config.Pes, outputs - first));
    }
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
    /// <summary>The layer table: every layer's output batches, in run order.</summary>
    public IReadOnlyList<TableRow> Rows { get; }
    public IReadOnlyList<PeImage> Pes { get; }
    /// <summary>All layers' codebooks, layer l at l * CodebookSize.</summary>
    public int[] Codebooks { get; }

    private ModelImage(EieConfig config, LayerPlacement[] layers, TableRow[] rows, PeImage[] pes, int[] codebooks)
    {
        Config = config; Layers = layers; Rows = rows; Pes = pes; Codebooks = codebooks;
    }

    /// <summary>The table rows (output batches) of layer <paramref name="layerIndex"/>.</summary>
    public IEnumerable<TableRow> RowsOf(int layerIndex) => Rows.Where(r => r.LayerIndex == layerIndex);

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
        var rows = new List<TableRow>();
        // Per table row, every PE's slice of the batch's rows.
        var slices = new List<PeSlice[]>();
        var codebooks = new int[layers.Count * config.CodebookSize];
        int ptrBase = 0;
        for (int l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            if (layer.Pes.Length != n)
                throw new ArgumentException($"layer {layer.Name} was encoded for {layer.Pes.Length} PEs, config has {n}");
            if (layer.Codebook.Length != config.CodebookSize)
                throw new ArgumentException($"layer {layer.Name} has {layer.Codebook.Length} codebook entries, config has {config.CodebookSize}");
            var (batches, batchRows) = OutputBatches.Of(config, layer.Outputs);
            placements[l] = new LayerPlacement(layer.Name, layer.Inputs, layer.Outputs, layer.HasBias, layer.Relu,
                ptrBase, l * config.CodebookSize, batches);
            layer.Codebook.CopyTo(codebooks, l * config.CodebookSize);
            for (int b = 0; b < batches; b++)
            {
                var (first, outputs) = OutputBatches.Slice(config, layer.Outputs, b);
                rows.Add(new TableRow(placements[l], l, b, first, outputs, b * batchRows, ptrBase));
                slices.Add(batches == 1 ? layer.Pes
                    : layer.Pes.Select(s => SpmatEncoder.SliceRows(config, s, layer.Columns, b * batchRows, batchRows)).ToArray());
                ptrBase += layer.Columns + 1;
            }
        }

        var pes = new PeImage[n];
        long maxPointer = (1L << config.PtrWidth) - 1;
        for (int pe = 0; pe < n; pe++)
        {
            var pointers = new int[ptrBase];
            long entryCount = slices.Sum(s => (long)s[pe].Entries.Length);
            if (entryCount > config.SpmatEntries)
                throw new EieInputException(
                    $"model: PE {pe} needs {entryCount} spmat entries, more than {nameof(EieConfig.SpmatDepth)} {config.SpmatDepth} words x {config.EntriesPerWord} = {config.SpmatEntries}");
            if (entryCount > maxPointer)
                throw new EieInputException(
                    $"model: PE {pe} needs pointers up to {entryCount}, more than {nameof(EieConfig.PtrWidth)} {config.PtrWidth} bits hold ({maxPointer})");
            var entries = new ushort[entryCount];
            int spmatBase = 0;
            for (int r = 0; r < rows.Count; r++)
            {
                var slice = slices[r][pe];
                for (int j = 0; j < slice.Pointers.Length; j++)
                    pointers[rows[r].PtrBase + j] = spmatBase + slice.Pointers[j];
                slice.Entries.CopyTo(entries, spmatBase);
                spmatBase += slice.Entries.Length;
            }
            pes[pe] = new PeImage(pe, pointers, entries);
        }
        return new ModelImage(config, placements, rows.ToArray(), pes, codebooks);
    }

    /// <summary>
    /// The checks that need only the layers' shapes: their count, that each feeds the next, the
    /// pointer memory, the act SRAM halves and the layer table (a layer with more rows per PE
    /// than the accumulators runs as several output batches, a table row each). Run before compression too,
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
        long ptrEnd = 0, tableRows = 0;
        foreach (var layer in layers)
        {
            CheckActs(config, layer);
            int batches = OutputBatches.Of(config, layer.Outputs).Count;
            tableRows += batches;
            if (tableRows > config.MaxLayers)
                throw new EieInputException(
                    $"layer {layer.Name}: the layers up to this one need at most {nameof(EieConfig.MaxLayers)} {config.MaxLayers} layer-table rows (one per layer, one per output batch of a layer with more than {nameof(EieConfig.ActRegEntries)} {config.ActRegEntries} rows per PE), got {tableRows}");
            ptrEnd += (long)batches * (layer.Inputs + (layer.HasBias ? 1 : 0) + 1);
            if (ptrEnd > config.PtrDepth)
                throw new EieInputException(
                    $"layer {layer.Name}: pointers needed up to this layer ({ptrEnd}) exceed {nameof(EieConfig.PtrDepth)} {config.PtrDepth}");
        }
    }

    /// <summary>A layer's input and output vectors must fit half the act SRAM of each PE.</summary>
    private static void CheckActs(EieConfig config, LayerShape layer)
    {
        int n = config.Pes;
        int inputsPerPe = (layer.Inputs + n - 1) / n, outputsPerPe = (layer.Outputs + n - 1) / n;
        int vector = Math.Max(inputsPerPe, outputsPerPe);
        if (vector > config.ActHalfDepth)
            throw new EieInputException(
                $"layer {layer.Name}: needs {vector} acts per PE in each act SRAM half ({Math.Max(layer.Inputs, layer.Outputs)} / {n} PEs), more than {nameof(EieConfig.ActSramDepth)} {config.ActSramDepth} / 2 = {config.ActHalfDepth}");
    }
}
