using System.Globalization;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>
/// <c>eie_top</c>: the accelerator. The CCU, the LNZD tree and Pes processing elements, with the
/// ANDs over the PEs that the CCU waits on and the multiplexer that returns a PE's act to the
/// host. Its interface is the host bus of <see cref="Ccu"/> (see <see cref="HostProtocol"/>), or with
/// HostBus axi4lite the AXI4-Lite slave of <see cref="AxiLiteHost"/> in front of it.
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
        Axi = config.IsAxiLite ? new AxiLiteHost(config) : null;
    }

    /// <summary>The AXI4-Lite bridge, when the config asks for that host bus.</summary>
    public AxiLiteHost? Axi { get; }

    public Ccu Ccu { get; }
    public LnzdTree Tree { get; }
    public Pe Pe { get; }

    public override string ModuleName => "eie_top";

    public override IReadOnlyList<HardwareUnit> Submodules => Axi is null ? [Ccu, Tree, Pe] : [Axi, Ccu, Tree, Pe];

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
                IsAxi = Axi is not null,
                HaddrRange = R(p.HostAddrWidth),
                // The CCU's host bus: eie_top's ports, or wires from the AXI4-Lite bridge.
                Host = Axi is null
                    ? new { Valid = "host_valid_i", We = "host_we_i", Addr = "host_addr_i", Wdata = "host_wdata_i", Rvalid = "host_rvalid_o", Rdata = "host_rdata_o" }
                    : new { Valid = "host_valid", We = "host_we", Addr = "host_addr", Wdata = "host_wdata", Rvalid = "host_rvalid", Rdata = "host_rdata" },
                AxiPorts = (Axi?.SlavePorts ?? []).Select(x => x.Name).ToArray(),
                PeSelect = c.Pes == 1 ? "act_rdata" : Inv($"act_rdata[rd_pe_q*{c.ActWidth} +: {c.ActWidth}]"),
            };
        }
    }

    public override string Doc => string.Join("\n",
    [
        Inv($"eie_top: the EIE accelerator, {config.Pes} PEs, LNZD fan-in {config.LnzdFanIn}, act queues {config.ActQueueDepth} deep."),
        "The host loads pointers, spmat words, codebooks, the layer table and the input acts over",
        Axi is null ? "the host bus, writes start, waits for done_o and reads the outputs and the cycle count."
            : "AXI4-Lite (eie_axil_host), writes start, waits for done_o and reads the outputs and the cycle count.",
    ]);

    /// <summary>The CCU's host bus (or the AXI4-Lite slave), busy, done and an error flag: the accelerator's whole interface.</summary>
    public override IReadOnlyList<Port> Ports => Axi is null
        ?
        [
            .. Ccu.HostPorts.Select(p => p with { Group = null }),
            Port.Out("error_o", 1, "some PE addressed a row past its accumulators"),
        ]
        :
        [
            .. Ccu.HostPorts.Where(p => !p.Name.StartsWith("host_", StringComparison.Ordinal)).Select(p => p with { Group = null }),
            Port.Out("error_o", 1, "some PE addressed a row past its accumulators"),
            .. Axi.SlavePorts,
        ];

    public override IReadOnlyList<Latency> Latencies => Axi is null
        ? [.. Ccu.Latencies.Where(l => l.From == "host_valid_i" && Ports.Any(p => p.Name == l.To))]
        : [.. Axi.Latencies.Where(l => Ports.Any(p => p.Name == l.To))];

    public override string LatencyNote => "See eie_ccu for the per-layer sequence and eie_pe for the datapath.";
}
