using System.Runtime.CompilerServices;

namespace EieHdl.Hardware;

/// <summary>
/// The arithmetic unit's valid bits, bit 0 = S1 (the entry register) to bit 3 = S4, and the
/// events it counts; rows, operands and accumulators live with whoever models the values.
/// </summary>
public struct ArithPipeState
{
    /// <summary>Bit k: stage S(k+1) holds an entry.</summary>
    public int Valid;

    /// <summary>Events: codebook reads (one per entry in S1); multiply-accumulates (entries entering S2).</summary>
    public long CodebookReads, Macs;
}

public sealed partial class ArithUnit
{
    /// <summary>Some stage holds an entry (busy_o without the error flag's own cycle).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool PipeBusy(in ArithPipeState s) => s.Valid != 0;

    /// <summary>
    /// The clock edge: every entry moves one stage on, S4's leaves, an offered entry enters S1
    /// (the unit never stalls). <paramref name="dropS1"/>: S1's entry has a bad row and does not
    /// enter S2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Commit(ref ArithPipeState s, bool inValid, bool dropS1)
    {
        int s1 = s.Valid & 1;
        int toS2 = dropS1 ? 0 : s1;
        s.CodebookReads += s1;
        s.Macs += toS2;
        s.Valid = ((s.Valid << 1) & 0b1100) | (toS2 << 1) | (inValid ? 1 : 0);
    }

    /// <summary>
    /// The unit in event form: <paramref name="entries"/> entries pass S1 (a codebook read each)
    /// and S2 (a multiply-accumulate each), none dropped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Take(ref ArithPipeState s, long entries)
    {
        s.CodebookReads += entries;
        s.Macs += entries;
    }

    /// <summary>
    /// The first cycle in which the pipeline is empty when its last entry was offered in cycle
    /// <paramref name="lastEntryCycle"/>: the entry is in S1 to S4 in the four cycles after.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long EmptyFrom(long lastEntryCycle) => lastEntryCycle + 5;
}
