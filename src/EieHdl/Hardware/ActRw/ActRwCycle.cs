using System.Runtime.CompilerServices;

namespace EieHdl.Hardware;

/// <summary>The offer buffer's column indices j, entry 0 at the offer port.</summary>
[InlineArray(ActRwParams.BufferDepth)]
public struct ActRwOfferIdx
{
    private int _element0;
}

/// <summary>
/// The act read/write unit's registers that timing depends on: the scan (next global index
/// and local address, the read in flight), the offer buffer's fill and indices, and the
/// write-back counters, with the events it counts. Act values (SRAM halves, the offered acts,
/// the re-quantised write data) live with whoever models them.
/// </summary>
public struct ActRwState
{
    public bool ScanOn, Inflight;
    public int ScanAddr, InflightIdx;
    public long ScanJ, InLen;

    /// <summary>Offers held in the buffer and their j.</summary>
    public int BufCnt;
    public ActRwOfferIdx BufIdx;

    /// <summary>Write-back: reading row WbRow (acc_rd_en_o); rows in the accumulator read and requantise stages.</summary>
    public bool WbOn, WbAny, WbV1, WbV2;
    public int WbRow, WbRow1, WbRow2;
    public long WbJ, OutLen;

    /// <summary>Events: act SRAM reads (scan) and writes (write-back); offers pushed into the buffer.</summary>
    public long ActReads, ActWrites, Offers;
}

/// <summary>The constants of the act read/write unit's cycle rules, from <see cref="ActRwParams"/>.</summary>
public readonly struct ActRwTiming(ActRwParams p)
{
    public readonly int Pes = p.Pes;
    public readonly long JMask = (1L << p.JWidth) - 1;
    public readonly long LenMask = (1L << p.LenWidth) - 1;
    public readonly int HalfMask = (1 << p.HalfAddrWidth) - 1;
    public readonly int IdxMask = p.IdxWidth >= 31 ? int.MaxValue : (1 << p.IdxWidth) - 1;
}

public sealed partial class ActRw
{
    /// <summary>
    /// The scan issues a read of the source half: the scan is on and the buffer has room for
    /// the reads in flight and this one (BufferDepth entries). From registers only.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ScanIssue(in ActRwState s) =>
        s.ScanOn && s.BufCnt + (s.Inflight ? 1 : 0) <= ActRwParams.BufferDepth - 1;

    /// <summary>offer_valid_o; the offer's j is <c>BufIdx[0]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool OfferValid(in ActRwState s) => s.BufCnt != 0;

    /// <summary>scan_done_o: no read left, none in flight, the buffer empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ScanDone(in ActRwState s) => !s.ScanOn & !s.Inflight & s.BufCnt == 0;

    /// <summary>wb_done_o: no row left to read, requantise or write.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool WbDone(in ActRwState s) => !s.WbOn & !s.WbV1 & !s.WbV2;

    /// <summary>
    /// The unit's edges (<see cref="CommitScan"/>, <see cref="CommitWriteBack"/>) change nothing:
    /// no offer taken, no start pulse, no read issued or in flight, no write-back row in any
    /// stage, and the idle write-back's counters already preloaded from this
    /// <paramref name="outLen"/> (a finished write-back preloads in the two cycles its last
    /// row takes to be written, so matching out_len means matching counters).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Holds(in ActRwState s, in ActRwTiming t, bool offerReady, bool scanStart, bool wbStart, long outLen) =>
        !offerReady & !scanStart & !wbStart & !s.Inflight & (!s.ScanOn | s.BufCnt == ActRwParams.BufferDepth)
        & !s.WbOn & !s.WbV1 & !s.WbV2 & s.OutLen == (outLen & t.LenMask);

    /// <summary>
    /// The scan's edge: the taken offer leaves, the act read last cycle enters the buffer if
    /// <paramref name="readNonZero"/>, a read is issued when <see cref="ScanIssue"/>, a start
    /// pulse restarts the scan at j = pe. Returns the buffer entry the read act goes to, or -1
    /// (the caller shifts its payload one entry towards the port when the offer was taken).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CommitScan(ref ActRwState s, in ActRwTiming t, int pe, bool readNonZero, bool offerReady,
        bool scanStart, long inLen)
    {
        int cnt = s.BufCnt;
        bool scanIssue = s.ScanOn && cnt + (s.Inflight ? 1 : 0) <= ActRwParams.BufferDepth - 1;
        bool push = s.Inflight && readNonZero;
        bool pop = cnt != 0 && offerReady;
        int at = -1;
        if (pop)
        {
            for (int k = 0; k < ActRwParams.BufferDepth - 1; k++) s.BufIdx[k] = s.BufIdx[k + 1];
            cnt--;
        }
        if (push)
        {
            at = cnt;
            s.BufIdx[cnt++] = s.InflightIdx;
            s.Offers++;
        }
        s.BufCnt = cnt;
        if (scanIssue)
        {
            s.InflightIdx = (int)s.ScanJ & t.IdxMask;
            s.ActReads++;
        }
        s.Inflight = scanIssue;
        if (scanStart)
        {
            s.InLen = inLen & t.LenMask;
            s.ScanOn = pe < s.InLen;
            s.ScanAddr = 0;
            s.ScanJ = pe;
        }
        else if (scanIssue)
        {
            long next = (s.ScanJ + t.Pes) & t.JMask;
            s.ScanOn = next < s.InLen;
            s.ScanAddr = (s.ScanAddr + 1) & t.HalfMask;
            s.ScanJ = next;
        }
        return at;
    }

    /// <summary>
    /// The write-back's edge: a row is read, then requantised, then written, one row per cycle.
    /// While idle the counters preload from out_len_i (held from the cycle before wb_start_i),
    /// so only wb_on depends on the late wb_start_i.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CommitWriteBack(ref ActRwState s, in ActRwTiming t, int pe, bool wbStart, long outLen)
    {
        if (s.WbV2) s.ActWrites++;
        s.WbV2 = s.WbV1;
        s.WbRow2 = s.WbRow1;
        s.WbV1 = s.WbOn;
        s.WbRow1 = s.WbRow;
        if (s.WbOn)
        {
            long next = (s.WbJ + t.Pes) & t.JMask;
            s.WbOn = next < s.OutLen;
            s.WbRow = (s.WbRow + 1) & t.HalfMask;
            s.WbJ = next;
        }
        else
        {
            s.WbOn = wbStart && s.WbAny;
            s.OutLen = outLen & t.LenMask;
            s.WbAny = pe < s.OutLen;
            s.WbRow = 0;
            s.WbJ = pe;
        }
    }
}
