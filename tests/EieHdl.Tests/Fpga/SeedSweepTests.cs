using EieHdl.Fpga;

namespace EieHdl.Tests.Fpga;

/// <summary>
/// What a seed sweep reports, without the tools: the text both synth tables print (each seed's
/// Fmax, the median, the fastest seed), the choice of the fastest seed, the file names and the
/// figures taken from the fastest seed's placement.
/// </summary>
public sealed class SeedSweepTests
{
    private static SeedFmax[] Sweep(params (int Seed, double Mhz)[] seeds) =>
        seeds.Select(s => new SeedFmax(s.Seed, s.Mhz, s.Mhz >= 30)).ToArray();

    [Fact]
    public void TheTextGivesEachSeedTheMedianOfAnOddCountAndTheFastestSeed()
    {
        var sweep = Sweep((1, 31.2), (2, 33.05), (3, 32.1));
        Assert.Equal(32.1, SeedSweep.Median(sweep));
        Assert.Equal("1: 31.20, 2: 33.05, 3: 32.10 MHz; median 32.10 MHz; fastest seed 2 (33.05 MHz)", SeedSweep.Text(sweep));
    }

    [Fact]
    public void TheMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleOnes()
    {
        var sweep = Sweep((5, 41.25), (6, 42.43), (7, 42.81), (8, 43.18));
        Assert.Equal((42.43 + 42.81) / 2, SeedSweep.Median(sweep));
        Assert.Equal("5: 41.25, 6: 42.43, 7: 42.81, 8: 43.18 MHz; median 42.62 MHz; fastest seed 8 (43.18 MHz)", SeedSweep.Text(sweep));
        // Unordered Fmax: the median sorts, the text keeps seed order.
        var shuffled = Sweep((1, 43.18), (2, 41.25), (3, 42.81), (4, 42.43));
        Assert.Equal((42.43 + 42.81) / 2, SeedSweep.Median(shuffled));
        Assert.StartsWith("1: 43.18, 2: 41.25, 3: 42.81, 4: 42.43 MHz; median 42.62 MHz; fastest seed 1 ", SeedSweep.Text(shuffled));
        Assert.Equal(40, SeedSweep.Median(Sweep((9, 40))));
    }

    [Fact]
    public void TheFastestSeedHasTheHighestFmaxAndOfEqualOnesTheLowestSeed()
    {
        Assert.Equal(3, SeedSweep.Fastest(Sweep((1, 30.5), (2, 29.9), (3, 31.7), (4, 31.6))).Seed);
        Assert.Equal(2, SeedSweep.Fastest(Sweep((1, 30.5), (2, 31.7), (3, 31.7))).Seed);
        // Whatever order the seeds are given in (they end in any order when run at once).
        Assert.Equal(2, SeedSweep.Fastest(Sweep((3, 31.7), (2, 31.7), (1, 30.5))).Seed);
        Assert.Equal(7, SeedSweep.Fastest(Sweep((7, 0))).Seed);
        Assert.Equal("7: 0.00 MHz; median 0.00 MHz; fastest seed 7 (0.00 MHz)", SeedSweep.Text(Sweep((7, 0))));
    }

    [Fact]
    public void TheFirstSeedKeepsTheSingleRunFileNamesAndTheOthersNameTheirSeed()
    {
        Assert.Equal("nextpnr.log", SeedSweep.LogFile(5, 5));
        Assert.Equal("nextpnr_report.json", SeedSweep.ReportFile(5, 5));
        Assert.Equal("nextpnr_seed6.log", SeedSweep.LogFile(6, 5));
        Assert.Equal("nextpnr_seed6_report.json", SeedSweep.ReportFile(6, 5));
    }

    [Fact]
    public void ThePlaceAndRouteFiguresAreThePlacementsAndEachSeedMeetsTheTargetOrNot()
    {
        var target = FpgaTarget.Find("ice40-up5k");
        var util = new Dictionary<string, (int Used, int Available)>
        {
            ["ICESTORM_LC"] = (3801, 5280), ["ICESTORM_RAM"] = (20, 30), ["ICESTORM_SPRAM"] = (1, 4), ["SB_IO"] = (8, 96),
        };
        var slow = new SeedPlacement(1, "nextpnr.log", "nextpnr_report.json", 29.99, util);
        var fast = new SeedPlacement(2, "nextpnr_seed2.log", "nextpnr_seed2_report.json", 30, util);
        Assert.Equal(new PlaceAndRoute(3801, 5280, 20, 1, 0, 8, 30, 30, "top.bin", 2), fast.ToPlaceAndRoute(target, 30, "top.bin"));
        // A report without logic cells falls back on the device's LUT count.
        var bare = new SeedPlacement(3, "l", "r", 12.5, new Dictionary<string, (int Used, int Available)>()).ToPlaceAndRoute(target, 12, "b");
        Assert.Equal((0, target.Device.Luts), (bare.LogicCells, bare.LogicCellsAvailable));
        var result = new SeedSweepResult([slow, fast], 30);
        Assert.Equal([new SeedFmax(1, 29.99, false), new SeedFmax(2, 30, true)], result.Fmax);
        Assert.Same(fast, result.Fastest);
        Assert.Same(slow, new SeedSweepResult([slow, fast with { FmaxMhz = 29.99 }], 30).Fastest);
    }
}
