using System.Globalization;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>
/// <c>eie_pe</c>: one processing element. It wires the PE's units in the paper's order: act
/// queue, pointer read, sparse-matrix read, arithmetic unit (accumulators), and the act
/// read/write unit whose scan is the PE's local leading-non-zero detection. It also decodes
/// the CCU's load bus for its own memories. The PE adds no state of its own but one register
/// that gives the act read/write unit the accumulator read it expects one cycle after its
/// address.
/// </summary>
public sealed partial class Pe : HardwareUnit
{
    private readonly EieConfig config;

    public Pe(EieConfig config)
    {
        this.config = config;
        LoadBus = new CcuParams(config);
        Units = [new ActQueue(config), new PtrRead(config), new SpmatRead(config), new ArithUnit(config), new ActRw(config)];
    }

    /// <summary>The CCU's load bus, whose address and data widths the PE's ld_* ports take.</summary>
    public CcuParams LoadBus { get; }

    /// <summary>The units one PE instantiates.</summary>
    public IReadOnlyList<HardwareUnit> Units { get; }

    public override IReadOnlyList<HardwareUnit> Submodules => Units;

    public override string ModuleName => "eie_pe";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public override object TemplateModel
    {
        get
        {
            var c = config;
            var p = LoadBus;
            string R(int w) => VerilogText.Range(w);
            string Slice(string signal, int width, int full) => width == full ? signal : Inv($"{signal}[{width - 1}:0]");
            return new
            {
                IdxRange = R(c.IdxWidth), ActRange = R(c.ActWidth), PtrRange = R(c.PtrWidth),
                IndexRange = R(c.IndexBits), RunRange = R(c.RunBits), AccRange = R(c.AccWidth), AccAddrRange = R(c.ActRegAddrWidth),
                PtrData = Slice("ld_data_i", c.PtrWidth, p.HostDataWidth),
                SpmatData = Slice("ld_data_i", c.SpmatWordBits, p.HostDataWidth),
                ActData = Slice("ld_data_i", c.ActWidth, p.HostDataWidth),
                PtrAddr = Slice("ld_addr_i", c.IdxWidth, p.OffsetWidth),
                SpmatAddr = Slice("ld_addr_i", c.SpmatAddrWidth, p.OffsetWidth),
                HalfBit = Inv($"ld_addr_i[{c.HalfAddrWidth}]"),
                HalfAddr = Slice("ld_addr_i", c.HalfAddrWidth, p.OffsetWidth),
                MemPtr = "2'd0", MemSpmat = "2'd1", MemAct = "2'd2",
            };
        }
    }

    public override string Doc => string.Join("\n",
    [
        "eie_pe: one processing element: act queue -> ptr read -> spmat read -> arithmetic unit,",
        "and the act read/write unit (scan = local LNZD, write-back through ReLU and re-quantise).",
        Inv($"Rows pe, pe + {config.Pes}, ... of each layer; acts j = pe + {config.Pes} x address of each act SRAM half."),
        "The act queue holds q = ptr_base_i + j, added on the way in: the pop side then runs from",
        "the queue's read mux straight into the ptr SRAM addresses.",
    ]);

    /// <summary>
    /// The PE's ports. Those wired to the CCU (broadcast, layer control, load bus) are the CCU's
    /// ports facing the other way, so the two modules cannot disagree on a width.
    /// </summary>
    public override IReadOnlyList<Port> Ports
    {
        get
        {
            var c = config;
            var ccu = Ccu.PortsOf(LoadBus).ToDictionary(p => p.Name);
            Port FromCcu(string ccuPort) => ccu[ccuPort].Facing();
            return
            [
                Port.Clock(),
                Port.Reset(),
                Port.In("pe_i", c.PeWidth, "this PE's number (a constant from the top)"),
                FromCcu("bc_push_o") with { Meaning = "the CCU's broadcast of (bc_act_i, bc_idx_i) into the act queue" },
                FromCcu("bc_act_o"),
                FromCcu("bc_idx_o"),
                Port.Out("push_ready_o", 1, "the act queue has room"),
                FromCcu("cb_we_o") with { Meaning = "codebook write" },
                FromCcu("cb_addr_o"),
                FromCcu("cb_wdata_o"),
                FromCcu("acc_clear_o"),
                FromCcu("ptr_base_o") with { Meaning = "the layer's first ptr index (q = base + j); constant while the layer's broadcasts arrive" },
                FromCcu("scan_start_o") with { Meaning = "pulse: scan the source half" },
                FromCcu("in_len_o"),
                Port.Out("scan_done_o", 1, "no scan work left"),
                Port.Out("offer_valid_o", 1, "the next non-zero source act is offered to the LNZD tree"),
                Port.In("offer_ready_i", 1, "the tree takes it"),
                Port.Out("offer_act_o", c.ActWidth, "a_j of the offer"),
                Port.Out("offer_idx_o", c.IdxWidth, "j of the offer"),
                FromCcu("wb_start_o") with { Meaning = "pulse: write back into the destination half" },
                FromCcu("out_len_o"),
                FromCcu("relu_o"),
                FromCcu("out_base_o"),
                Port.Out("wb_done_o", 1, "no write-back work left"),
                FromCcu("src_half_o"),
                FromCcu("ld_valid_o") with { Meaning = "an access on the CCU's load bus" },
                FromCcu("ld_we_o"),
                FromCcu("ld_mem_o"),
                FromCcu("ld_pe_o") with { Meaning = "the PE the access is for" },
                FromCcu("ld_addr_o")
                    with { PartlyUsed = true, Group = "The load bus serves every memory of the accelerator; a PE uses the bits of its own." },
                FromCcu("ld_data_o") with { PartlyUsed = true },
                Port.Out("act_rdata_o", c.ActWidth, "act read for the host, 1 cycle after the load bus"),
                Port.Out("idle_o", 1, "act queue empty and no column or entry in flight"),
                Port.Out("error_o", 1, "an entry addressed a row past the accumulators"),
            ];
        }
    }

    /// <summary>Cycles from a broadcast pushed into the act queue to its column's first entry at the arithmetic unit.</summary>
    public const int FirstEntryLatency = ActQueue.PushToPop + PtrRead.RequestLatency + SpmatRead.FirstEntryLatency;

    public override IReadOnlyList<Latency> Latencies =>
    [
        new("bc_push_i", "arithmetic unit", FirstEntryLatency,
            Inv($"a broadcast pushed in cycle t can be popped in t+{ActQueue.PushToPop}; its pointers arrive at the spmat read unit {PtrRead.RequestLatency} cycle later, whose first entry is at the arithmetic unit {SpmatRead.FirstEntryLatency} cycles after it takes the column")),
        new("bc_push_i", "accumulator", FirstEntryLatency + ArithUnit.AccumulateLatency,
            Inv($"the first entry is in its accumulator {ArithUnit.AccumulateLatency} cycles after it reaches the arithmetic unit")),
        new("ld_valid_i", "act_rdata_o", 1, "act read for the host"),
    ];

    public override string LatencyNote =>
        "Throughput: one entry per cycle; columns with no entries in this PE cost the arithmetic\nunit nothing.";
}
