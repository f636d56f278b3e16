using EieHdl.Config;
using EieHdl.Hardware;

namespace EieHdl.Tests.Hardware;

public class SpmatReadModelTests
{
    private static readonly EieConfig Default = new();

    /// <summary>7-bit entries (4-bit v, 3-bit z) in 56-bit words: 8 a word.</summary>
    private static readonly EieConfig Seven = new() { RunBits = 3, SpmatWordBits = 56, SpmatDepth = 1000, PtrWidth = 16 };

    /// <summary>6-bit entries (3-bit v, 3-bit z) in 24-bit words: 4 a word.</summary>
    private static readonly EieConfig Six = new()
    {
        IndexBits = 3, RunBits = 3, CodebookSize = 8, SpmatWordBits = 24, SpmatDepth = 300, PtrWidth = 14,
    };

    /// <summary>One 8-bit entry a word.</summary>
    private static readonly EieConfig One = new() { SpmatWordBits = 8, SpmatDepth = 512, PtrWidth = 9 };

    public static TheoryData<string> ConfigNames => ["default", "seven", "six", "one"];

    private static EieConfig Named(string name) => name switch
    {
        "default" => Default,
        "seven" => Seven,
        "six" => Six,
        "one" => One,
        _ => throw new ArgumentException(name),
    };

