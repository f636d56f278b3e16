using EieHdl.Energy;

namespace EieHdl.Tests.Energy;

public sealed class WidthCurveTests
{
    [Fact]
    public void PointsAreExactAndBetweenThemThePowerLawHolds()
    {
        // 1 at 4 bits, 64 at 16 bits: value = bits^3 / 64 on this segment; 100 at 32 bits:
        // exponent log2(100 / 64) beyond 16.
        var curve = new WidthCurve([(4, 1), (16, 64), (32, 100)]);
        Assert.Equal(1, curve.At(4), 12);
        Assert.Equal(64, curve.At(16), 12);
        Assert.Equal(100, curve.At(32), 12);
        Assert.Equal(8, curve.At(8), 12);                  // 8^3 / 64
        Assert.Equal(100 * 100 / 64.0, curve.At(64), 9);   // the last segment's law continues
        Assert.Equal(1 / 8.0, curve.At(2), 12);            // and the first one's below
    }

    [Fact]
    public void BadPointsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new WidthCurve([(8, 1)]));
        Assert.Throws<ArgumentException>(() => new WidthCurve([(8, 1), (8, 2)]));
        Assert.Throws<ArgumentException>(() => new WidthCurve([(8, 1), (16, 0)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WidthCurve([(8, 1), (16, 2)]).At(0));
    }
}
