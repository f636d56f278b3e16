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
    /// Cycles, from now, in which the spmat path with no push changes only by its emitter
    /// streaming the head slot's entries into the arithmetic unit: the ptr read unit holds
    /// (no pop) and the spmat read unit neither fetches nor moves a column. 0 when more happens
    /// this cycle; int.MaxValue when nothing changes but the arithmetic unit's drain.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int StreamOnlyCycles(in PeState s)
    {
        var sp = SpmatRead.Evaluate(s.Spmat);
        if (!PtrRead.Holds(s.Ptr, ActQueue.PopValid(s.Queue), sp.ColReady)) return 0;
        return SpmatRead.EmitOnlyCycles(s.Spmat, s.Ptr.RspValid, s.RspStart, s.RspEnd);
    }

    /// <summary>
    /// <paramref name="cycles"/> cycles of the spmat path with no push, the cycles in which it
    /// only streams (<see cref="StreamOnlyCycles"/>) taken together.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AdvanceSpmatPath(ref PeState s, in PeTiming t, long cycles, Span<int> queue,
        ReadOnlySpan<int> pointers)
    {
        while (cycles > 0) cycles -= StepOrStream(ref s, t, cycles, queue, pointers);
    }

    /// <summary>
    /// Steps the spmat path with no push until its act queue has room (push_ready); returns the
    /// cycles stepped. Only a pop makes room, so no push can reach the PE in between.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static long StepsToRoom(ref PeState s, in PeTiming t, Span<int> queue, ReadOnlySpan<int> pointers)
    {
        long n = 0;
        while (!ActQueue.PushReady(s.Queue, t.QueueDepth)) n += StepOrStream(ref s, t, long.MaxValue, queue, pointers);
        return n;
    }

    /// <summary>One step of the spmat path, or its streaming cycles (at most <paramref name="limit"/>) together; returns the cycles taken.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int StepOrStream(ref PeState s, in PeTiming t, long limit, Span<int> queue, ReadOnlySpan<int> pointers)
    {
        int stream = StreamOnlyCycles(s);
        if (stream == 0)
        {
            StepSpmatPath(ref s, t, false, 0, queue, pointers);
            return 1;
        }
        if (stream == int.MaxValue && limit > int.MaxValue)
            throw new InvalidOperationException("a PE's spmat path waits for a push that cannot come");
        int k = (int)Math.Min(stream, limit);
        Stream(ref s, k);
        return k;
    }

    /// <summary><paramref name="cycles"/> cycles (at most <see cref="StreamOnlyCycles"/>) in which only the emitter and the arithmetic unit move.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Stream(ref PeState s, int cycles)
    {
        bool emit = SpmatRead.Evaluate(s.Spmat).Emit;
        if (emit) SpmatRead.Emit(ref s.Spmat, cycles);
        // An empty pipeline with nothing entering stays empty.
        for (int k = 0; k < cycles && (emit || ArithUnit.PipeBusy(s.Arith)); k++)
            ArithUnit.Commit(ref s.Arith, emit, dropS1: false);
    }
}
