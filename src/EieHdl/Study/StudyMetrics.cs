namespace EieHdl.Study;

/// <summary>
/// The study's metrics, each a plain function of counts so that a test can check it by hand.
/// </summary>
public static class StudyMetrics
{
    /// <summary>
    /// Load efficiency (Fig. 8): ideal cycles (the busiest PE's entries, a bound no act queue
    /// can beat) over the cycles the layer took; 1 when the layer has no work.
    /// </summary>
    public static double LoadEfficiency(long idealCycles, long cycles) =>
        cycles <= 0 ? 1.0 : (double)idealCycles / cycles;

    /// <summary>Speed-up (Fig. 11): cycles on the reference (1 PE) over cycles on this many PEs.</summary>
    public static double SpeedUp(long referenceCycles, long cycles) =>
        cycles <= 0 ? double.NaN : (double)referenceCycles / cycles;

    /// <summary>Padding share (Fig. 12): padding entries over all entries processed; 0 when there are none.</summary>
    public static double PaddingShare(long paddingEntries, long totalEntries) =>
        totalEntries <= 0 ? 0.0 : (double)paddingEntries / totalEntries;

    /// <summary>Load balance (Fig. 13): mean over max of the per-PE entries; 1 when no PE has work.</summary>
    public static double LoadBalance(IReadOnlyList<long> peEntries)
    {
        long max = 0, sum = 0;
        foreach (long e in peEntries)
        {
            sum += e;
            max = Math.Max(max, e);
        }
        return max == 0 ? 1.0 : (double)sum / peEntries.Count / max;
    }

    /// <summary>Time at a clock: cycles / MHz = microseconds.</summary>
    public static double Microseconds(long cycles, double clockMhz) => cycles / clockMhz;

    /// <summary>
    /// Where two measured curves over x cross: the first interval in which
    /// <c>a - b</c> changes sign from positive to not positive, with x interpolated linearly
    /// inside it; null when <paramref name="a"/> never drops to <paramref name="b"/>. With a =
    /// CSR time and b = dense time over weight sparsity this is the break-even sparsity.
    /// A curve already at or below the other at the first point crosses there.
    /// </summary>
    public static double? Crossing(IReadOnlyList<double> x, IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (x.Count != a.Count || x.Count != b.Count)
            throw new ArgumentException($"curves must have as many points as x ({x.Count}), got {a.Count} and {b.Count}");
        if (x.Count == 0) return null;
        if (a[0] <= b[0]) return x[0];
        for (int k = 1; k < x.Count; k++)
        {
            double before = a[k - 1] - b[k - 1], after = a[k] - b[k];
            if (after <= 0)
                return x[k - 1] + (x[k] - x[k - 1]) * before / (before - after);
        }
        return null;
    }

    /// <summary>The median of measured values (robust to the few slow repetitions a shared machine adds).</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("needs at least one value", nameof(values));
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
