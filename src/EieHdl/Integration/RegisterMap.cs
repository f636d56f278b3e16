using System.Globalization;
using System.Text;
using EieHdl.Config;
using EieHdl.Hardware;

namespace EieHdl.Integration;

/// <summary>A bit field of a register or a table word.</summary>
public sealed record MapField(string Name, int Lsb, int Bits, string Description);

/// <summary>One word-addressed entry inside a region: a CCU register or a layer-table field.</summary>
/// <param name="Offset">Offset inside the region (for a layer-table field: inside one row).</param>
/// <param name="Access">"R", "W" or "RW" from the host.</param>
public sealed record MapWord(string Name, long Offset, string Access, int Bits, string Description, IReadOnlyList<MapField> Fields);

/// <summary>
/// One region of the host address map.
/// </summary>
/// <param name="Index">The region number, address bits [AddrWidth-1 : AddrWidth-3].</param>
/// <param name="PerPe">True when every PE has its own copy, selected by the address's pe field.</param>
/// <param name="Words">Addressable words (per PE when <paramref name="PerPe"/>).</param>
/// <param name="WordBits">Bits of one word; wider bits of host_wdata_i are ignored, of host_rdata_o read as 0.</param>
/// <param name="Offsets">How an offset is formed.</param>
/// <param name="Entries">The named words of a register region or of one layer-table row, else empty.</param>
public sealed record MapRegion(string Name, int Index, string Access, bool PerPe, long Words, int WordBits,
    string Offsets, string Description, IReadOnlyList<MapWord> Entries);

/// <summary>
/// The AXI4-Lite view of the map (HostBus axi4lite): a host word is <paramref name="Lanes"/>
/// 32-bit registers at byte address (host address &lt;&lt; <paramref name="WordShift"/>) | lane &lt;&lt; 2.
/// </summary>
public sealed record AxiLiteMap(int AddrWidth, int DataWidth, int Lanes, int WordShift, IReadOnlyList<string> Rules);

