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
    /// One cycle of a PE's timing, wired as eie_pe: the spmat read unit's col_ready is the ptr
    /// read unit's rsp_ready, whose req_ready pops the act queue; spmat entries enter the
    /// arithmetic unit; the act read/write unit scans (its offer taken when
    /// <paramref name="offerReady"/>) and writes back. Values are not modelled: the queue slots
    /// <paramref name="queue"/> hold pointer indices, <paramref name="pointers"/> holds the PE's
    /// ptr memory every <see cref="PeTiming.Pes"/> elements (p[q] at q * Pes), and <paramref name="acts"/> (the layer's inputs, by global j) tell which
    /// acts are non-zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StepTiming(ref PeState s, in PeTiming t, int pe, in PeControl c, bool offerReady,
        Span<int> queue, ReadOnlySpan<int> pointers, int[] acts)
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
        int at = ActQueue.Commit(ref s.Queue, t.QueueDepth, reqReady, c.BcPush);
        if (at >= 0) queue[at] = c.BcQ;

        bool readNonZero = s.ActRw.Inflight && acts[s.ActRw.InflightIdx] != 0;
        ActRw.CommitScan(ref s.ActRw, t.ActRw, pe, readNonZero, offerReady, c.ScanStart, c.InLen);
        ActRw.CommitWriteBack(ref s.ActRw, t.ActRw, pe, c.WbStart, c.OutLen);
    }
}
