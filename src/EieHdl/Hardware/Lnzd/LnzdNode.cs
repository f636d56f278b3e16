using System.Globalization;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>
/// A (valid, a_j, j, source PE) bundle on one LNZD link: what a PE offers, or what a node holds
/// in its output register. Act is the raw ActWidth-bit word.
/// </summary>
public readonly record struct LnzdOffer(bool Valid, uint Act, int Idx, int Src);

/// <summary>Widths of the LNZD links, read from the config; shared by the nodes and the tree.</summary>
/// <param name="FanIn">Most children of one node (the paper's 4).</param>
/// <param name="ActWidth">Bits of a_j.</param>
/// <param name="IdxWidth">Bits of j; a layer's j is below PtrDepth.</param>
/// <param name="PeWidth">Bits of a PE number.</param>
public sealed record LnzdParams(int FanIn, int ActWidth, int IdxWidth, int PeWidth)
{
    public static LnzdParams From(EieConfig config) => new(
        config.LnzdFanIn,
        config.ActWidth,
        config.IdxWidth,
        config.PeWidth);
}

/// <summary>
/// <c>eie_lnzd_node</c>: one leading-non-zero-detection node. Of its children's offers it takes
/// the lowest-numbered valid one into a registered output stage. Lowest-numbered, not
/// round-robin: the CCU must see every non-zero of the layer anyway, and a fixed priority keeps
/// the node a plain priority mux. The number of children is the Verilog parameter Children
/// (1 .. FanIn), because the last node of a tree level may have fewer children than the rest.
/// The behavioural model is one node with a given number of children.
/// </summary>
public sealed partial class LnzdNode : HardwareUnit
{
    private LnzdNodeState _state;
    private LnzdOffer _out;

    /// <summary>The module, its Children parameter defaulting to the config's fan-in.</summary>
    public LnzdNode(EieConfig config) : this(LnzdParams.From(config), config.LnzdFanIn) { }

    public LnzdNode(LnzdParams parameters, int children)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(children, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(children, parameters.FanIn);
        Params = parameters;
        Children = children;
    }

    public LnzdParams Params { get; }

    public int Children { get; }

    /// <summary>The output register: what valid_o, act_o, idx_o, src_o show this cycle.</summary>
    public LnzdOffer Output => _out;

    public override string ModuleName => "eie_lnzd_node";

    public override object TemplateModel
    {
        get
        {
            var p = Params;
            return new
            {
                Children,
                p.ActWidth,
                p.IdxWidth,
                p.PeWidth,
                ActRange = VerilogText.Range(p.ActWidth),
                IdxRange = VerilogText.Range(p.IdxWidth),
                SrcRange = VerilogText.Range(p.PeWidth),
                ActZero = VerilogText.Dec(p.ActWidth, 0),
                IdxZero = VerilogText.Dec(p.IdxWidth, 0),
                SrcZero = VerilogText.Dec(p.PeWidth, 0),
            };
        }
    }

    public override string Doc => string.Join("\n",
    [
        "eie_lnzd_node: one node of the leading-non-zero-detection (LNZD) tree. Takes the",
        "lowest-numbered valid child offer into its output register, with valid/ready on both sides.",
        string.Create(CultureInfo.InvariantCulture,
            $"Parameter Children: 1 .. {Params.FanIn} (the config's fan-in); a_j {Params.ActWidth} bits, "
            + $"j {Params.IdxWidth} bits, PE {Params.PeWidth} bits."),
    ]);

    public override IReadOnlyList<ModuleParameter> Parameters =>
        [new("Children", Children.ToString(CultureInfo.InvariantCulture))];

    public override string PortNote => "child c uses bit c and slice c of each vector";

    public override IReadOnlyList<Port> Ports
    {
        get
        {
            var p = Params;
            // One flag per child, or one width-bit slice per child.
            Port PerChild(string name, PortDir direction, int? width, string meaning) =>
                new(name, direction, Children * (width ?? 1), meaning)
                {
                    WidthExpression = width is null ? "Children" : string.Create(CultureInfo.InvariantCulture, $"Children*{width}"),
                };
            return
            [
                Port.Clock(),
                Port.Reset("empties the output register"),
                PerChild("valid_i", PortDir.In, null, "child c offers (act_i, idx_i, src_i) slice c"),
                PerChild("ready_o", PortDir.Out, null, "child c's offer is taken this cycle: it is the lowest valid one and the output register is empty or being emptied; combinational in valid_i and ready_i"),
                PerChild("act_i", PortDir.In, p.ActWidth, "a_j of each child's offer"),
                PerChild("idx_i", PortDir.In, p.IdxWidth, "j of each child's offer"),
                PerChild("src_i", PortDir.In, p.PeWidth, "the PE each child's offer came from"),
                Port.Out("valid_o", 1, "the output register holds an offer"),
                Port.In("ready_i", 1, "the parent takes the output register's offer"),
                Port.Out("act_o", p.ActWidth, "a_j of the held offer"),
                Port.Out("idx_o", p.IdxWidth, "j of the held offer"),
                Port.Out("src_o", p.PeWidth, "the PE of the held offer"),
            ];
        }
    }

    /// <summary>Cycles through one node.</summary>
    public const int Cycles = 1;

    public override IReadOnlyList<Latency> Latencies =>
    [
        new("valid_i", "valid_o", Cycles, "an offer taken in cycle t is at the output in cycle t+1; with ready_i high the node passes one offer per cycle"),
    ];

    /// <summary>
    /// One clock cycle: given the children's offers and the parent's ready, writes the ready
    /// each child sees and returns the output register as seen during the cycle; then applies
    /// the edge. The Src of each input is carried through, not computed.
    /// </summary>
    public LnzdOffer Step(ReadOnlySpan<LnzdOffer> inputs, bool readyIn, Span<bool> readyOut)
    {
        if (inputs.Length != Children || readyOut.Length != Children)
            throw new ArgumentException(
                $"{ModuleName} has {Children} children, got {inputs.Length} inputs and {readyOut.Length} ready outputs");
        var seen = _out;
        uint childValid = 0;
        for (int c = 0; c < Children; c++)
        {
            readyOut[c] = false;
            if (inputs[c].Valid) childValid |= 1u << c;
        }
        int winner = Grant(_state, readyIn, childValid, out bool accept);
        if (Commit(ref _state, accept, winner, winner >= 0 ? inputs[winner].Idx : 0))
        {
            readyOut[winner] = true;
            _out = inputs[winner];
        }
        else if (accept)
        {
            _out = _out with { Valid = false };
        }
        return seen;
    }

    /// <summary>The output register's timing view and the grants counted.</summary>
    public LnzdNodeState State => _state;

    public void Reset()
    {
        _out = default;
        _state = _state with { Valid = false };
    }
}
