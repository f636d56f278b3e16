using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>Regions of the host address map: addr = {region, pe, offset}.</summary>
public enum HostRegion
{
    /// <summary>CCU registers: see <see cref="CcuRegister"/>.</summary>
    Registers = 0,
    /// <summary>Layer table: offset = layer * 8 + <see cref="LayerField"/>.</summary>
    LayerTable = 1,
    /// <summary>Codebook memory: offset = layer's codebook base + v.</summary>
    Codebook = 2,
    /// <summary>PE pe's pointer memory: offset = pointer index q.</summary>
    Ptr = 3,
    /// <summary>PE pe's spmat SRAM: offset = word address.</summary>
    Spmat = 4,
    /// <summary>PE pe's act SRAM: offset = {half, address}.</summary>
    Act = 5,
}

/// <summary>CCU registers (region 0).</summary>
public enum CcuRegister
{
    /// <summary>Write 1 to start a run of LayerCount layers (ignored while busy).</summary>
    Control = 0,
    /// <summary>Layers the next run executes, 1..MaxLayers.</summary>
    LayerCount = 1,
    /// <summary>Read: bit 0 busy, bit 1 done (a run finished since the last start).</summary>
    Status = 2,
    /// <summary>Read: cycles of the last (or current) run, from start to done.</summary>
    Cycles = 3,
    /// <summary>Act SRAM half that holds layer 0's input (0 or 1); read: the half holding the last output.</summary>
    SourceHalf = 4,
}

/// <summary>Fields of one layer-table row (region 1).</summary>
public enum LayerField
{
    InLength = 0,
    OutLength = 1,
    PtrBase = 2,
    CodebookBase = 3,
    /// <summary>bit 0 has a bias column, bit 1 applies ReLU, bit 2 keeps the act SRAM halves after
    /// the row (the next row is the same layer's next output batch, reading the same source).</summary>
    Flags = 4,
    /// <summary>The row's first local row in every PE's destination half (an output batch's place).</summary>
    OutBase = 5,
}

/// <summary>Widths of the CCU and of the host interface, all derived from the config.</summary>
public sealed record CcuParams(EieConfig Config)
{
    public const int RegionWidth = 3;
    public const int CycleWidth = 32;
    public const int LayerRowFields = 8;

    public int Pes => Config.Pes;
    public int PeWidth => Config.PeWidth;
    /// <summary>Column index j (and a layer's input length incl. bias): below PtrDepth.</summary>
    public int IdxWidth => Config.IdxWidth;
    /// <summary>A layer's global vector length: up to Pes x ActHalfDepth.</summary>
    public int LenWidth => Config.LenWidth;
    public int CbAddrWidth => VerilogText.IndexBits((long)Config.MaxLayers * Config.CodebookSize);
    /// <summary>Codebook index v, as the arithmetic unit takes it.</summary>
    public int CbIndexWidth => Config.IndexBits;
    public int LayerWidth => VerilogText.IndexBits(Config.MaxLayers + 1L);
    public int OffsetWidth => new[]
    {
        Config.SpmatAddrWidth, Config.IdxWidth,
        HalfAddrWidth + 1, VerilogText.IndexBits((long)Config.MaxLayers * LayerRowFields),
        CbAddrWidth, 3,
    }.Max();
    public int HostAddrWidth => RegionWidth + PeWidth + OffsetWidth;

    /// <summary>Address bits of one act SRAM half; an act offset is {half, address}.</summary>
    public int HalfAddrWidth => Config.HalfAddrWidth;

    public long ActOffset(int half, int address) => ((long)half << HalfAddrWidth) | (uint)address;
    public int HostDataWidth => new[] { 64, Config.SpmatWordBits }.Max();

    /// <summary>Bits of a host write a layer-table field keeps (the widest field).</summary>
    public int TableDataWidth => new[] { LenWidth, IdxWidth, CbAddrWidth, 3, HalfAddrWidth }.Max();

    /// <summary>The host address of a word: {region, pe, offset}.</summary>
    public ulong Address(HostRegion region, int pe, long offset) =>
        ((ulong)region << (PeWidth + OffsetWidth)) | ((ulong)pe << OffsetWidth) | (ulong)offset;
}
