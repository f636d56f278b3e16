using System.Runtime.CompilerServices;

namespace EieHdl.CycleModel;

/// <summary>Arithmetic on cycle numbers for the units' rules in event form.</summary>
public static class CycleTime
{
    /// <summary>
    /// The later of two cycles, without a branch: which one is later depends on the data, so a
    /// branch would mispredict (cycle numbers are at least -1 and far from overflow).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Later(long a, long b)
    {
        long d = a - b;
        return a - (d & (d >> 63));
    }
}
