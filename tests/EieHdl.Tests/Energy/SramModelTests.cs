using EieHdl.Energy;

namespace EieHdl.Tests.Energy;

public sealed class SramModelTests
{
    private static readonly SramModel Round = RoundTech.Model().Sram;
    private static readonly SramModel Shipped = TechModel.Load(TechModel.DefaultPath()).Sram;

    [Fact]
    public void GridPointsAreReturnedExactly()
    {
        AssertCost(new SramCost(1, 2, 0.1, 0.01), Round.Estimate(8, 16));
        AssertCost(new SramCost(8, 16, 0.8, 0.08), Round.Estimate(8, 1024));
    }

    private static void AssertCost(SramCost expected, SramCost actual)
    {
        Assert.Equal(expected.ReadEnergyPj, actual.ReadEnergyPj, 9);
        Assert.Equal(expected.WriteEnergyPj, actual.WriteEnergyPj, 9);
        Assert.Equal(expected.LeakageMw, actual.LeakageMw, 9);
        Assert.Equal(expected.AreaMm2, actual.AreaMm2, 9);
    }

    [Fact]
    public void BetweenGridPointsTheFiguresFollowThePowerLaw()
    {
        // Read energy on the round grid is w^1 * d^0.5 (x8 over w 8->64, x8 over d 16->1024), so
        // at the log midpoints (w = 8 * sqrt 8, d = 16 * 8 = 128) it is sqrt(8) * sqrt(8) = 8 pJ.
        Assert.Equal(8 * Math.Sqrt(8), Round.Estimate(64, 128).ReadEnergyPj, 9);
        Assert.Equal(Math.Sqrt(8), Round.Estimate(8, 128).ReadEnergyPj, 9);
        // Beyond the grid the edge law continues: twice the widest width is twice the energy.
        Assert.Equal(128, Round.Estimate(128, 1024).ReadEnergyPj, 9);
        Assert.Equal(0.5, Round.Estimate(4, 16).ReadEnergyPj, 9);
    }

    public static TheoryData<int> Widths => [4, 8, 16, 17, 24, 32, 64, 100, 128, 256, 512, 1024];

    [Theory]
    [MemberData(nameof(Widths))]
    public void ShippedModelNeverGetsCheaperWithDepth(int width)
    {
        SramCost? previous = null;
        for (int depth = 16; depth <= 1 << 18; depth *= 2)
        {
            var cost = Shipped.Estimate(width, depth);
            if (previous is not null) AssertNoCheaper(previous, cost);
            previous = cost;
        }
    }

    [Fact]
    public void ShippedModelNeverGetsCheaperWithWidth()
    {
        foreach (int depth in new[] { 16, 64, 100, 1024, 8192, 16384, 65536, 1 << 18 })
        {
            SramCost? previous = null;
            foreach (int width in Widths)
            {
                var cost = Shipped.Estimate(width, depth);
                if (previous is not null) AssertNoCheaper(previous, cost);
                previous = cost;
            }
        }
    }

    private static void AssertNoCheaper(SramCost smaller, SramCost bigger)
    {
        Assert.True(bigger.ReadEnergyPj >= smaller.ReadEnergyPj, $"{bigger} vs {smaller}");
        Assert.True(bigger.WriteEnergyPj >= smaller.WriteEnergyPj, $"{bigger} vs {smaller}");
        Assert.True(bigger.LeakageMw >= smaller.LeakageMw, $"{bigger} vs {smaller}");
        Assert.True(bigger.AreaMm2 >= smaller.AreaMm2, $"{bigger} vs {smaller}");
    }

    [Fact]
    public void ShippedAreaIsNearlyLinearInBitsForLargeArrays()
    {
        // Doubling the bits of an array of 16 Kbit or more doubles its area to within 35%,
        // whichever axis grows: the cells dominate, the periphery is a fraction.
        foreach (int width in new[] { 16, 32, 64, 128, 256 })
            for (int depth = 1024; depth <= 32768; depth *= 2)
            {
                if ((long)width * depth < 16384) continue;
                double area = Shipped.Estimate(width, depth).AreaMm2;
                Assert.InRange(Shipped.Estimate(width, depth * 2).AreaMm2 / area, 1.3, 2.7);
                Assert.InRange(Shipped.Estimate(width * 2, depth).AreaMm2 / area, 1.3, 2.7);
            }
        // Area per bit of the large arrays stays within a factor of 1.5 of each other.
        var perBit = new[] { (64, 16384), (16, 65536), (256, 4096), (128, 8192), (32, 32768) }
            .Select(p => Shipped.Estimate(p.Item1, p.Item2).AreaMm2 / ((double)p.Item1 * p.Item2)).ToArray();
        Assert.True(perBit.Max() / perBit.Min() < 1.5, string.Join(", ", perBit));
    }

    [Fact]
    public void ReadEnergyPerBitFallsWithWidthAtFixedCapacity()
    {
        // The trade-off behind the paper's Figure 9: at a fixed capacity a wider word costs
        // more per read but less per bit read.
        const long capacityBits = 1 << 20;
        double? previousPerBit = null, previousRead = null;
        foreach (int width in new[] { 16, 32, 64, 128, 256 })
        {
            var cost = Shipped.Estimate(width, (int)(capacityBits / width));
            double perBit = cost.ReadEnergyPj / width;
            if (previousPerBit is not null)
            {
                Assert.True(perBit < previousPerBit, $"width {width}: {perBit} pJ/bit");
                Assert.True(cost.ReadEnergyPj > previousRead, $"width {width}: {cost.ReadEnergyPj} pJ");
            }
            previousPerBit = perBit;
            previousRead = cost.ReadEnergyPj;
        }
    }
}
