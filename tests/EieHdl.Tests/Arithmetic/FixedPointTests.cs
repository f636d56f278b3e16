using EieHdl.Arithmetic;
using EieHdl.Config;

namespace EieHdl.Tests.Arithmetic;

public class FixedPointTests
{
    private static readonly FixedPoint Default = new(new EieConfig());

    [Theory]
    [InlineData(1.0, 256)]
    [InlineData(-1.0, -256)]
    [InlineData(0.5 / 256, 1)]       // tie rounds away from zero
    [InlineData(-0.5 / 256, -1)]
    [InlineData(0.49 / 256, 0)]
    [InlineData(127.99, 32765)]
    [InlineData(500.0, 32767)]      // saturates
    [InlineData(-500.0, -32768)]
    public void ActivationQuantisationRoundsHalfAwayAndSaturates(double x, int expected) =>
        Assert.Equal(expected, Default.QuantizeActivation(x));

    [Theory]
    [InlineData(7.99976, 32767)]
    [InlineData(8.0, 32767)]
    [InlineData(-8.0, -32768)]
    public void WeightQuantisationSaturatesAtTheFormatEdges(double w, int expected) =>
        Assert.Equal(expected, Default.QuantizeWeight(w));

    [Fact]
    public void WeightFitsRejectsValuesPastTheRange()
    {
        Assert.True(Default.WeightFits(7.9997));
        Assert.False(Default.WeightFits(8.0));
        Assert.True(Default.WeightFits(-8.0));
        Assert.False(Default.WeightFits(-8.001));
    }

    [Theory]
    [InlineData(2048, 1)]      // exactly 0.5 LSB after a 12-bit shift: rounds up
    [InlineData(2047, 0)]
    [InlineData(-2048, 0)]     // -0.5 LSB: half up goes toward +infinity
    [InlineData(-2049, -1)]
    [InlineData(4096 * 3, 3)]
    public void RequantisationRoundsHalfUp(long acc, int expected) =>
        Assert.Equal(expected, Default.Requantize(acc, relu: false));

    [Fact]
    public void RequantisationAppliesReluBeforeRounding()
    {
        Assert.Equal(0, Default.Requantize(-2049, relu: true));
        Assert.Equal(0, Default.Requantize(long.MinValue / 4, relu: true));
    }

    [Fact]
    public void RequantisationSaturatesToTheActivationRange()
    {
        Assert.Equal(32767, Default.Requantize(int.MaxValue, relu: false));
        Assert.Equal(-32768, Default.Requantize(int.MinValue, relu: false));
        // The rounding boundary next to each edge, where neither side saturates: 32766 plus just
        // under half an LSB rounds down, plus half rounds up to the largest act.
        Assert.Equal(32766, Default.Requantize(32766L * 4096 + 2047, relu: false));
        Assert.Equal(32767, Default.Requantize(32766L * 4096 + 2048, relu: false));
        Assert.Equal(-32767, Default.Requantize(-32767L * 4096 - 2048, relu: false));   // a tie goes up
        Assert.Equal(-32768, Default.Requantize(-32767L * 4096 - 2049, relu: false));
        // One past: 32767 + half an LSB would round to 32768 and saturates; so does -32768 - just over half.
        Assert.Equal(32767, Default.Requantize(32767L * 4096 + 2048, relu: false));
        Assert.Equal(-32768, Default.Requantize(-32768L * 4096 - 2049, relu: false));
    }

    [Fact]
    public void RequantisationWithoutShiftDoesNotRound()
    {
        var fp = new FixedPoint(new EieConfig { ActFracBits = 4, WeightFracBits = 4, ProductShift = 4 });
        Assert.Equal(-3, fp.Requantize(-3, relu: false));
        Assert.Equal(5, fp.Requantize(5, relu: false));
    }

    [Fact]
    public void AccumulatorWrapsAtItsWidth()
    {
        var fp = new FixedPoint(new EieConfig { AccWidth = 20 });
        Assert.Equal(-(1L << 19), fp.Wrap(1L << 19));
        Assert.Equal((1L << 19) - 1, fp.Wrap((1L << 19) - 1));
        Assert.Equal(5, fp.Wrap((1L << 20) + 5));
        Assert.True(fp.Overflows(1L << 19));
        Assert.False(fp.Overflows(-(1L << 19)));
    }

    [Fact]
    public void ProductShiftIsAFloor()
    {
        var fp = new FixedPoint(new EieConfig { ProductShift = 2 });
        Assert.Equal(-1, fp.ShiftedProduct(-1, 1));   // -1/4 floors to -1
        Assert.Equal(0, fp.ShiftedProduct(1, 3));     // 3/4 floors to 0
        Assert.Equal(-32768L * -32768 >> 2, fp.ShiftedProduct(-32768, -32768));
    }

    [Fact]
    public void BiasActivationIsOne() => Assert.Equal(256, Default.ActOne);
}

public class EieConfigTests
{
    [Theory]
    [InlineData("Pes", 0)]
    [InlineData("Pes", 257)]
    [InlineData("IndexBits", 0)]
    [InlineData("CodebookSize", 17)]
    [InlineData("ActFracBits", 15)]
    public void OutOfRangeFieldIsNamedWithItsValue(string field, int value)
    {
        var config = field switch
        {
            "Pes" => new EieConfig { Pes = value },
            "IndexBits" => new EieConfig { IndexBits = value },
            "CodebookSize" => new EieConfig { CodebookSize = value },
            "ActFracBits" => new EieConfig { ActFracBits = value },
            _ => throw new ArgumentException(field),
        };
        var e = Assert.Throws<EieInputException>(() => config.Validate("cfg.json"));
        Assert.StartsWith("cfg.json: " + field, e.Message);
        Assert.EndsWith("got " + value, e.Message);
    }

    [Fact]
    public void DefaultsAreValidAndHoldEightEntriesPerWord()
    {
        var c = new EieConfig().Validate();
        Assert.Equal(8, c.EntriesPerWord);
        Assert.Equal(15, c.MaxRun);
        Assert.Equal(20, c.AccFracBits);
    }

    [Fact]
    public void WordThatIsNotAMultipleOfTheEntryIsRefused()
    {
        var e = Assert.Throws<EieInputException>(() => new EieConfig { SpmatWordBits = 60, RunBits = 3 }.Validate());
        Assert.Contains("SpmatWordBits", e.Message);
    }
}
