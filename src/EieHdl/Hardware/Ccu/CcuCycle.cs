using System.Runtime.CompilerServices;

namespace EieHdl.Hardware;

/// <summary>The CCU's sequencer state (eie_ccu's state_q), one per phase of a layer.</summary>
public enum CcuPhase
{
    /// <summary>I/O mode: the host loads and reads; a start leaves it.</summary>
    Idle = 0,

    /// <summary>Codebook stream: CodebookSize + 1 cycles, accumulators cleared in the first, scans started in the last.</summary>
    Cb = 1,

    /// <summary>Broadcast of the LNZD tree's offers until every scan is done and the tree is empty.</summary>
    Scan = 2,

    /// <summary>One broadcast of the bias column.</summary>
    Bias = 3,

    /// <summary>Until the broadcast buffer is empty and every PE is idle.</summary>
    Drain = 4,

    /// <summary>Write-back of every PE's rows.</summary>
    Wb = 5,
}

/// <summary>
/// The CCU sequencer's registers that timing depends on: phase, guard, codebook counter,
/// layer, the two-entry broadcast buffer (its column indices; entry 0 is broadcast), the
/// input registers of the PEs' flags, the cycle counter, and the events it counts. Host
/// registers, the layer table and the broadcast acts live with whoever models them.
/// </summary>
public struct CcuState
{
    public CcuPhase Phase;
    public int Guard, CbK, Layer;
    public int BcCount, BcIdx0, BcIdx1;

    /// <summary>The PEs' flags as the CCU's input registers see them (a cycle late), and a broadcast of the last cycle.</summary>
    public bool AllScanDoneQ, AllIdleQ, AllWbDoneQ, BcFiredQ;

    /// <summary>The cycle counter: every cycle from the start to done.</summary>
    public long Cycles;

    /// <summary>Events: cycles per phase group; broadcast cycles held by a full act queue; broadcasts; codebook memory reads.</summary>
    public long CbCycles, ComputeCycles, WbCycles, Stalls, Broadcasts, CodebookReads;

    /// <summary>The state after reset (every PE flag high, as the PEs report after reset).</summary>
    public static CcuState Reset => new() { AllScanDoneQ = true, AllIdleQ = true, AllWbDoneQ = true };
}

/// <summary>What the CCU sees of the rest of the chip during one cycle.</summary>
/// <param name="TreeValid">The LNZD tree's root offers.</param>
/// <param name="TreeBusy">Some LNZD node holds an offer.</param>
/// <param name="AllReady">Every act queue has room.</param>
/// <param name="HasBias">The current layer has a bias column.</param>
public readonly record struct CcuSense(bool TreeValid, bool TreeBusy, bool AllReady, bool HasBias);

/// <summary>The CCU sequencer's combinational signals of one cycle.</summary>
public readonly struct CcuSignals
{
    /// <summary>tree_ready_o: scanning and the broadcast buffer has room.</summary>
    public readonly bool TreeReady;

    /// <summary>The root's offer enters the broadcast buffer.</summary>
    public readonly bool TakeTree;

    /// <summary>The bias column enters the broadcast buffer.</summary>
    public readonly bool TakeBias;

    /// <summary>bc_push_o: the buffer's head goes to every act queue (all have room).</summary>
    public readonly bool BcPush;

    /// <summary>A broadcast is held because some act queue is full.</summary>
    public readonly bool Stall;

    /// <summary>cb_we of the next cycle: this cycle reads a codebook entry.</summary>
    public readonly bool CbStream;

    /// <summary>acc_clear_o and scan_start_o: the first and last cycle of the codebook stream.</summary>
    public readonly bool AccClear, ScanStart;

    /// <summary>The scan phase is over (guard passed, every scan done, the tree empty).</summary>
    public readonly bool ScanOver;

    /// <summary>The drain is over (broadcast buffer empty, no broadcast last cycle, every PE idle).</summary>
    public readonly bool DrainOver;

    /// <summary>wb_start_o.</summary>
    public readonly bool WbStart;

    /// <summary>The write-back is over: the layer ends with this cycle.</summary>
    public readonly bool LayerEnd;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public CcuSignals(in CcuState s, int codebookSize, in CcuSense i)
    {
        bool bcValid = s.BcCount != 0, bcFree = s.BcCount != 2;
        TreeReady = s.Phase == CcuPhase.Scan && bcFree;
        TakeTree = i.TreeValid && TreeReady;
        TakeBias = s.Phase == CcuPhase.Bias && bcFree;
        BcPush = bcValid && i.AllReady;
        Stall = bcValid && !i.AllReady;
        CbStream = s.Phase == CcuPhase.Cb && s.CbK != codebookSize;
        AccClear = s.Phase == CcuPhase.Cb && s.CbK == 0;
        ScanStart = s.Phase == CcuPhase.Cb && s.CbK == codebookSize;
        ScanOver = s.Guard == 2 && s.AllScanDoneQ && !i.TreeBusy;
        DrainOver = !bcValid && !s.BcFiredQ && s.AllIdleQ;
        WbStart = s.Phase == CcuPhase.Drain && DrainOver;
        LayerEnd = s.Phase == CcuPhase.Wb && s.Guard == 2 && s.AllWbDoneQ;
    }
}