/// <summary>
/// The host register and memory map of one configuration, read from the same C# that decodes
/// and drives the bus (<see cref="CcuParams"/>, <see cref="HostRegion"/>, <see cref="CcuRegister"/>,
/// <see cref="LayerField"/>, <see cref="HostProtocol"/>): written by <c>generate</c> as
/// <c>eie_regs.json</c>, <c>eie_regs.md</c> and the C header <c>eie_regs.h</c>. The bus is word
/// addressed: address = {region[2:0], pe[PeWidth-1:0], offset[OffsetWidth-1:0]}.
/// </summary>
public sealed record RegisterMap(
    int Pes, int AddrWidth, int DataWidth, int PeWidth, int OffsetWidth, int RegionShift, int PeShift,
    int ReadLatencyCycles, int LayerRowFields, int MaxLayers, int ActHalfShift, IReadOnlyList<MapRegion> Regions)
{
    public const string JsonFile = "eie_regs.json";
    public const string MarkdownFile = "eie_regs.md";
    public const string HeaderFile = "eie_regs.h";

    /// <summary>The host read latency of eie_top: the answer comes exactly this many cycles after the request.</summary>
    public const int ReadLatency = 2;

    /// <summary>The AXI4-Lite byte addressing in front of the word-addressed map, or null on the simple host bus.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public AxiLiteMap? Axi { get; init; }

    public static RegisterMap For(EieConfig config)
    {
        var p = new CcuParams(config);
        MapWord Reg(CcuRegister r, string access, int bits, string description, params MapField[] fields) =>
            new(r.ToString(), (long)r, access, bits, description, fields);
        MapWord Field(LayerField f, int bits, string description, params MapField[] fields) =>
            new(f.ToString(), (long)f, "RW", bits, description, fields);
        var registers = new[]
        {
            Reg(CcuRegister.Control, "W", 1, "Write 1 to start a run of LayerCount layers (ignored while busy)",
                new MapField("start", 0, 1, "1 starts a run")),
            Reg(CcuRegister.LayerCount, "RW", p.LayerWidth, $"Layers the next run executes, 1..{config.MaxLayers}"),
            Reg(CcuRegister.Status, "R", 2, "Run state",
                new MapField("busy", 0, 1, "a run is in progress"), new MapField("done", 1, 1, "a run finished since the last start")),
            Reg(CcuRegister.Cycles, "R", CcuParams.CycleWidth, "Cycles of the last (or current) run, from start to done"),
            Reg(CcuRegister.SourceHalf, "RW", 1, "Write: the act SRAM half holding layer 0's input; read: the half holding the last output"),
        };
        var layerRow = new[]
        {
            Field(LayerField.InLength, p.LenWidth, "Input length of the layer (a bias column included)"),
            Field(LayerField.OutLength, p.LenWidth, "Output length of the layer"),
            Field(LayerField.PtrBase, p.IdxWidth, "The layer's first pointer in every PE's pointer memory"),
            Field(LayerField.CodebookBase, p.CbAddrWidth, "The layer's first codebook word"),
            Field(LayerField.Flags, 3, "Layer options",
                new MapField("bias", 0, 1, "the last input column is a bias (input 1)"), new MapField("relu", 1, 1, "apply ReLU to the outputs"),
                new MapField("keep", 2, 1, "keep the act halves after this row: the next row is the same layer's next output batch")),
            Field(LayerField.OutBase, p.HalfAddrWidth, "The row's first local row in every PE's destination half: an output batch's place"),
        };
        long actWords = 2L << p.HalfAddrWidth;
        var regions = new[]
        {
            new MapRegion("Registers", (int)HostRegion.Registers, "RW", false, Enum.GetValues<CcuRegister>().Length, CcuParams.CycleWidth,
                "register number", "CCU control and status", registers),
            new MapRegion("LayerTable", (int)HostRegion.LayerTable, "RW", false, (long)config.MaxLayers * CcuParams.LayerRowFields, layerRow.Max(f => f.Bits),
                $"layer * {CcuParams.LayerRowFields} + field", "One row per layer or output batch; written only while idle", layerRow),
            new MapRegion("Codebook", (int)HostRegion.Codebook, "RW", false, (long)config.MaxLayers * config.CodebookSize, config.WeightWidth,
                "layer's CodebookBase + codebook index v", $"Shared weights, {config.WeightWidth}-bit two's complement; written only while idle", []),
            new MapRegion("Ptr", (int)HostRegion.Ptr, "W", true, config.PtrDepth, config.PtrWidth,
                "pointer index q", "A PE's column pointers (absolute spmat entry addresses); written only while idle", []),
            new MapRegion("Spmat", (int)HostRegion.Spmat, "W", true, config.SpmatDepth, config.SpmatWordBits,
                "word address", $"A PE's spmat SRAM: {config.EntriesPerWord} entries per word, entry 0 in the low bits; written only while idle", []),
            new MapRegion("Act", (int)HostRegion.Act, "RW", true, actWords, config.ActWidth,
                $"(half << {p.HalfAddrWidth}) | address, address < {config.ActHalfDepth}",
                $"A PE's act SRAM, two halves of {config.ActHalfDepth} words; act j of a vector is in PE j mod {config.Pes} at address j / {config.Pes}", []),
        };
        AxiLiteMap? axi = null;
        if (config.IsAxiLite)
        {
            var bridge = new AxiLiteHost(config);
            axi = new AxiLiteMap(bridge.AddrWidth, AxiLiteHost.DataWidth, bridge.Lanes, bridge.WordShift, AxiRules);
        }
        return new RegisterMap(config.Pes, p.HostAddrWidth, p.HostDataWidth, p.PeWidth, p.OffsetWidth,
            p.PeWidth + p.OffsetWidth, p.OffsetWidth, ReadLatency, CcuParams.LayerRowFields, config.MaxLayers, p.HalfAddrWidth, regions)
        { Axi = axi };
    }

    /// <summary>How eie_axil_host maps AXI4-Lite accesses onto the words of the map.</summary>
    private static IReadOnlyList<string> AxiRules { get; } =
    [
        "Byte address = (word address << WordShift) | (lane << 2); bits [1:0] are ignored and every access moves a whole 32-bit lane.",
        "A word wider than 32 bits (a Spmat word) is written high lanes first: a write to lane k > 0 is staged, a write to lane 0 commits {staged lanes, lane 0} and clears the staged lanes. A word of at most 32 bits is one write of lane 0.",
        "A read of lane k returns bits [32k+31:32k] of the word.",
        "SLVERR, and no write: an address outside the map (region, PE, offset, or a lane beyond the word's bits), a write of a read-only or a read of a write-only word, WSTRB other than 0xf, and while busy every access except a register read. Everything else is OKAY.",
        "One transaction at a time; BVALID and RVALID are held until BREADY and RREADY.",
    ];

    /// <summary>The host address of <paramref name="offset"/> in PE <paramref name="pe"/>'s copy of <paramref name="region"/>.</summary>
    public ulong Address(int region, int pe, long offset) => ((ulong)region << RegionShift) | ((ulong)pe << PeShift) | (ulong)offset;

    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, JsonOptions) + "\n";

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true, IndentSize = 2, NewLine = "\n",
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
    };

    private static string Hex(ulong v) => "0x" + v.ToString("x", CultureInfo.InvariantCulture);

    private static string Mask(int bits) => bits >= 64 ? "0xffffffffffffffff" : Hex((1UL << bits) - 1);

    public string ToMarkdown(string configDigest)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.Append(inv, $"# eie_top host register and memory map\n\nGenerated by EieHdl for {configDigest}.\n\n");
        s.Append(inv, $"Word-addressed bus: address = {{region[2:0], pe[{PeWidth - 1}:0], offset[{OffsetWidth - 1}:0]}}, ");
        s.Append(inv, $"{AddrWidth} address bits, {DataWidth} data bits; a read answers exactly {ReadLatencyCycles} cycles after it is issued.\n");
        s.Append(inv, $"Base of a region: region << {RegionShift} | pe << {PeShift}.\n\n");
        s.Append("| region | name | base (PE 0) | per PE | words | word bits | access | offset | what |\n|---|---|---|---|---|---|---|---|---|\n");
        foreach (var r in Regions)
            s.Append(inv, $"| {r.Index} | {r.Name} | {Hex(Address(r.Index, 0, 0))} | {(r.PerPe ? "yes" : "no")} | {r.Words} | {r.WordBits} | {r.Access} | {Cell(r.Offsets)} | {Cell(r.Description)} |\n");
        foreach (var r in Regions.Where(r => r.Entries.Count > 0))
        {
            s.Append(inv, $"\n## {r.Name} (region {r.Index})\n\n| offset | name | access | bits | fields | what |\n|---|---|---|---|---|---|\n");
            foreach (var w in r.Entries)
            {
                string fields = w.Fields.Count == 0 ? "" : string.Join("; ", w.Fields.Select(f => $"bit {f.Lsb}: {f.Name}"));
                s.Append(inv, $"| {w.Offset} | {w.Name} | {w.Access} | {w.Bits} | {fields} | {w.Description} |\n");
            }
        }
        if (Axi is { } axi)
        {
            s.Append(inv, $"\n## AXI4-Lite (eie_axil_host)\n\neie_top is an AXI4-Lite slave: {axi.AddrWidth}-bit byte addresses, {axi.DataWidth}-bit data, ");
            s.Append(inv, $"{axi.Lanes} lanes per word, byte address = (word address << {axi.WordShift}) | (lane << 2).\n\n");
            foreach (var rule in axi.Rules) s.Append("- ").Append(rule).Append('\n');
            s.Append("\n| region | name | AXI byte base (PE 0) | AXI stride per PE | lanes |\n|---|---|---|---|---|\n");
            foreach (var r in Regions)
                s.Append(inv, $"| {r.Index} | {r.Name} | {Hex(Address(r.Index, 0, 0) << axi.WordShift)} | {(r.PerPe ? Hex(1UL << (PeShift + axi.WordShift)) : "-")} | {(r.WordBits + axi.DataWidth - 1) / axi.DataWidth} |\n");
        }
        s.Append("\n## Run sequence\n\n");
        foreach (var (step, i) in RunSequence.Select((t, i) => (t, i + 1))) s.Append(inv, $"{i}. {step}\n");
        return s.ToString();
    }

    /// <summary>A Markdown table cell: a '|' in the text would end the cell.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>The host's steps of one run, in the order <see cref="HostProtocol"/> issues them.</summary>
    public static IReadOnlyList<string> RunSequence { get; } =
    [
        "While idle, write every PE's Ptr and Spmat words and the Codebook words.",
        "Write one LayerTable row per layer, or per output batch of a layer with more rows per PE than ActRegEntries (InLength, OutLength, PtrBase, CodebookBase, Flags, OutBase), and LayerCount (the rows).",
        "Write the input acts into act half 0 (act j: PE j mod Pes, address j / Pes) and 0 to SourceHalf.",
        "Write 1 to Control.",
        "Wait for done_o, or poll Status until busy is 0 and done is 1.",
        "Read Cycles, then the outputs: after L layers (counting a batched layer once) they are in act half L mod 2.",
    ];

    public string ToCHeader(string configDigest)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.Append(inv, $"/* eie_regs.h: eie_top's host register and memory map. Generated by EieHdl: edit the generator, not this file.\n * {configDigest}\n *\n");
        s.Append(" * The bus is word addressed; EIE_ADDR(region, pe, offset) forms an address. A run:\n");
        foreach (var (step, i) in RunSequence.Select((t, i) => (t, i + 1))) s.Append(inv, $" *   {i}. {step}\n");
        if (Axi is { } axi)
        {
            s.Append(" *\n * AXI4-Lite (eie_axil_host): EIE_AXI_ADDR(region, pe, offset, lane) is the byte address of a 32-bit lane.\n");
            foreach (var rule in axi.Rules) s.Append(" *   - ").Append(rule).Append('\n');
        }
        s.Append(" */\n#ifndef EIE_REGS_H\n#define EIE_REGS_H\n\n#include <stdint.h>\n\n");
        void Define(string name, string value) => s.Append(inv, $"#define {name,-36} {value}\n");
        string U(long v) => v.ToString(inv) + "u";
        Define("EIE_PES", U(Pes));
        Define("EIE_ADDR_WIDTH", U(AddrWidth));
        Define("EIE_DATA_WIDTH", U(DataWidth));
        Define("EIE_READ_LATENCY_CYCLES", U(ReadLatencyCycles));
        Define("EIE_REGION_SHIFT", U(RegionShift));
        Define("EIE_PE_SHIFT", U(PeShift));
        Define("EIE_PE_WIDTH", U(PeWidth));
        Define("EIE_OFFSET_WIDTH", U(OffsetWidth));
        Define("EIE_ADDR(region, pe, offset)",
            "((((uint64_t)(region)) << EIE_REGION_SHIFT) | (((uint64_t)(pe)) << EIE_PE_SHIFT) | ((uint64_t)(offset)))");
        foreach (var r in Regions)
        {
            string R = "EIE_" + Upper(r.Name);
            s.Append(inv, $"\n/* {r.Name}: {r.Description}. Offset: {r.Offsets}. Access {r.Access}. */\n");
            Define($"EIE_REGION_{Upper(r.Name)}", U(r.Index));
            Define($"{R}_WORDS", U(r.Words));
            Define($"{R}_WORD_BITS", U(r.WordBits));
            foreach (var w in r.Entries)
            {
                string W = $"{R}_{Upper(w.Name)}";
                Define(W, U(w.Offset));
                Define(W + "_BITS", U(w.Bits));
                Define(W + "_MASK", Mask(w.Bits) + "u");
                foreach (var f in w.Fields) Define($"{W}_{Upper(f.Name)}", Hex(((1UL << f.Bits) - 1) << f.Lsb) + "u");
            }
        }
        s.Append('\n');
        Define("EIE_LAYER_ROW_FIELDS", U(LayerRowFields));
        Define("EIE_MAX_LAYERS", U(MaxLayers));
        Define("EIE_LAYER_FIELD(layer, field)", "((uint64_t)(layer) * EIE_LAYER_ROW_FIELDS + (uint64_t)(field))");
        Define("EIE_ACT_HALF_SHIFT", U(ActHalfShift));
        Define("EIE_ACT_OFFSET(half, address)", "((((uint64_t)(half)) << EIE_ACT_HALF_SHIFT) | ((uint64_t)(address)))");
        if (Axi is { } lanes)
        {
            s.Append('\n');
            Define("EIE_AXI_ADDR_WIDTH", U(lanes.AddrWidth));
            Define("EIE_AXI_DATA_WIDTH", U(lanes.DataWidth));
            Define("EIE_AXI_LANES", U(lanes.Lanes));
            Define("EIE_AXI_WORD_SHIFT", U(lanes.WordShift));
            Define("EIE_AXI_RESP_OKAY", U((int)AxiResp.Okay));
            Define("EIE_AXI_RESP_SLVERR", U((int)AxiResp.SlvErr));
            Define("EIE_AXI_ADDR(region, pe, offset, lane)",
                "((EIE_ADDR(region, pe, offset) << EIE_AXI_WORD_SHIFT) | (((uint64_t)(lane)) << 2))");
        }
        s.Append("\n#endif /* EIE_REGS_H */\n");
        return s.ToString();
    }

    /// <summary>LayerTable -> LAYERTABLE would be unreadable: CamelCase to UPPER_SNAKE.</summary>
    private static string Upper(string name)
    {
        var s = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && !char.IsUpper(name[i - 1])) s.Append('_');
            s.Append(char.ToUpperInvariant(name[i]));
        }
        return s.ToString();
    }
}
