using EieHdl.CycleModel;
using System.Runtime.CompilerServices;

namespace EieHdl.Hardware;

/// <summary>
/// The act queue's registers that timing depends on: where the oldest entry is and how many
/// are held. The entries themselves live with whoever models their payload (a ring of Depth
/// slots indexed from <see cref="Head"/>), and the events it counts.
/// </summary>
public struct ActQueueState
{
    /// <summary>Slot of the oldest entry.</summary>
    public int Head;

    /// <summary>Entries held.</summary>
    public int Count;

    /// <summary>Events: entries pushed, entries popped.</summary>
    public long Pushes, Pops;
}

public sealed partial class ActQueue
{
    /// <summary>push_ready_o: from the count register only, never from pop_ready_i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool PushReady(in ActQueueState s, int depth) => s.Count < depth;

    /// <summary>pop_valid_o: the queue holds an entry (its oldest, at slot <see cref="ActQueueState.Head"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool PopValid(in ActQueueState s) => s.Count != 0;

    /// <summary>
    /// The clock edge: pops the oldest entry if valid and taken, pushes if offered and not
    /// full (as seen before the edge). Returns the slot the pushed entry goes to, or -1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Commit(ref ActQueueState s, int depth, bool popReady, bool pushValid)
    {
        bool push = pushValid && s.Count < depth;
        if (popReady && s.Count != 0)
        {
            s.Head = s.Head + 1 == depth ? 0 : s.Head + 1;
            s.Count--;
            s.Pops++;
        }
        if (!push) return -1;
        int at = s.Head + s.Count;
        if (at >= depth) at -= depth;
        s.Count++;
        s.Pushes++;
        return at;
    }

    /// <summary>
    /// The queue in event form, for an entry pushed in cycle <paramref name="pushCycle"/>: it is
    /// popped in the first cycle after the push in which pop_ready_i is high, which it is from
    /// <paramref name="popReadyFrom"/> until a pop (entries leave in push order). Counts the push
    /// and the pop; returns the pop's cycle.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long PopCycle(ref ActQueueState s, long pushCycle, long popReadyFrom)
    {
        s.Pushes++;
        s.Pops++;
        return CycleTime.Later(pushCycle + 1, popReadyFrom);
    }

    /// <summary>
    /// push_ready_o in event form: after a push, the queue has room again from the cycle after the
    /// pop of the entry <c>depth - 1</c> pushes back (the pop that leaves <c>depth - 1</c> entries).
    /// <paramref name="popCycles"/> holds the pop cycles of the last <c>depth</c> pushes by push
    /// number modulo depth (-1 for none), <paramref name="next"/> the slot of the next push.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long PushReadyFrom(ReadOnlySpan<long> popCycles, int next) => popCycles[next] + 1;
}
