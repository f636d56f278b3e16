using EieHdl.CycleModel;
using System.Runtime.CompilerServices;

namespace EieHdl.Hardware;

/// <summary>
/// One PE's timing state: its units' states, and the one payload timing depends on inside
/// the PE, the ptr read unit's response (the column's entry range).
/// </summary>
public struct PeState
{
    public ActQueueState Queue;
    public PtrReadState Ptr;
    public SpmatReadState Spmat;
    public ArithPipeState Arith;
    public ActRwState ActRw;

    /// <summary>rsp_start_o, rsp_end_o: the column [start, end) the ptr read unit holds.</summary>
    public long RspStart, RspEnd;
}

/// <summary>
/// A PE's spmat path in event form (<see cref="Pe.PushColumn"/>): the cycles from which its
/// units can take the next column, and from which the path is idle. The act queue's pop cycles
/// (ring of Depth, by push number) are held by the caller.
/// </summary>
public struct PeSpmatTimes
{
    /// <summary>The ptr read unit's req_ready_o (the act queue's pop_ready) is high from this cycle until a pop.</summary>
    public long ReqReadyFrom;

    public SpmatReadTimes Spmat;

    /// <summary>idle_o is high from this cycle until a push.</summary>
    public long IdleFrom;

    /// <summary>The ring slot of the next push's pop cycle.</summary>
    public int NextPush;

    /// <summary>After reset: every unit free, the path idle.</summary>
    public static PeSpmatTimes Reset => new() { ReqReadyFrom = -1, Spmat = SpmatReadTimes.Reset };
}

/// <summary>The constants of a PE's cycle rules.</summary>
public readonly struct PeTiming(Config.EieConfig config)
{
    public readonly int Pes = config.Pes;
    public readonly int QueueDepth = config.ActQueueDepth;
    public readonly SpmatReadTiming Spmat = new(SpmatReadParams.From(config));
    public readonly ActRwTiming ActRw = new(ActRwParams.From(config));
}

/// <summary>What the CCU drives into every PE during one cycle.</summary>
/// <param name="BcPush">bc_push: every act queue takes <paramref name="BcQ"/>.</param>
/// <param name="BcQ">The pushed entry's pointer index q = ptr_base + j (the PE adds the base on the way in).</param>
/// <param name="ScanStart">scan_start, with the layer's input length <paramref name="InLen"/>.</param>
/// <param name="WbStart">wb_start, with the layer's output length <paramref name="OutLen"/> (held before it).</param>
public readonly record struct PeControl(bool BcPush, int BcQ, bool ScanStart, long InLen, bool WbStart, long OutLen);

public sealed partial class Pe
{
    /// <summary>idle_o: act queue empty and no column or entry in flight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Idle(in PeState s) =>
        !ActQueue.PopValid(s.Queue) & !s.Ptr.RspValid & !SpmatRead.Busy(s.Spmat) & !ArithUnit.PipeBusy(s.Arith);

