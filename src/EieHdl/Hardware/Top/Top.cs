using System.Globalization;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>
/// <c>eie_top</c>: the accelerator. The CCU, the LNZD tree and Pes processing elements, with the
/// ANDs over the PEs that the CCU waits on and the multiplexer that returns a PE's act to the
/// host. Its only interface is the host bus of <see cref="Ccu"/> (see <see cref="HostProtocol"/>).
/// </summary>
public sealed class Top : HardwareUnit
{
    private readonly EieConfig config;

    public Top(EieConfig config)
    {
        this.config = config;
        Ccu = new Ccu(config);
        Tree = new LnzdTree(config);
        Pe = new Pe(config);
    }

    public Ccu Ccu { get; }
    public LnzdTree Tree { get; }
    public Pe Pe { get; }

    public override string ModuleName => "eie_top";

    public override IReadOnlyList<HardwareUnit> Submodules => [Ccu, Tree, Pe];

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public override object TemplateModel
    {
        get
        {
            var c = config;
            var p = Ccu.Params;
            string R(int w) => VerilogText.Range(w);
            return new
            {
                c.Pes,
                c.ActWidth,
                p.IdxWidth,
                PesRange = Inv($"[{c.Pes - 1}:0]"), ActsRange = R(c.Pes * c.ActWidth), IdxsRange = R(c.Pes * p.IdxWidth),
                ActRange = R(c.ActWidth), IdxRange = R(p.IdxWidth), PeRange = R(p.PeWidth), SrcRange = R(Tree.Params.PeWidth),
                CbidxRange = R(p.CbIndexWidth), WeightRange = R(c.WeightWidth), LenRange = R(p.LenWidth), BaseRange = R(p.HalfAddrWidth),
                OffRange = R(p.OffsetWidth), HdataRange = R(p.HostDataWidth),
                PeWidth = p.PeWidth,
                PeSelect = c.Pes == 1 ? "act_rdata" : Inv($"act_rdata[rd_pe_q*{c.ActWidth} +: {c.ActWidth}]"),
            };
        }
    }

    public override string Doc => string.Join("\n",
    [
        Inv($"eie_top: the EIE accelerator, {config.Pes} PEs, LNZD fan-in {config.LnzdFanIn}, act queues {config.ActQueueDepth} deep."),
        "The host loads pointers, spmat words, codebooks, the layer table and the input acts over",
        "the host bus, writes start, waits for done_o and reads the outputs and the cycle count.",
    ]);

    /// <summary>The CCU's host bus and an error flag: the accelerator's whole interface.</summary>
    public override IReadOnlyList<Port> Ports =>
    [
        .. Ccu.HostPorts.Select(p => p with { Group = null }),
        Port.Out("error_o", 1, "some PE addressed a row past its accumulators"),
    ];

    public override IReadOnlyList<Latency> Latencies =>
    [
        .. Ccu.Latencies.Where(l => l.From == "host_valid_i" && Ports.Any(p => p.Name == l.To)),
    ];

    public override string LatencyNote => "See eie_ccu for the per-layer sequence and eie_pe for the datapath.";
}
