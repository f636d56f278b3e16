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
        Ccu = new CcuParams(config);
        Units = [new ActQueue(config), new PtrRead(config), new SpmatRead(config), new ArithUnit(config), new ActRw(config)];
    }

    public CcuParams Ccu { get; }

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
            var p = Ccu;
            string R(int w) => VerilogText.Range(w);
            int spAddr = VerilogText.IndexBits(c.SpmatDepth), accAddr = VerilogText.IndexBits(c.ActRegEntries);
            var ranges = VerilogText.AlignedRanges("", R(p.PeWidth), R(c.ActWidth), R(p.IdxWidth), R(p.CbIndexWidth),
                R(c.WeightWidth), R(p.LenWidth), "[1:0]", R(p.OffsetWidth), R(p.HostDataWidth));
            string Slice(string signal, int width, int full) => width == full ? signal : Inv($"{signal}[{width - 1}:0]");
            return new
            {
                PortBit = ranges[0], PortPe = ranges[1], PortAct = ranges[2], PortIdx = ranges[3], PortCbidx = ranges[4],
                PortWeight = ranges[5], PortLen = ranges[6], PortMem = ranges[7], PortOff = ranges[8], PortHdata = ranges[9],
                IdxRange = R(p.IdxWidth), ActRange = R(c.ActWidth), PtrRange = R(c.PtrWidth),
                IndexRange = R(c.IndexBits), RunRange = R(c.RunBits), AccRange = R(c.AccWidth), AccAddrRange = R(accAddr),
                PtrData = Slice("ld_data_i", c.PtrWidth, p.HostDataWidth),
                SpmatData = Slice("ld_data_i", c.SpmatWordBits, p.HostDataWidth),
                ActData = Slice("ld_data_i", c.ActWidth, p.HostDataWidth),
                PtrAddr = Slice("ld_addr_i", p.IdxWidth, p.OffsetWidth),
                SpmatAddr = Slice("ld_addr_i", spAddr, p.OffsetWidth),
                HalfBit = Inv($"ld_addr_i[{p.HalfAddrWidth}]"),
                HalfAddr = Slice("ld_addr_i", p.HalfAddrWidth, p.OffsetWidth),
                MemPtr = "2'd0", MemSpmat = "2'd1", MemAct = "2'd2",
            };
        }
    }

    public override string Doc => string.Join("\n",
    [
        "eie_pe: one processing element: act queue -> ptr read -> spmat read -> arithmetic unit,",
        "and the act read/write unit (scan = local LNZD, write-back through ReLU and re-quantise).",
        Inv($"Rows pe, pe + {config.Pes}, ... of each layer; acts j = pe + {config.Pes} x address of each act SRAM half."),
        "",
        "Ports:",
        "  clk_i, rst_ni                             clock; active-low synchronous reset",
        "  pe_i                                      this PE's number (a constant from the top)",
        "  bc_push_i, bc_act_i, bc_idx_i, push_ready_o   the CCU's broadcast into the act queue",
        "  cb_we_i, cb_addr_i, cb_wdata_i, acc_clear_i    codebook load and accumulator clear",
        "  ptr_base_i                                the layer's first pointer index (q = base + j);",
        "                                            constant while the layer's broadcasts arrive",
        "  scan_start_i, in_len_i, scan_done_o       the scan of the source half",
        "  offer_valid_o, offer_ready_i, offer_act_o, offer_idx_o   the next non-zero, to the LNZD tree",
        "  wb_start_i, out_len_i, relu_i, wb_done_o  write-back into the destination half",
        "  src_half_i                                which act SRAM half is the source",
        "  ld_valid_i, ld_we_i, ld_mem_i, ld_pe_i, ld_addr_i, ld_data_i   the CCU's load bus",
        "  act_rdata_o                               act read for the host, 1 cycle after the load bus",
        "  idle_o                                    act queue empty and no column or entry in flight",
        "  error_o                                   an entry addressed a row past the accumulators",
        "",
        "Latency: a broadcast pushed in cycle t can be popped in t+1; its pointers arrive at the",
        "spmat read unit in t+2, whose first entry is at the arithmetic unit 3 cycles after it",
        "takes the column; the entry is in its accumulator 5 cycles after that. Throughput: one",
        "entry per cycle; columns with no entries in this PE cost the arithmetic unit nothing.",
        "The act queue holds q = ptr_base_i + j, added on the way in: the pop side then runs from",
        "the queue's read mux straight into the ptr SRAM addresses.",
    ]);
}
