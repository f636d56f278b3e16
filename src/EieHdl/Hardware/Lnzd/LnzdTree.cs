using System.Globalization;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>
/// <c>eie_lnzd_tree</c>: the LNZD tree from the PEs to the CCU. Each PE offers its next non-zero
/// activation; level 1 has one node per FanIn PEs, each further level one node per FanIn nodes
/// below, until one node (the root, feeding the CCU) remains. A PE count that is not a power
/// of FanIn leaves the last node of a level with fewer children. One PE still gets one node
/// (of one child): the tree always has at least one register stage, so its latency does not
/// change character between configurations.
/// </summary>
public sealed class LnzdTree : HardwareUnit
{
    private readonly LnzdNode[][] _nodes;
    private readonly LnzdOffer[] _scratchIn;
    private readonly bool[][] _readyBelow;

    public LnzdTree(EieConfig config) : this(config.Pes, LnzdParams.From(config)) { }

    public LnzdTree(int pes, LnzdParams parameters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pes, 1);
        Pes = pes;
        Params = parameters;
        Shape = ShapeOf(pes, parameters.FanIn);
        Node = new LnzdNode(parameters, parameters.FanIn);
        _nodes = Shape.Select(level => level.Select(n => new LnzdNode(parameters, n)).ToArray()).ToArray();
        _scratchIn = new LnzdOffer[parameters.FanIn];
        // Level 0 writes straight into the caller's span, so it needs no buffer of its own.
        _readyBelow = [[], .. Shape.SkipLast(1).Select(level => new bool[level.Count])];
    }

    public int Pes { get; }

    public LnzdParams Params { get; }

    /// <summary>The node module this tree instantiates.</summary>
    public LnzdNode Node { get; }

    /// <summary>
    /// Children of each node, level by level from the PEs up: Shape[0] are the nodes over the
    /// PEs, Shape[^1] is the root alone. 64 PEs, fan-in 4: [4 x16], [4 x4], [4].
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>> Shape { get; }

    /// <summary>Levels, which is also the latency in cycles from a PE to the CCU.</summary>
    public int LevelCount => Shape.Count;

    public IReadOnlyList<int> NodesPerLevel => Shape.Select(l => l.Count).ToArray();

    /// <summary>The tree over <paramref name="pes"/> leaves with nodes of up to <paramref name="fanIn"/> children.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> ShapeOf(int pes, int fanIn)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fanIn, 2);
        var levels = new List<IReadOnlyList<int>>();
        int below = pes;
        do
        {
            int nodes = (below + fanIn - 1) / fanIn;
            levels.Add(Enumerable.Range(0, nodes).Select(n => Math.Min(fanIn, below - n * fanIn)).ToArray());
            below = nodes;
        } while (below > 1);
        return levels;
    }

    public override string ModuleName => "eie_lnzd_tree";

    public override IReadOnlyList<HardwareUnit> Submodules => [Node];

    public override object TemplateModel
    {
        get
        {
            var p = Params;
            string V(int width) => Inv($"[{width - 1}:0]");
            var inner = Enumerable.Range(1, LevelCount - 1).Select(k => new
            {
                Valid = Inv($"l{k}_valid"),
                Ready = Inv($"l{k}_ready"),
                Act = Inv($"l{k}_act"),
                Idx = Inv($"l{k}_idx"),
                Src = Inv($"l{k}_src"),
                BitRange = V(Shape[k - 1].Count),
                ActRange = V(Shape[k - 1].Count * p.ActWidth),
                IdxRange = V(Shape[k - 1].Count * p.IdxWidth),
                SrcRange = V(Shape[k - 1].Count * p.PeWidth),
            }).ToArray();
            var instances = new List<object>();
            for (int k = 1; k <= LevelCount; k++)
            {
                var below = k == 1 ? ("valid_i", "ready_o", "act_i", "idx_i", "l0_src")
                    : ($"l{k - 1}_valid", $"l{k - 1}_ready", $"l{k - 1}_act", $"l{k - 1}_idx", $"l{k - 1}_src");
                bool root = k == LevelCount;
                int first = 0;
                for (int n = 0; n < Shape[k - 1].Count; n++)
                {
                    int children = Shape[k - 1][n];
                    instances.Add(new
                    {
                        Name = Inv($"u_l{k}_n{n}"),
                        Children = children,
                        ValidIn = below.Item1 + Bits(first, children, 1),
                        ReadyOut = below.Item2 + Bits(first, children, 1),
                        ActIn = below.Item3 + Bits(first, children, p.ActWidth),
                        IdxIn = below.Item4 + Bits(first, children, p.IdxWidth),
                        SrcIn = below.Item5 + Bits(first, children, p.PeWidth),
                        ValidOut = root ? "valid_o" : Inv($"l{k}_valid") + Bits(n, 1, 1),
                        ReadyIn = root ? "ready_i" : Inv($"l{k}_ready") + Bits(n, 1, 1),
                        ActOut = root ? "act_o" : Inv($"l{k}_act") + Bits(n, 1, p.ActWidth),
                        IdxOut = root ? "idx_o" : Inv($"l{k}_idx") + Bits(n, 1, p.IdxWidth),
                        SrcOut = root ? "src_pe_o" : Inv($"l{k}_src") + Bits(n, 1, p.PeWidth),
                    });
                    first += children;
                }
            }
            return new
            {
                SrcsRange = V(Pes * p.PeWidth),
                SrcLines = PeNumberLines(),
                BusyExpr = string.Join(" | ", inner.Select(l => "(|" + l.Valid + ")").Append("valid_o")),
                Levels = inner,
                Instances = instances,
            };
        }
    }

    public override string Doc
    {
        get
        {
            var lines = new List<string>
            {
                "eie_lnzd_tree: the leading-non-zero-detection (LNZD) tree. Each PE offers its next",
                "non-zero activation (a_j, j); every node takes its lowest-numbered valid child, so the",
                "root hands the CCU one offer per cycle, naming the PE it came from.",
                Inv($"{Pes} PEs, fan-in {Params.FanIn}: {LevelCount} levels of {string.Join(" + ", NodesPerLevel)} eie_lnzd_node instances."),
            };
            return string.Join("\n", lines);
        }
    }

    public override string PortNote => "PE p uses bit p and slice p of each vector";

    public override IReadOnlyList<Port> Ports
    {
        get
        {
            var p = Params;
            return
            [
                Port.Clock(),
                Port.Reset("empties every node"),
                Port.In("valid_i", Pes, "PE p offers (act_i, idx_i) slice p") with { IsVector = true },
                Port.Out("ready_o", Pes, "PE p's offer is taken this cycle (combinational in valid_i, ready_i)") with { IsVector = true },
                Port.In("act_i", Pes * p.ActWidth, "a_j of each PE's offer") with { IsVector = true },
                Port.In("idx_i", Pes * p.IdxWidth, "j of each PE's offer") with { IsVector = true },
                Port.Out("valid_o", 1, "the root holds an offer for the CCU"),
                Port.In("ready_i", 1, "the CCU takes it"),
                Port.Out("act_o", p.ActWidth, "a_j of that offer"),
                Port.Out("idx_o", p.IdxWidth, "j of that offer"),
                Port.Out("src_pe_o", p.PeWidth, "the PE it came from"),
                Port.Out("busy_o", 1, "some node holds an offer (the tree is not empty)"),
            ];
        }
    }

    public override IReadOnlyList<Latency> Latencies =>
    [
        new("valid_i", "valid_o", LevelCount * LnzdNode.Cycles,
            Inv($"one cycle per level ({LevelCount}): an offer taken from a PE in cycle t is at the root's output in cycle t+{LevelCount} if no level stalls; one offer per cycle")),
        new("ready_i", "ready_o", 0, "unregistered, through one AND per level"),
    ];

    /// <summary>
    /// One clock cycle: given the PEs' offers (their Src is ignored) and the CCU's ready, writes
    /// the ready each PE sees and returns the root's output during the cycle (Src = the PE);
    /// then applies the edge.
    /// </summary>
    public LnzdOffer Step(ReadOnlySpan<LnzdOffer> pes, bool readyIn, Span<bool> readyOut)
    {
        if (pes.Length != Pes || readyOut.Length != Pes)
            throw new ArgumentException($"{ModuleName} has {Pes} PEs, got {pes.Length} offers and {readyOut.Length} ready outputs");
        var rootOut = _nodes[^1][0].Output;
        // Top-down: a node reads only its children's registers, which are still this cycle's
        // values because children step after their parent.
        for (int k = LevelCount - 1; k >= 0; k--)
        {
            Span<bool> readyBelow = k == 0 ? readyOut : _readyBelow[k];
            int first = 0;
            for (int n = 0; n < _nodes[k].Length; n++)
            {
                var node = _nodes[k][n];
                var inputs = _scratchIn.AsSpan(0, node.Children);
                for (int c = 0; c < node.Children; c++)
                    inputs[c] = k == 0 ? pes[first + c] with { Src = first + c } : _nodes[k - 1][first + c].Output;
                bool ready = k == LevelCount - 1 ? readyIn : _readyBelow[k + 1][n];
                node.Step(inputs, ready, readyBelow.Slice(first, node.Children));
                first += node.Children;
            }
        }
        return rootOut;
    }

    /// <summary>Some node holds an offer: busy_o during the cycle about to be stepped.</summary>
    public bool Busy => _nodes.Any(level => level.Any(node => node.Output.Valid));

    public void Reset()
    {
        foreach (var level in _nodes)
            foreach (var node in level) node.Reset();
    }

    /// <summary>The constant PE numbers of the leaves, highest first, ten to a line.</summary>
    private string[] PeNumberLines()
    {
        var numbers = Enumerable.Range(0, Pes).Reverse().Select(pe => VerilogText.Dec(Params.PeWidth, pe)).ToArray();
        return numbers.Chunk(10).Select((chunk, i) =>
            string.Join(", ", chunk) + ((i + 1) * 10 < numbers.Length ? "," : "")).ToArray();
    }

    /// <summary>Select of slots first .. first+count-1 of a vector of width-bit slots.</summary>
    private static string Bits(int first, int count, int width) =>
        count * width == 1 ? Inv($"[{first}]") : Inv($"[{(first + count) * width - 1}:{first * width}]");

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
