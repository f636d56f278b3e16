using EieHdl.Config;
using EieHdl.Encoding;

namespace EieHdl.Hardware;

/// <summary>One host bus transaction: a write of Data to Address, or a read of Address.</summary>
public readonly record struct HostAccess(bool Write, ulong Address, ulong Data)
{
    public static HostAccess WriteOf(ulong address, ulong data) => new(true, address, data);
    public static HostAccess ReadOf(ulong address) => new(false, address, 0);
}

/// <summary>
/// How a host drives eie_top: the bus transactions that load a model and an input, start a
/// run, and read the outputs back. The address map is the CCU's (<see cref="HostRegion"/>).
/// The same sequence serves the C# cycle model, the Verilator co-simulation and the portable
/// Verilog testbench, so all three exercise the one front-door protocol.
/// </summary>
public sealed class HostProtocol(EieConfig config)
{
    public CcuParams Params { get; } = new(config);

    /// <summary>Pointers and spmat words of every PE, the codebooks, the layer table and the layer count.</summary>
    public IEnumerable<HostAccess> LoadModel(ModelImage image) => LoadMemories(image).Concat(LoadTables(image));

    /// <summary>The memory words of a model: every PE's pointers and spmat words, and the codebooks.</summary>
    public IEnumerable<HostAccess> LoadMemories(ModelImage image)
    {
        var p = Params;
        foreach (var pe in image.Pes)
        {
            for (int q = 0; q < pe.Pointers.Length; q++)
                yield return HostAccess.WriteOf(p.Address(HostRegion.Ptr, pe.Pe, q), (ulong)pe.Pointers[q]);
            var words = SpmatWords(pe);
            for (int w = 0; w < words.Length; w++)
                yield return HostAccess.WriteOf(p.Address(HostRegion.Spmat, pe.Pe, w), words[w]);
        }
        var codebook = CodebookWords(image);
        for (int k = 0; k < codebook.Length; k++)
            yield return HostAccess.WriteOf(p.Address(HostRegion.Codebook, 0, k), codebook[k]);
    }

    /// <summary>The CCU's tables: one layer-table row per layer (per output batch of a batched layer) and the row count.</summary>
    public IEnumerable<HostAccess> LoadTables(ModelImage image)
    {
        var p = Params;
        for (int r = 0; r < image.Rows.Count; r++)
        {
            var batch = image.Rows[r];
            var layer = batch.Layer;
            long row = (long)r * CcuParams.LayerRowFields;
            yield return HostAccess.WriteOf(p.Address(HostRegion.LayerTable, 0, row + (int)LayerField.InLength), (ulong)layer.Inputs);
            yield return HostAccess.WriteOf(p.Address(HostRegion.LayerTable, 0, row + (int)LayerField.OutLength), (ulong)batch.Outputs);
            yield return HostAccess.WriteOf(p.Address(HostRegion.LayerTable, 0, row + (int)LayerField.PtrBase), (ulong)batch.PtrBase);
            yield return HostAccess.WriteOf(p.Address(HostRegion.LayerTable, 0, row + (int)LayerField.CodebookBase), (ulong)layer.CodebookBase);
            yield return HostAccess.WriteOf(p.Address(HostRegion.LayerTable, 0, row + (int)LayerField.Flags),
                (layer.HasBias ? 1UL : 0) | (layer.Relu ? 2UL : 0) | (batch.LastBatch ? 0 : 4UL));
            yield return HostAccess.WriteOf(p.Address(HostRegion.LayerTable, 0, row + (int)LayerField.OutBase), (ulong)batch.OutputBase);
        }
        yield return HostAccess.WriteOf(p.Address(HostRegion.Registers, 0, (int)CcuRegister.LayerCount), (ulong)image.Rows.Count);
    }

    /// <summary>Input acts into act SRAM half 0 (act j to PE j mod N, address j / N), then that half as the source.</summary>
    public IEnumerable<HostAccess> LoadInput(ReadOnlySpan<int> acts)
    {
        var p = Params;
        ulong actMask = (1UL << config.ActWidth) - 1;
        var accesses = new HostAccess[acts.Length + 1];
        for (int j = 0; j < acts.Length; j++)
            accesses[j] = HostAccess.WriteOf(p.Address(HostRegion.Act, j % config.Pes, p.ActOffset(0, j / config.Pes)), (ulong)acts[j] & actMask);
        accesses[^1] = HostAccess.WriteOf(p.Address(HostRegion.Registers, 0, (int)CcuRegister.SourceHalf), 0);
        return accesses;
    }

    public HostAccess Start() => HostAccess.WriteOf(Params.Address(HostRegion.Registers, 0, (int)CcuRegister.Control), 1);

    public HostAccess ReadStatus() => HostAccess.ReadOf(Params.Address(HostRegion.Registers, 0, (int)CcuRegister.Status));

    public HostAccess ReadCycles() => HostAccess.ReadOf(Params.Address(HostRegion.Registers, 0, (int)CcuRegister.Cycles));

    /// <summary>Reads of the last layer's outputs, in output order: after L layers they sit in half L mod 2.</summary>
    public IEnumerable<HostAccess> ReadOutputs(int outputs, int layers)
    {
        int half = layers % 2;
        for (int i = 0; i < outputs; i++)
            yield return HostAccess.ReadOf(Params.Address(HostRegion.Act, i % config.Pes, Params.ActOffset(half, i / config.Pes)));
    }

    /// <summary>Every layer's codebook as codebook-memory words (WeightWidth-bit two's complement).</summary>
    public ulong[] CodebookWords(ModelImage image)
    {
        ulong weightMask = config.WeightWidth >= 64 ? ulong.MaxValue : (1UL << config.WeightWidth) - 1;
        return image.Codebooks.Select(c => (ulong)c & weightMask).ToArray();
    }

    /// <summary>A PE's spmat memory as words, entry 0 of a word in its low bits, the last word zero-filled.</summary>
    public ulong[] SpmatWords(PeImage pe)
    {
        if (config.SpmatWordBits > 64)
            throw new InvalidOperationException($"host loads of spmat words wider than 64 bits are not modelled here, config has {config.SpmatWordBits}");
        return SpmatRead.PackWords(SpmatReadParams.From(config), pe.Entries.Select(e => (int)e).ToArray());
    }
}
