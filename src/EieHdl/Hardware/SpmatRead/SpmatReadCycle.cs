using EieHdl.CycleModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EieHdl.Hardware;

/// <summary>
/// The spmat read unit's registers that timing depends on: the column register (an entry
/// range), the fetcher (word to read next, where its column ends) and the two word slots
/// (entries left to emit, 0 = free), and the events it counts. Entry payloads (the words,
/// acts, first flags) live with whoever models them.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct SpmatReadState
{
    /// <summary>Column register: valid, and the column's entry addresses [BStart, BEnd).</summary>
    public bool BValid;
    public long BStart, BEnd;

    /// <summary>Fetcher: holds a column; word to read next, lane of its first entry; the column's last word and lane.</summary>
    public bool FValid;
    public long FWord, FLastWord;
    public int FLo, FLastLane;

    /// <summary>Entries left to emit in word slot 0 and 1 (0 = free).</summary>
    public int Left0, Left1;

    /// <summary>Oldest slot (the one emitting) and the slot the next issue goes to.</summary>
    public int Head, Tail;

    /// <summary>Events: spmat SRAM word reads; entries emitted to the arithmetic unit.</summary>
    public long WordReads, Entries;

    /// <summary>Entries left in slot <paramref name="slot"/> (0 or 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Left(int slot) => Unsafe.Add(ref Unsafe.AsRef(in Left0), slot);

    /// <summary>Entries left in slot <paramref name="slot"/> (0 or 1), writable: Left0 and Left1 are adjacent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    public ref int LeftRef(int slot) => ref Unsafe.Add(ref Left0, slot);
}

/// <summary>
/// The spmat read unit in event form (<see cref="SpmatRead.TakeColumn"/>): the cycles in which
/// its registers last let go of what they hold. Every cycle number is of the cycle in which the
/// change is decided (the register holds the new value from the next one).
/// </summary>
public struct SpmatReadTimes
{
    /// <summary>The column register lets its last column go: col_ready_o is high from then until it takes the next.</summary>
    public long ColReadyFrom;

    /// <summary>The fetcher issues its last column's last word: it is free from the next cycle.</summary>
    public long LastIssue;

    /// <summary>The emitter's last entry of the last word issued (End1) and of the one before it (End2).</summary>
    public long End1, End2;

    /// <summary>Before any column: every register free since before cycle 0.</summary>
    public static SpmatReadTimes Reset => new() { ColReadyFrom = -1, LastIssue = -1, End1 = -1, End2 = -1 };
}

/// <summary>The constants of the spmat read unit's cycle rules, from <see cref="SpmatReadParams"/>.</summary>
public readonly struct SpmatReadTiming(SpmatReadParams p)
{
    /// <summary>Entries a word.</summary>
    public readonly int Lanes = p.EntriesPerWord;

    /// <summary>log2(Lanes).</summary>
    public readonly int LaneShift = p.LaneShift;

    /// <summary>Mask of a word address (the fetcher's word counter wraps at WordAddrWidth bits).</summary>
    public readonly long WordMask = (1L << p.WordAddrWidth) - 1;
}

/// <summary>The spmat read unit's combinational signals of one cycle, from its registers only.</summary>
public readonly struct SpmatReadSignals
{
    /// <summary>The fetcher reads its word into the tail slot (it holds a column and the slot is free).</summary>
    public readonly bool Issue;

    /// <summary>The fetcher's word is its column's last.</summary>
    public readonly bool IsLast;

    /// <summary>The column register's column leaves: it is empty, or the fetcher is free or issues its last word.</summary>
    public readonly bool BLeave;

    /// <summary>col_ready_o: the column register takes a column this cycle.</summary>
    public readonly bool ColReady;

    /// <summary>out_valid_o: the head slot emits an entry.</summary>
    public readonly bool Emit;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public SpmatReadSignals(in SpmatReadState s)
    {
        // Non-short-circuit operators: the operands are registers, and branches on them mispredict.
        Issue = s.FValid & s.Left(s.Tail) == 0;
        IsLast = s.FWord == s.FLastWord;
        BLeave = s.BValid & (s.BStart == s.BEnd | !s.FValid | (Issue & IsLast));
        ColReady = !s.BValid | BLeave;
        Emit = s.Left(s.Head) != 0;
    }
}

