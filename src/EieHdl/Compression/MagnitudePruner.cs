using System.Globalization;

namespace EieHdl.Compression;

/// <summary>
/// Deep Compression's pruning step: keep the k = round(density * count) weights of largest
/// magnitude. The k-th largest magnitude is found by a radix select on the IEEE bit patterns
/// of |w| (monotone for non-negative doubles), so a 38M-weight layer needs four counting
/// passes and no copy or sort. Ties at the threshold keep the lower flat index, so the result
/// never depends on the selection order.
/// </summary>
public static class MagnitudePruner
{
    private const int DigitBits = 16;

    /// <summary>
    /// Number of weights to keep: round half away from zero of density * count, so a density
    /// written as a fraction of the count lands exactly on it.
    /// </summary>
    public static long KeepCount(string layer, long count, double density)
    {
        if (!(density > 0 && density <= 1))
            throw new EieInputException(
                $"layer {layer}: density must be in (0, 1], got {density.ToString(CultureInfo.InvariantCulture)}");
        return Math.Min(count, (long)Math.Round(density * count, MidpointRounding.AwayFromZero));
    }

    /// <summary>Throws naming the row and column of the first NaN or infinite weight.</summary>
    public static void CheckFinite(string layer, string what, ReadOnlySpan<double> values, int columns)
    {
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new EieInputException(
                    $"layer {layer}: {what} at row {i / columns}, column {i % columns} must be finite, got {values[i].ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>
    /// Mask of the kept weights of a row-major matrix with <paramref name="columns"/> columns.
    /// A weight that is exactly 0 is never kept: it carries nothing and would need a non-zero
    /// codebook index, so a layer with fewer non-zero weights than k keeps only those.
    /// </summary>
    public static bool[] Prune(string layer, ReadOnlySpan<double> weights, int columns, double density)
    {
        long k = KeepCount(layer, weights.Length, density);
        CheckFinite(layer, "weight", weights, columns);
        var keep = new bool[weights.Length];
        if (k == 0) return keep;

        ulong threshold = KthLargestMagnitude(weights, k, out long above);
        long atThreshold = k - above;
        for (int i = 0; i < weights.Length; i++)
        {
            ulong m = MagnitudeBits(weights[i]);
            if (m == 0) continue;
            if (m > threshold) keep[i] = true;
            else if (m == threshold && atThreshold > 0) { keep[i] = true; atThreshold--; }
        }
        return keep;
    }

    private static ulong MagnitudeBits(double w) => BitConverter.DoubleToUInt64Bits(Math.Abs(w));

    /// <summary>
    /// Bit pattern of the k-th largest |w| (1-based), and how many magnitudes are strictly
    /// larger. Each pass fixes the next 16 bits of the answer from a histogram of the
    /// magnitudes that share the bits fixed so far.
    /// </summary>
    private static ulong KthLargestMagnitude(ReadOnlySpan<double> weights, long k, out long above)
    {
        var histogram = new long[1 << DigitBits];
        ulong prefix = 0;
        above = 0;
        long remaining = k;
        for (int shift = 64 - DigitBits; shift >= 0; shift -= DigitBits)
        {
            Array.Clear(histogram);
            int high = shift + DigitBits;
            foreach (double w in weights)
            {
                ulong m = MagnitudeBits(w);
                if (high == 64 || m >> high == prefix >> high)
                    histogram[(int)((m >> shift) & 0xFFFF)]++;
            }
            int digit = histogram.Length - 1;
            for (; digit > 0 && histogram[digit] < remaining; digit--)
            {
                remaining -= histogram[digit];
                above += histogram[digit];
            }
            prefix |= (ulong)digit << shift;
        }
        return prefix;
    }
}