public sealed partial class Ccu
{
    /// <summary>The sequencer's combinational signals, from its registers and what it senses.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CcuSignals Evaluate(in CcuState s, int codebookSize, in CcuSense i) => new(s, codebookSize, i);

    /// <summary>
    /// The sequencer's clock edge: the broadcast buffer (the head leaves on a push, the tree's
    /// offer or the bias column <paramref name="biasIdx"/> enters), the cycle counter, the
    /// guard, and the phase; a start (<paramref name="start"/>, from start_q) leaves Idle.
    /// The PEs' flags are registered for the next cycle. Returns the buffer entry that took an
    /// offer, or -1 (the caller shifts its payload towards entry 0 on a push).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Commit(ref CcuState s, in CcuSignals g, int codebookSize, bool start, bool hasBias, bool lastLayer,
        int treeIdx, int biasIdx, bool allScanDone, bool allIdle, bool allWbDone)
    {
        int at = -1;
        int wrPos = s.BcCount - (g.BcPush ? 1 : 0);
        if (g.BcPush) { s.BcIdx0 = s.BcIdx1; s.Broadcasts++; }
        if (g.Stall) s.Stalls++;
        if (g.TakeTree || g.TakeBias)
        {
            int idx = g.TakeTree ? treeIdx : biasIdx;
            if (wrPos == 0) s.BcIdx0 = idx; else s.BcIdx1 = idx;
            at = wrPos;
        }
        s.BcCount = wrPos + (at >= 0 ? 1 : 0);
        if (g.CbStream) s.CodebookReads++;
        if (s.Phase != CcuPhase.Idle) s.Cycles++;
        if (s.Guard != 2) s.Guard++;
        switch (s.Phase)
        {
            case CcuPhase.Idle when start:
                s.Phase = CcuPhase.Cb; s.Layer = 0; s.Cycles = 0; s.CbK = 0;
                break;
            case CcuPhase.Cb:
                s.CbCycles++;
                if (s.CbK == codebookSize) { s.Phase = CcuPhase.Scan; s.Guard = 0; }
                else s.CbK++;
                break;
            case CcuPhase.Scan:
                s.ComputeCycles++;
                if (g.ScanOver) s.Phase = hasBias ? CcuPhase.Bias : CcuPhase.Drain;
                break;
            case CcuPhase.Bias:
                s.ComputeCycles++;
                if (g.TakeBias) s.Phase = CcuPhase.Drain;
                break;
            case CcuPhase.Drain:
                s.ComputeCycles++;
                if (g.DrainOver) { s.Phase = CcuPhase.Wb; s.Guard = 0; }
                break;
            case CcuPhase.Wb:
                s.WbCycles++;
                if (g.LayerEnd)
                {
                    s.CbK = 0;
                    if (lastLayer) s.Phase = CcuPhase.Idle;
                    else { s.Phase = CcuPhase.Cb; s.Layer++; }
                }
                break;
        }
        s.AllScanDoneQ = allScanDone; s.AllIdleQ = allIdle; s.AllWbDoneQ = allWbDone; s.BcFiredQ = g.BcPush;
        return at;
    }

    /// <summary>
    /// The edge from <paramref name="before"/> to <paramref name="after"/> broadcast nothing and
    /// changed only the counters (cycle counter, phase cycles, stalls): with the same inputs, the
    /// next cycle's signals and edge are this one's again.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Holds(in CcuState before, in CcuState after) =>
        !after.BcFiredQ & before.Phase == after.Phase & before.Guard == after.Guard & before.CbK == after.CbK & before.Layer == after.Layer
        & before.BcCount == after.BcCount & before.BcIdx0 == after.BcIdx0 & before.BcIdx1 == after.BcIdx1
        & before.AllScanDoneQ == after.AllScanDoneQ & before.AllIdleQ == after.AllIdleQ
        & before.AllWbDoneQ == after.AllWbDoneQ & before.BcFiredQ == after.BcFiredQ;

    /// <summary>
    /// <paramref name="cycles"/> more cycles with the signals <paramref name="g"/> of a cycle that
    /// <see cref="Holds"/>: only the counters move (no broadcast, buffer entry or codebook read).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Repeat(ref CcuState s, in CcuSignals g, long cycles)
    {
        s.Cycles += cycles;
        if (g.Stall) s.Stalls += cycles;
        switch (s.Phase)
        {
            case CcuPhase.Cb: s.CbCycles += cycles; break;
            case CcuPhase.Scan or CcuPhase.Bias or CcuPhase.Drain: s.ComputeCycles += cycles; break;
            case CcuPhase.Wb: s.WbCycles += cycles; break;
        }
    }
}