    /// <summary>
    /// One cycle of a PE's timing, wired as eie_pe: the spmat path (<see cref="StepSpmatPath"/>)
    /// and the act read/write unit (<see cref="StepActRw"/>), which share no register. Values are
    /// not modelled: the queue slots <paramref name="queue"/> hold pointer indices,
    /// <paramref name="pointers"/> holds the PE's ptr memory every <see cref="PeTiming.Pes"/>
    /// elements (p[q] at q * Pes), and <paramref name="acts"/> (the layer's inputs, by global j)
    /// tell which acts are non-zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StepTiming(ref PeState s, in PeTiming t, int pe, in PeControl c, bool offerReady,
        Span<int> queue, ReadOnlySpan<int> pointers, int[] acts)
    {
        StepSpmatPath(ref s, t, c.BcPush, c.BcQ, queue, pointers);
        StepActRw(ref s, t, pe, c, offerReady, acts);
    }

    /// <summary>
    /// One cycle of the spmat path: the spmat read unit's col_ready is the ptr read unit's
    /// rsp_ready, whose req_ready pops the act queue; spmat entries enter the arithmetic unit;
    /// the CCU's broadcast (<paramref name="bcPush"/>, pointer index <paramref name="bcQ"/>)
    /// reaches the act queue. Its only other input is the CCU's; its outputs are push_ready
    /// and idle.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StepSpmatPath(ref PeState s, in PeTiming t, bool bcPush, int bcQ, Span<int> queue,
        ReadOnlySpan<int> pointers)
    {
        var sp = SpmatRead.Evaluate(s.Spmat);
        bool colValid = s.Ptr.RspValid;
        bool reqValid = ActQueue.PopValid(s.Queue);
        bool reqReady = PtrRead.ReqReady(s.Ptr, sp.ColReady);
        int q = queue[s.Queue.Head];

        ArithUnit.Commit(ref s.Arith, sp.Emit, dropS1: false);
        SpmatRead.Commit(ref s.Spmat, sp, t.Spmat, colValid, s.RspStart, s.RspEnd);
        if (PtrRead.Commit(ref s.Ptr, reqValid, sp.ColReady))
        {
            s.RspStart = pointers[q * t.Pes];
            s.RspEnd = pointers[(q + 1) * t.Pes];
        }
        int at = ActQueue.Commit(ref s.Queue, t.QueueDepth, reqReady, bcPush);
        if (at >= 0) queue[at] = bcQ;
    }

    /// <summary>
    /// One cycle of the act read/write unit: the scan (its offer taken when
    /// <paramref name="offerReady"/>) and the write-back, started by the CCU's pulses.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StepActRw(ref PeState s, in PeTiming t, int pe, in PeControl c, bool offerReady, int[] acts)
    {
        bool readNonZero = s.ActRw.Inflight && acts[s.ActRw.InflightIdx] != 0;
        ActRw.CommitScan(ref s.ActRw, t.ActRw, pe, readNonZero, offerReady, c.ScanStart, c.InLen);
        ActRw.CommitWriteBack(ref s.ActRw, t.ActRw, pe, c.WbStart, c.OutLen);
    }

    /// <summary>
    /// The spmat path in event form (<see cref="PeSpmatTimes"/>): the same rules as
    /// <see cref="StepSpmatPath"/>, each unit's solved for a column pushed in cycle
    /// <paramref name="pushCycle"/>, whose ptr read returns entries [<paramref name="start"/>,
    /// <paramref name="end"/>) (the PE's p[q], p[q+1]). The act queue pops it once the ptr read
    /// unit's req_ready is high, which the column register's col_ready decides, and the spmat
    /// read unit streams it into the arithmetic unit. A column's times depend only on the columns
    /// pushed before it and its push, so they are decided at the push. Returns the first cycle
    /// from which the act queue has room again (push_ready). O(words of the column).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long PushColumn(ref PeState s, ref PeSpmatTimes t, in PeTiming timing, long pushCycle,
        long start, long end, Span<long> popCycles)
    {
        long pop = ActQueue.PopCycle(ref s.Queue, pushCycle, t.ReqReadyFrom);
        long colIn = PtrRead.ResponseTaken(ref s.Ptr, pop, t.Spmat.ColReadyFrom);
        t.ReqReadyFrom = colIn;
        SpmatRead.TakeColumn(ref s.Spmat, ref t.Spmat, timing.Spmat, colIn, start, end);
        ArithUnit.Take(ref s.Arith, end - start);
        // Idle once the response is taken and the last entry has left the arithmetic unit.
        t.IdleFrom = CycleTime.Later(colIn + 1, ArithUnit.EmptyFrom(t.Spmat.End1));
        popCycles[t.NextPush] = pop;
        t.NextPush = t.NextPush + 1 == popCycles.Length ? 0 : t.NextPush + 1;
        return ActQueue.PushReadyFrom(popCycles, t.NextPush);
    }
}
