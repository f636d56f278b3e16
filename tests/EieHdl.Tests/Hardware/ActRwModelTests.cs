using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.Hardware;

namespace EieHdl.Tests.Hardware;

/// <summary>
/// Drives the <see cref="ActRw"/> model as a CCU and an accumulator file would: holds src_sel,
/// returns accumulator row r one cycle after it is addressed, and counts cycles.
/// </summary>
internal sealed class ActRwDriver(EieConfig config, int pe)
{
    public ActRw Unit { get; } = new(config, pe);

    public bool SrcSel { get; set; }

    public long Cycle { get; private set; }

    public long[] Accumulators { get; set; } = [];

    private int? _accAddr;

    /// <summary>One cycle with the given inputs (src_sel and acc_rd_data filled in).</summary>
    public ActRwOutputs Step(ActRwInputs inputs)
    {
        long acc = _accAddr is int a && a < Accumulators.Length ? Accumulators[a] : 0;
        var seen = Unit.Step(inputs with { SrcSel = SrcSel, AccRdData = acc });
        _accAddr = seen.AccRdEn ? seen.AccRdAddr : null;
        Cycle++;
        return seen;
    }

    public void HostWrite(bool half, IReadOnlyList<int> acts)
    {
        for (int a = 0; a < acts.Count; a++)
            Step(new ActRwInputs { HostWe = true, HostHalf = half, HostAddr = a, HostWdata = (uint)acts[a] });
    }

    /// <summary>Reads <paramref name="count"/> acts of a half back, sign-extended.</summary>
    public int[] HostRead(bool half, int count)
    {
        var result = new List<int>();
        for (int a = 0; a <= count; a++)
        {
            var seen = Step(a < count ? new ActRwInputs { HostRe = true, HostHalf = half, HostAddr = a } : default);
            Assert.Equal(a > 0, seen.HostRvalid);
            if (seen.HostRvalid) result.Add(SignExtend(seen.HostRdata, Unit.Params.ActWidth));
        }
        return [.. result];
    }

    /// <summary>
    /// A scan of length <paramref name="len"/>: pulses scan_start, then runs until scan_done,
    /// taking offers when <paramref name="ready"/> says so. Returns the offers and their cycles
    /// relative to the start pulse.
    /// </summary>
    public List<(int Act, int Idx, long At)> Scan(long len, Func<bool>? ready = null, int limit = 100_000)
    {
        long start = Cycle;
        var offers = new List<(int, int, long)>();
        var seen = Step(new ActRwInputs { ScanStart = true, InLen = len });
        for (int i = 0; i < limit; i++)
        {
            bool r = ready?.Invoke() ?? true;
            seen = Step(new ActRwInputs { OfferReady = r });
            if (seen.OfferValid && r)
                offers.Add((SignExtend(seen.OfferAct, Unit.Params.ActWidth), seen.OfferIdx, Cycle - 1 - start));
            if (seen.ScanDone) return offers;
        }
        throw new InvalidOperationException("scan did not finish");
    }

    /// <summary>A write-back; returns the cycles from the start pulse to the first with wb_done_o.</summary>
    public long WriteBack(long outLen, bool relu)
    {
        // out_len_i and relu_i are held from the cycle before the pulse to the end, as the CCU does.
        var held = new ActRwInputs { OutLen = outLen, Relu = relu };
        Step(held);
        long start = Cycle;
        Step(held with { WbStart = true });
        for (int i = 0; i < 100_000; i++)
            if (Step(held).WbDone) return Cycle - 1 - start;
        throw new InvalidOperationException("write-back did not finish");
    }

    public static int SignExtend(uint raw, int width) => (int)(raw << (32 - width)) >> (32 - width);
}

public class ActRwModelTests
{
    private static EieConfig Config(int pes, int actSramDepth = 64) =>
        new() { Pes = pes, ActSramDepth = actSramDepth, ActRegEntries = actSramDepth / 2 };

    /// <summary>The acts PE pe holds of a global vector: entries pe, pe+N, ... below its length.</summary>
    private static int[] Local(int[] global, int pe, int pes) =>
        Enumerable.Range(0, global.Length).Where(j => j % pes == pe).Select(j => global[j]).ToArray();

    private static List<(int Act, int Idx)> ExpectedOffers(int[] global, int pe, int pes) =>
        Enumerable.Range(0, global.Length).Where(j => j % pes == pe && global[j] != 0).Select(j => (global[j], j)).ToList();

    private static int[] RandomActs(Random rng, int length, double density) =>
        Enumerable.Range(0, length).Select(_ => rng.NextDouble() < density ? rng.Next(-32768, 32768) | 1 : 0).ToArray();