    private static int[] RandomEntries(SpmatReadParams p, int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => rng.Next(1 << p.EntryBits)).ToArray();
    }

    private static (SpmatRead Unit, int[] Entries) Loaded(EieConfig config, int count, int seed = 1)
    {
        var unit = new SpmatRead(config);
        var entries = RandomEntries(unit.Params, count, seed);
        unit.Load(entries);
        return (unit, entries);
    }

    private static void AssertEntries(SpmatRead unit, int[] entries, IReadOnlyList<SpmatColumn> columns,
        SpmatReadDriver driver)
    {
        var expected = SpmatReadDriver.Expected(unit.Params, entries, columns);
        Assert.Equal(expected, driver.Emitted.Select(e => (e.V, e.Z, e.First, e.Act)).ToList());
    }

    [Fact]
    public void PacksEightEightBitEntriesIntoA64BitWordLowLaneFirst()
    {
        var p = new SpmatRead(Default).Params;
        Assert.Equal((8, 3, 64), (p.EntriesPerWord, p.LaneShift, p.WordBits));
        // Entry k = v k, z 15 - k: v in the low nibble of byte k.
        var words = SpmatRead.PackWords(p, Enumerable.Range(0, 8).Select(k => k | (15 - k) << 4).ToArray());
        Assert.Equal([0x8796A5B4C3D2E1F0UL], words);
    }

    [Theory]
    [MemberData(nameof(ConfigNames))]
    public void EmitsEveryColumnsEntriesInOrderWithFirstFlags(string name)
    {
        var config = Named(name);
        var (unit, entries) = Loaded(config, 200);
        int e = unit.Params.EntriesPerWord;
        SpmatColumn[] columns =
        [
            new(e + 1, e + 3, 11),          // one word, starting and ending mid-word
            new(2 * e - 1, 2 * e + 1, 12),  // two words, across a boundary
            new(1, 2 * e + 2, 13),          // three words, mid to mid
            new(2 * e, 3 * e, 14),          // exactly one word
            new(0, 3 * e, 15),              // exactly three words
            new(5, 5, 16),                  // empty
            new(7, 8, 17),                  // 1-entry columns back to back
            new(3, 4, 18),
            new(3 * e - 1, 3 * e, 19),
            new(9, 9, 20),                  // empty
            new(e, e + 1, 21),
            new(4 * e + 1, 4 * e + 2, 22),
        ];
        var driver = new SpmatReadDriver(unit);
        driver.Run(columns);
        AssertEntries(unit, entries, columns, driver);
    }

    [Theory]
    [MemberData(nameof(ConfigNames))]
    public void SustainsOneEntryPerCycleWhenColumnsAreAlwaysOffered(string name)
    {
        var config = Named(name);
        var (unit, entries) = Loaded(config, 400, seed: 2);
        int e = unit.Params.EntriesPerWord;
        var rng = new Random(3);
        var columns = new List<SpmatColumn>();
        for (int i = 0; i < 600; i++)
        {
            // No empty columns here: each would take a cycle of the column port.
            int length = rng.Next(5) switch { 0 or 1 => 1, 2 => 2, _ => rng.Next(1, 3 * e + 2) };
            long start = rng.Next(400 - length);
            columns.Add(new(start, start + length, (uint)rng.Next(1 << 16)));
        }
        var driver = new SpmatReadDriver(unit);
        int cycles = driver.Run(columns);
        long n = columns.Sum(c => c.Entries);
        AssertEntries(unit, entries, columns, driver);
        // The first entry three cycles after the first column is taken (it is not empty), then no
        // gap at all; one more cycle for busy_o to fall.
        Assert.Equal(3, driver.Emitted[0].Cycle);
        Assert.Equal(Enumerable.Range(3, (int)n), driver.Emitted.Select(x => x.Cycle));
        Assert.Equal(n + 4, cycles);
    }

    [Fact]
    public void OneEntryColumnsBackToBackTakeOneCycleEach()
    {
        var (unit, entries) = Loaded(Default, 64);
        var columns = Enumerable.Range(0, 40).Select(i => new SpmatColumn(i * 3 % 61, i * 3 % 61 + 1, (uint)i)).ToArray();
        var driver = new SpmatReadDriver(unit);
        driver.Run(columns);
        AssertEntries(unit, entries, columns, driver);
        Assert.Equal(Enumerable.Range(0, 40), driver.Taken);
        Assert.Equal(Enumerable.Range(3, 40), driver.Emitted.Select(x => x.Cycle));
        Assert.All(driver.Emitted, x => Assert.True(x.First));
    }

    [Fact]
    public void EmptyColumnsAreTakenAtOnceAndCostNothing()
    {
        var (unit, entries) = Loaded(Default, 64);
        SpmatColumn[] columns = [new(0, 20, 1), new(4, 4, 2), new(9, 9, 3), new(20, 23, 4), new(30, 30, 5), new(23, 24, 6)];
        var driver = new SpmatReadDriver(unit);
        int cycles = driver.Run(columns);
        AssertEntries(unit, entries, columns, driver);
        // Columns 1 and 2 (empty) go while column 0 still fetches; 24 entries in 24 cycles.
        Assert.Equal([0, 1, 2], driver.Taken.Take(3));
        Assert.Equal(Enumerable.Range(3, 24), driver.Emitted.Select(x => x.Cycle));
        Assert.Equal(24 + 4, cycles);
        // An empty column alone never makes the unit busy.
        var idle = new SpmatReadDriver(new SpmatRead(Default));
        Assert.Equal(2, idle.Run([new(7, 7, 1)]));
        Assert.Empty(idle.Emitted);
        Assert.DoesNotContain(true, idle.Busy);
    }

    [Fact]
    public void FirstEntryFollowsTheLatencyRuleUnderRandomGaps()
    {
        // Column k's first entry is in cycle max(taken_k + 3, previous column's last entry + 1),
        // and its other entries follow in consecutive cycles.
        foreach (var config in new[] { Default, Six, One })
        {
            var (unit, entries) = Loaded(config, 300, seed: 4);
            int e = unit.Params.EntriesPerWord;
            var rng = new Random(5);
            var columns = Enumerable.Range(0, 400).Select(_ =>
            {
                int length = rng.Next(4) == 0 ? 0 : rng.Next(1, 2 * e + 3);
                long start = rng.Next(300 - length);
                return new SpmatColumn(start, start + length, 0);
            }).ToArray();
            var driver = new SpmatReadDriver(unit);
            driver.Run(columns, offer: _ => rng.Next(3) == 0);
            AssertEntries(unit, entries, columns, driver);
            int index = 0, lastEntry = int.MinValue;
            for (int k = 0; k < columns.Length; k++)
            {
                if (columns[k].Entries == 0) continue;
                int first = Math.Max(driver.Taken[k] + 3, lastEntry + 1);
                for (int i = 0; i < columns[k].Entries; i++)
                    Assert.Equal(first + i, driver.Emitted[index++].Cycle);
                lastEntry = first + (int)columns[k].Entries - 1;
            }
        }
    }

    [Fact]
    public void BusyFallsInTheCycleAfterTheLastEntry()
    {
        var (unit, _) = Loaded(Default, 64);
        var driver = new SpmatReadDriver(unit);
        int cycles = driver.Run([new(3, 13, 1)]);
        // Taken in 0; busy from 1; entries in 3 .. 12; busy low from 13.
        Assert.Equal(14, cycles);
        Assert.Equal(Enumerable.Range(0, 14).Select(c => c is >= 1 and <= 12), driver.Busy);
    }

    [Fact]
    public void ALoadWhileTheFetcherReadsIsRefused()
    {
        var (unit, _) = Loaded(Default, 64);
        Assert.True(unit.Step(new SpmatReadInputs(true, 0, 1, 5)).ColReady);
        unit.Step(default);
        // The fetcher holds column [0, 1) and reads its word now: the port is taken.
        Assert.Throws<InvalidOperationException>(() =>
            unit.Step(new SpmatReadInputs(false, 0, 0, 0, LoadWe: true, LoadAddr: 40, LoadData: 0xFF)));
    }

    [Fact]
    public void ALoadWhileIdleIsWhatTheNextColumnReads()
    {
        var (unit, _) = Loaded(Default, 64);
        Assert.False(unit.Step(new SpmatReadInputs(false, 0, 0, 0, LoadWe: true, LoadAddr: 0, LoadData: 0x4B)).Busy);
        Assert.True(unit.Step(new SpmatReadInputs(true, 0, 1, 5)).ColReady);
        SpmatReadOutputs entry = default;
        for (int i = 0; i < 5 && !entry.OutValid; i++) entry = unit.Step(default);
        Assert.True(entry.OutValid);
        Assert.Equal((0xBu, 0x4u, true, 5u), ((uint)entry.OutV, (uint)entry.OutZ, entry.OutFirst, entry.OutAct));
    }

    [Fact]
    public void RefusesShapesItCannotBuildAndColumnsThatEndBeforeTheyStart()
    {
        Assert.Throws<EieInputException>(() => new SpmatRead(Default with { SpmatWordBits = 48 }));
        Assert.Throws<EieInputException>(() => new SpmatRead(Default with { PtrWidth = 3 }));
        var unit = new SpmatRead(Default);
        Assert.Throws<ArgumentException>(() => unit.Step(new SpmatReadInputs(true, 5, 4, 0)));
    }

    [Fact]
    public void ResetDropsColumnsInFlightAndKeepsTheSpmat()
    {
        var (unit, entries) = Loaded(Default, 64);
        for (int i = 0; i < 4; i++) unit.Step(new SpmatReadInputs(true, 0, 30, 1));
        unit.Reset();
        var idle = unit.Step(default);
        Assert.False(idle.Busy || idle.OutValid);
        Assert.True(idle.ColReady);
        var driver = new SpmatReadDriver(unit);
        SpmatColumn[] columns = [new(10, 13, 2)];
        driver.Run(columns);
        AssertEntries(unit, entries, columns, driver);
    }

    [Fact]
    public void AnEmptyColumnLeavesTheColumnRegisterAtOnceAndABusyFetcherHoldsOthersBack()
    {
        var (unit, _) = Loaded(Default, 64);
        Assert.True(unit.Step(new SpmatReadInputs(true, 0, 24, 1)).ColReady);
        // The fetcher takes the 3-word column; the column register the empty one, which leaves
        // in the next cycle, making room for a non-empty one.
        Assert.True(unit.Step(new SpmatReadInputs(true, 30, 30, 2)).ColReady);
        Assert.True(unit.Step(new SpmatReadInputs(true, 30, 31, 3)).ColReady);
        // That one waits in the register for the busy fetcher, so nothing more is taken.
        Assert.False(unit.Step(new SpmatReadInputs(true, 40, 40, 4)).ColReady);
        Assert.False(unit.Step(new SpmatReadInputs(false, 40, 40, 4)).ColReady);
    }
}