public sealed partial class SpmatRead
{
    /// <summary>The combinational signals of the cycle (col_ready_o depends on registers only).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SpmatReadSignals Evaluate(in SpmatReadState s) => new(s);

    /// <summary>busy_o: a non-empty column is in flight (column register, fetcher or a slot).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Busy(in SpmatReadState s) =>
        (s.BValid & s.BStart != s.BEnd) | s.FValid | (s.Left0 | s.Left1) != 0;


    /// <summary>
    /// The unit in event form, the same rules as <see cref="Evaluate"/> and <see cref="Commit"/>
    /// solved for one column taken by the column register in cycle <paramref name="colIn"/>
    /// (col_valid_i and col_ready_o; entries [<paramref name="start"/>, <paramref name="end"/>)).
    /// The columns are taken in order, each after the one before. An empty column leaves the
    /// register in the next cycle. A non-empty one leaves when the fetcher is free or issues its
    /// last word, and the fetcher takes it. Word k goes to slot k mod 2 and is issued once the
    /// fetcher holds its column, a cycle after its word k - 1, and once word k - 2 has left that
    /// slot. It emits one entry a cycle from the cycle after its issue, once word k - 1 is done.
    /// Counts the word reads and entries. O(words of the column).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TakeColumn(ref SpmatReadState s, ref SpmatReadTimes t, in SpmatReadTiming timing,
        long colIn, long start, long end)
    {
        if (start == end)
        {
            t.ColReadyFrom = colIn + 1;
            return;
        }
        long leave = CycleTime.Later(colIn + 1, t.LastIssue);
        t.ColReadyFrom = leave;
        long word = start >> timing.LaneShift, lastWord = (end - 1) >> timing.LaneShift;
        int lo = (int)(start & (timing.Lanes - 1)), lastLane = (int)((end - 1) & (timing.Lanes - 1));
        // The issue cycle of the word before, as a bound: the first word is issued after the leave cycle.
        long issue = leave;
        long end1 = t.End1, end2 = t.End2;
        s.WordReads += lastWord - word + 1;
        s.Entries += end - start;
        for (; ; word++, lo = 0)
        {
            issue = CycleTime.Later(issue + 1, end2 + 1);
            int left = (word == lastWord ? lastLane : timing.Lanes - 1) - lo + 1;
            end2 = end1;
            end1 = CycleTime.Later(issue + 1, end1 + 1) + left - 1;
            if (word == lastWord) break;
        }
        (t.LastIssue, t.End1, t.End2) = (issue, end1, end2);
    }

    /// <summary>
    /// The clock edge: the emitter takes one entry of the head slot, the fetcher fills the tail
    /// slot and steps to its next word or lets its column go, takes the column register's
    /// column when that leaves non-empty, and the column register takes the offered column
    /// (col_start_i, col_end_i) when ready.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Commit(ref SpmatReadState s, in SpmatReadSignals g, in SpmatReadTiming t,
        bool colValid, long colStart, long colEnd)
    {
        if (g.Emit)
        {
            // The emitter takes one entry of the head slot; the head moves on when the slot empties.
            s.Entries++;
            if (--s.LeftRef(s.Head) == 0) s.Head ^= 1;
        }
        if (g.Issue)
        {
            int left = (g.IsLast ? s.FLastLane : t.Lanes - 1) - s.FLo + 1;
            s.LeftRef(s.Tail) = left;
            s.Tail ^= 1;
            s.WordReads++;
            if (g.IsLast) s.FValid = false;
            else
            {
                s.FWord = (s.FWord + 1) & t.WordMask;
                s.FLo = 0;
            }
        }
        if (g.BLeave && s.BStart != s.BEnd)
        {
            long last = s.BEnd - 1;
            s.FValid = true;
            s.FWord = s.BStart >> t.LaneShift;
            s.FLo = (int)(s.BStart & (t.Lanes - 1));
            s.FLastWord = last >> t.LaneShift;
            s.FLastLane = (int)(last & (t.Lanes - 1));
        }
        if (g.ColReady)
        {
            s.BValid = colValid;
            s.BStart = colStart;
            s.BEnd = colEnd;
        }
    }
}