    [Fact]
    public void ParamsOfTheDefaultConfig()
    {
        var p = new ActRw(new EieConfig()).Params;
        Assert.Equal((64, 512, 9, 6, 16, 16, 14), (p.Pes, p.HalfDepth, p.HalfAddrWidth, p.PeWidth, p.LenWidth, p.JWidth, p.IdxWidth));
        Assert.Equal(32768, p.MaxLen);
        Assert.Equal(6, p.ActRegAddrWidth);
    }

    [Fact]
    public void IsIdleAfterReset()
    {
        var d = new ActRwDriver(Config(4), 1);
        var seen = d.Step(default);
        Assert.True(seen.ScanDone);
        Assert.True(seen.WbDone);
        Assert.False(seen.OfferValid);
        Assert.False(seen.AccRdEn);
        Assert.False(seen.HostRvalid);
    }

    [Fact]
    public void HostWritesAndReadsBothHalves()
    {
        var d = new ActRwDriver(Config(4), 0);
        d.HostWrite(false, [1, -2, 3]);
        d.HostWrite(true, [-7, 8]);
        Assert.Equal([1, -2, 3], d.HostRead(false, 3));
        Assert.Equal([-7, 8], d.HostRead(true, 2));
    }

    [Fact]
    public void AnAllZeroScanOffersNothing()
    {
        var d = new ActRwDriver(Config(3), 2);
        d.HostWrite(false, new int[32]);
        Assert.Empty(d.Scan(96));
    }

    [Theory]
    [InlineData(0, 1, 16)]
    [InlineData(2, 3, 40)]
    [InlineData(5, 8, 200)]
    public void AllNonZeroActsComeOnePerCycleInAscendingJ(int pe, int pes, int len)
    {
        var d = new ActRwDriver(Config(pes, 64), pe);
        var global = Enumerable.Range(0, len).Select(j => j + 1).ToArray();
        d.HostWrite(false, Local(global, pe, pes));
        var offers = d.Scan(len);
        Assert.Equal(ExpectedOffers(global, pe, pes), offers.Select(o => (o.Act, o.Idx)));
        // Local address a is read in cycle s+1+a and offered from cycle s+3+a.
        Assert.Equal(Enumerable.Range(0, offers.Count).Select(a => 3L + a), offers.Select(o => o.At));
    }

    [Fact]
    public void ZerosCostTheirReadCycle()
    {
        var d = new ActRwDriver(Config(1, 64), 0);
        d.HostWrite(false, [0, 0, 5, 0, 6]);
        var offers = d.Scan(5);
        Assert.Equal([(5, 2, 5L), (6, 4, 7L)], offers);
    }

