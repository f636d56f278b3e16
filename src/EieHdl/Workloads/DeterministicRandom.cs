namespace EieHdl.Workloads;

/// <summary>
/// xoshiro256** seeded through SplitMix64, with Gaussians by Marsaglia's polar method.
/// Workloads must be identical on every runtime and machine, so neither System.Random (its
/// algorithm is not a contract) nor Math.Log/Exp (they defer to the platform's libm, which
/// may differ in the last bit) is used: only +, -, *, / and sqrt, which IEEE 754 rounds
/// exactly.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong s0, s1, s2, s3;
    private double spareGaussian;
    private bool hasSpare;

    public DeterministicRandom(ulong seed)
    {
        ulong state = seed;
        s0 = SplitMix64(ref state);
        s1 = SplitMix64(ref state);
        s2 = SplitMix64(ref state);
        s3 = SplitMix64(ref state);
    }

    /// <summary>An independent generator for one purpose (e.g. "weights"), so that changing how
    /// many numbers one purpose draws does not shift the others.</summary>
    public static DeterministicRandom ForStream(ulong seed, ulong stream)
    {
        ulong state = seed ^ (stream * 0xD1B54A32D192ED03UL);
        return new DeterministicRandom(SplitMix64(ref state));
    }

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        ulong result = ulong.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, bound), by the high half of a 64 x 64-bit product.</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        return (int)Math.BigMul(NextULong(), (ulong)bound, out _);
    }

    /// <summary>Standard normal.</summary>
    public double NextGaussian()
    {
        if (hasSpare)
        {
            hasSpare = false;
            return spareGaussian;
        }
        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double factor = Math.Sqrt(-2.0 * PortableMath.Log(s) / s);
        spareGaussian = v * factor;
        hasSpare = true;
        return u * factor;
    }
}

/// <summary>
/// Log and exp from IEEE-exact operations only, so results are the same bits everywhere.
/// Accurate to a few ulps, which is plenty for drawing random numbers.
/// </summary>
public static class PortableMath
{
    private const double Ln2 = 0.6931471805599453;
    private const double Sqrt2 = 1.4142135623730951;

    /// <summary>Natural log of a positive finite x.</summary>
    public static double Log(double x)
    {
        if (!(x > 0) || double.IsInfinity(x)) throw new ArgumentOutOfRangeException(nameof(x), x, "must be positive and finite");
        int exponent = 0;
        // Subnormals first become normal so the exponent field tells the whole exponent.
        if (x < double.Epsilon * (1L << 52)) { x *= 1L << 54; exponent = -54; }
        long bits = BitConverter.DoubleToInt64Bits(x);
        exponent += (int)((bits >> 52) & 0x7FF) - 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L);
        if (m > Sqrt2) { m *= 0.5; exponent++; }
        // ln m = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.172: the odd series converges fast.
        double s = (m - 1.0) / (m + 1.0), s2 = s * s, term = s, sum = 0.0;
        for (int k = 1; k <= 41; k += 2)
        {
            sum += term / k;
            term *= s2;
        }
        return exponent * Ln2 + 2.0 * sum;
    }

    /// <summary>e^x; saturates to 0 or infinity outside the double range.</summary>
    public static double Exp(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x > 709.8) return double.PositiveInfinity;
        if (x < -745.2) return 0.0;
        double k = Math.Round(x / Ln2);
        double r = x - k * Ln2;
        // Taylor series of e^r for |r| <= ln2 / 2; 20 terms reach below one ulp.
        double term = 1.0, sum = 1.0;
        for (int n = 1; n <= 20; n++)
        {
            term *= r / n;
            sum += term;
        }
        return Math.ScaleB(sum, (int)k);
    }

    public static double Tanh(double x)
    {
        if (x > 20) return 1.0;
        if (x < -20) return -1.0;
        double e = Exp(2.0 * x);
        return (e - 1.0) / (e + 1.0);
    }
}
