using System.Globalization;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>Shape of a PE's act queue, read from the config.</summary>
/// <param name="Depth">Entries; any value from 1 up (not only powers of two).</param>
/// <param name="ActWidth">Bits of an activation a_j.</param>
/// <param name="IdxWidth">Bits of a column index j; a layer's j is below PtrDepth.</param>
public sealed record ActQueueParams(int Depth, int ActWidth, int IdxWidth)
{
    public static ActQueueParams From(EieConfig config) =>
        new(config.ActQueueDepth, config.ActWidth, config.IdxWidth);

    /// <summary>Bits of a read or write pointer (0 .. Depth-1).</summary>
    public int PtrWidth => VerilogText.IndexBits(Depth);

    /// <summary>Bits of the occupancy count (0 .. Depth).</summary>
    public int CountWidth => VerilogText.IndexBits(Depth + 1L);
}

/// <summary>Values on the act queue's inputs during one cycle; act is the raw ActWidth-bit word.</summary>
public readonly record struct ActQueueInputs(bool PushValid, uint PushAct, int PushIdx, bool PopReady);

/// <summary>Values on the act queue's outputs during one cycle; PopAct and PopIdx matter only with PopValid.</summary>
public readonly record struct ActQueueOutputs(bool PushReady, bool PopValid, uint PopAct, int PopIdx);

/// <summary>
/// <c>eie_act_queue</c>: a PE's act queue, the FIFO of (a_j, j) pairs that decouples the CCU's
/// broadcast from the PE's own pace. Entries are flip-flops: the queue is small and read
/// asynchronously, so a RAM would cost more than it saves. push_ready_o depends only on the
/// count register, never on pop_ready_i: the CCU ANDs all PEs' push_ready_o into the broadcast
/// stall, and a path through every PE's pop logic would lengthen that wide AND.
/// </summary>
public sealed partial class ActQueue : HardwareUnit
{
    private ActQueueState _state;
    private readonly (uint Act, int Idx)[] _entries;

    public ActQueue(EieConfig config) : this(ActQueueParams.From(config)) { }

    public ActQueue(ActQueueParams parameters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parameters.Depth, 1);
        Params = parameters;
        _entries = new (uint, int)[parameters.Depth];
    }

    public ActQueueParams Params { get; }

    public override string ModuleName => "eie_act_queue";

    public override object TemplateModel
    {
        get
        {
            var p = Params;
            return new
            {
                p.Depth,
                ActRange = VerilogText.Range(p.ActWidth),
                IdxRange = VerilogText.Range(p.IdxWidth),
                PtrRange = VerilogText.Range(p.PtrWidth),
                CountRange = VerilogText.Range(p.CountWidth),
                PtrZero = VerilogText.Dec(p.PtrWidth, 0),
                PtrOne = VerilogText.Dec(p.PtrWidth, 1),
                PtrLast = VerilogText.Dec(p.PtrWidth, p.Depth - 1),
                CountZero = VerilogText.Dec(p.CountWidth, 0),
                CountOne = VerilogText.Dec(p.CountWidth, 1),
                CountFull = VerilogText.Dec(p.CountWidth, p.Depth),
            };
        }
    }

    public override string Doc => string.Join("\n",
    [
        "eie_act_queue: a PE's act queue, a FIFO of (a_j, j) pairs broadcast by the CCU.",
        string.Create(CultureInfo.InvariantCulture,
            $"Depth {Params.Depth} entries of flip-flops; a_j {Params.ActWidth} bits, j {Params.IdxWidth} bits."),
    ]);

    public override IReadOnlyList<Port> Ports =>
    [
        Port.Clock(),
        Port.Reset("empties the queue"),
        Port.In("push_valid_i", 1, "the CCU offers (push_act_i, push_idx_i)"),
        Port.Out("push_ready_o", 1, "queue not full; depends on the count register only"),
        Port.In("push_act_i", Params.ActWidth, "a_j, the broadcast activation"),
        Port.In("push_idx_i", Params.IdxWidth, "j, its column index"),
        Port.Out("pop_valid_o", 1, "queue not empty; pop_act_o and pop_idx_o hold the oldest entry"),
        Port.In("pop_ready_i", 1, "the PE takes the oldest entry"),
        Port.Out("pop_act_o", Params.ActWidth, "a_j of the oldest entry (stale when pop_valid_o is low)"),
        Port.Out("pop_idx_o", Params.IdxWidth, "j of the oldest entry (stale when pop_valid_o is low)"),
    ];

    /// <summary>Cycles from a push to the entry at the pop port.</summary>
    public const int PushToPop = 1;

    public override IReadOnlyList<Latency> Latencies =>
    [
        new("push_valid_i", "pop_valid_o", PushToPop, "an entry pushed in cycle t is at the pop port in cycle t+1 (no fall-through)"),
    ];

    public override string LatencyNote => string.Join("\n",
    [
        "A full queue refuses a push even in a cycle in which it pops: push_ready_o does not look",
        "at pop_ready_i, which keeps the broadcast stall path short. Depth 1 therefore accepts at",
        "most one push every other cycle.",
    ]);

    /// <summary>One clock cycle: returns the outputs seen during the cycle, then applies the edge.</summary>
    public ActQueueOutputs Step(ActQueueInputs inputs)
    {
        int depth = Params.Depth;
        bool popValid = PopValid(_state);
        var head = popValid ? _entries[_state.Head] : default;
        var seen = new ActQueueOutputs(PushReady(_state, depth), popValid, head.Act, head.Idx);
        int at = Commit(ref _state, depth, inputs.PopReady, inputs.PushValid);
        if (at >= 0) _entries[at] = (inputs.PushAct & Mask(Params.ActWidth), inputs.PushIdx & (int)Mask(Params.IdxWidth));
        return seen;
    }

    /// <summary>Entries held now.</summary>
    public int Count => _state.Count;

    /// <summary>The queue's registers and event counts.</summary>
    public ActQueueState State => _state;

    public void Reset() => _state = _state with { Head = 0, Count = 0 };

    private static uint Mask(int width) => width >= 32 ? uint.MaxValue : (1u << width) - 1;
}