    [Theory]
    [InlineData(5, 7)]   // last local act non-zero: taken at s+2+K, done from s+3+K
    [InlineData(5, 0)]   // all zero: the last act arrives at s+1+K, done from s+2+K
    [InlineData(1, 0)]
    public void ScanDoneRisesAsDocumented(int local, int lastAct)
    {
        var d = new ActRwDriver(Config(1), 0);
        d.HostWrite(false, [.. Enumerable.Repeat(0, local - 1), lastAct]);
        Assert.True(d.Step(new ActRwInputs { ScanStart = true, InLen = local }).ScanDone);
        int t = 1;
        while (!d.Step(new ActRwInputs { OfferReady = true }).ScanDone) t++;
        Assert.Equal(local + (lastAct != 0 ? 3 : 2), t);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 3)]
    [InlineData(5, 2)]
    public void NothingToScanWhenTheLengthIsAtMostPe(int pe, int len)
    {
        var d = new ActRwDriver(Config(8), pe);
        d.HostWrite(false, [9, 9, 9]);
        var start = d.Step(new ActRwInputs { ScanStart = true, InLen = len });
        Assert.True(start.ScanDone);
        for (int i = 0; i < 5; i++)
        {
            var seen = d.Step(new ActRwInputs { OfferReady = true });
            Assert.True(seen.ScanDone);
            Assert.False(seen.OfferValid);
        }
    }

    [Theory]
    [InlineData(0, 1, 31, 0.5, 0.5)]
    [InlineData(2, 3, 95, 0.3, 0.3)]
    [InlineData(2, 3, 94, 0.9, 0.8)]
    [InlineData(5, 64, 1500, 0.6, 0.2)]
    [InlineData(63, 64, 2048, 1.0, 0.5)]
    [InlineData(1, 5, 7, 1.0, 0.1)]
    public void RandomBackPressureNeitherLosesNorDuplicatesAnOffer(int pe, int pes, int len, double density, double readyRate)
    {
        var rng = new Random(pe * 1000 + len);
        var d = new ActRwDriver(Config(pes, 64), pe);
        var global = RandomActs(rng, len, density);
        d.HostWrite(false, Local(global, pe, pes));
        var offers = d.Scan(len, () => rng.NextDouble() < readyRate);
        Assert.Equal(ExpectedOffers(global, pe, pes), offers.Select(o => (o.Act, o.Idx)));
        Assert.True(d.Unit.Buffered == 0);
    }

    [Fact]
    public void TheBufferNeverHoldsMoreThanThreeOffers()
    {
        var d = new ActRwDriver(Config(1, 64), 0);
        d.HostWrite(false, Enumerable.Range(1, 32).ToArray());
        d.Step(new ActRwInputs { ScanStart = true, InLen = 32 });
        for (int i = 0; i < 20; i++)
        {
            d.Step(default);
            Assert.True(d.Unit.Buffered <= ActRwParams.BufferDepth);
        }
        Assert.Equal(ActRwParams.BufferDepth, d.Unit.Buffered);
        var offers = new List<(int, int)>();
        for (int i = 0; i < 200 && offers.Count < 32; i++)
        {
            bool ready = i % 3 != 0;
            var seen = d.Step(new ActRwInputs { OfferReady = ready });
            if (seen.OfferValid && ready) offers.Add(((int)seen.OfferAct, seen.OfferIdx));
        }
        Assert.Equal(Enumerable.Range(1, 32).Select(a => (a, a - 1)), offers);
        Assert.True(d.Step(default).ScanDone);
    }

    [Theory]
    [InlineData(0, 1, 20, false)]
    [InlineData(2, 3, 61, true)]
    [InlineData(5, 64, 700, true)]
    [InlineData(4, 5, 4, false)]
    public void WriteBackRequantisesEachOwnedRowIntoTheDestination(int pe, int pes, int outLen, bool relu)
    {
        var config = Config(pes, 64);
        var fp = new FixedPoint(config);
        var rng = new Random(outLen);
        var d = new ActRwDriver(config, pe) { SrcSel = true };
        int rows = Enumerable.Range(0, outLen).Count(i => i % pes == pe);
        d.Accumulators = Enumerable.Range(0, rows).Select(_ => rng.NextInt64(-(1L << 31), 1L << 31) >> rng.Next(0, 12)).ToArray();
        d.HostWrite(false, Enumerable.Repeat(77, rows).ToArray());
        long cycles = d.WriteBack(outLen, relu);
        Assert.Equal(rows == 0 ? 1 : rows + 3, cycles);
        Assert.Equal(d.Accumulators.Select(a => fp.Requantize(a, relu)), d.HostRead(false, rows));
    }

    [Fact]
    public void WriteBackReadsOneRowPerCycle()
    {
        var d = new ActRwDriver(Config(2, 64), 1) { Accumulators = new long[10] };
        var held = new ActRwInputs { OutLen = 20 };
        d.Step(held);
        d.Step(held with { WbStart = true });
        var reads = new List<(long, int)>();
        for (int i = 0; i < 14; i++)
        {
            var seen = d.Step(held);
            if (seen.AccRdEn) reads.Add((d.Cycle - 1, seen.AccRdAddr));
            Assert.Equal(i >= 12, seen.WbDone);
        }
        // Cycle 0 presents out_len, the pulse is in cycle 1, row r is read in cycle 2 + r.
        Assert.Equal(Enumerable.Range(0, 10).Select(r => (2L + r, r)), reads);
    }

    [Fact]
    public void HalvesSwapRolesAcrossTwoLayers()
    {
        // Layer 1: 12 inputs in half 0, 9 outputs into half 1; layer 2 scans half 1.
        const int pes = 3, pe = 1;
        var config = Config(pes, 64);
        var fp = new FixedPoint(config);
        var d = new ActRwDriver(config, pe);
        var input = new[] { 0, 5, 0, 0, 0, 0, 0, -3, 0, 0, 9, 0 };
        d.HostWrite(false, Local(input, pe, pes));
        d.SrcSel = false;
        Assert.Equal(ExpectedOffers(input, pe, pes), d.Scan(input.Length).Select(o => (o.Act, o.Idx)));
        var accs = new long[] { 3 << 12, -(5 << 12), 0 };   // rows 0, 1, 2 = outputs 1, 4, 7
        d.Accumulators = accs;
        d.WriteBack(9, relu: true);
        var output = new int[9];
        for (int r = 0; r < 3; r++) output[pe + pes * r] = fp.Requantize(accs[r], true);
        d.SrcSel = true;
        Assert.Equal([(3, 1)], d.Scan(9).Select(o => (o.Act, o.Idx)));
        Assert.Equal(ExpectedOffers(output, pe, pes), [(3, 1)]);
        // The old source is untouched and becomes the next destination.
        Assert.Equal(Local(input, pe, pes), d.HostRead(false, 4));
    }
}
