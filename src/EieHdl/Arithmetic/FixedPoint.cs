using EieHdl.Config;

namespace EieHdl.Arithmetic;

/// <summary>
/// The arithmetic of docs/arithmetic.md, one method per rule. The golden model, the encoder
/// and the hardware models call these and never re-derive a width or a rounding rule.
/// Values are carried in C# integers holding the two's-complement value of the field.
/// </summary>
public sealed class FixedPoint
{
    private readonly int actMin, actMax, weightMin, weightMax;
    private readonly long roundBias;
    private readonly int requantShift;

    public FixedPoint(EieConfig config)
    {
        Config = config;
        actMax = (int)((1L << (config.ActWidth - 1)) - 1);
        actMin = (int)(-(1L << (config.ActWidth - 1)));
        weightMax = (int)((1L << (config.WeightWidth - 1)) - 1);
        weightMin = (int)(-(1L << (config.WeightWidth - 1)));
        requantShift = config.AccFracBits - config.ActFracBits;
        roundBias = requantShift == 0 ? 0 : 1L << (requantShift - 1);
    }

    public EieConfig Config { get; }
    public int ActMin => actMin;
    public int ActMax => actMax;
    public int WeightMin => weightMin;
    public int WeightMax => weightMax;

    /// <summary>The activation 1.0, used for the bias column.</summary>
    public int ActOne => 1 << Config.ActFracBits;

    /// <summary>Rule A1: float to activation, round half away from zero, saturate.</summary>
    public int QuantizeActivation(double x) => (int)Math.Clamp(
        Math.Round(x * Math.ScaleB(1.0, Config.ActFracBits), MidpointRounding.AwayFromZero), actMin, actMax);

    /// <summary>Rule W1: float to codebook entry, round half away from zero, saturate.</summary>
    public int QuantizeWeight(double w) => (int)Math.Clamp(
        Math.Round(w * Math.ScaleB(1.0, Config.WeightFracBits), MidpointRounding.AwayFromZero), weightMin, weightMax);

    /// <summary>True when w is representable as a codebook entry without saturating.</summary>
    public bool WeightFits(double w)
    {
        double q = Math.Round(w * Math.ScaleB(1.0, Config.WeightFracBits), MidpointRounding.AwayFromZero);
        return q >= weightMin && q <= weightMax;
    }

    public double ActivationToDouble(int a) => Math.ScaleB(a, -Config.ActFracBits);
    public double WeightToDouble(int w) => Math.ScaleB(w, -Config.WeightFracBits);
    public double AccumulatorToDouble(long acc) => Math.ScaleB(acc, -Config.AccFracBits);

    /// <summary>Rules P1+P2: exact product, then arithmetic right shift by ProductShift (floor).</summary>
    public long ShiftedProduct(int activation, int weight) => ((long)activation * weight) >> Config.ProductShift;

    /// <summary>
    /// Rule C1: the accumulator wraps at AccWidth bits. Wrapping is associative, so an exact
    /// 64-bit sum reduced once equals the sum wrapped after every add, in any order.
    /// </summary>
    public long Wrap(long sum)
    {
        int unused = 64 - Config.AccWidth;
        return (sum << unused) >> unused;
    }

    /// <summary>True when an exact sum does not fit the accumulator (it would wrap).</summary>
    public bool Overflows(long exactSum) => Wrap(exactSum) != exactSum;

    /// <summary>
    /// Rules R1-R3: optional ReLU on the accumulator, then right shift to the activation's
    /// fraction with round half up (add half an LSB, floor), then saturate to ActWidth.
    /// </summary>
    public int Requantize(long acc, bool relu)
    {
        if (relu && acc < 0) acc = 0;
        long shifted = (acc + roundBias) >> requantShift;
        return (int)Math.Clamp(shifted, actMin, actMax);
    }
}
