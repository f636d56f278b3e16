using System.Numerics;
using EieHdl.Config;
using EieHdl.Hardware;

namespace EieHdl.Tests.Hardware;

/// <summary>
/// Icarus co-check of eie_spmat_read against its C# model: the spmat SRAM is filled with random
/// words through the load port, then a random column stream (empty, 1-entry, short and
/// multi-word columns at random alignment) arrives with random gaps and back-to-back phases,
/// with host writes while it is idle in between; every output must agree in every cycle.
/// </summary>
public class SpmatReadCosimTests
{
    private const int StreamCycles = 1500;

    [Theory]
    [InlineData(4, 4, 64, 16384, 17)]   // the default config
    [InlineData(4, 3, 56, 1000, 16)]    // 7-bit entries in 56-bit words
    [InlineData(3, 3, 24, 300, 14)]     // 6-bit entries in 24-bit words
    [InlineData(4, 4, 8, 512, 9)]       // one entry a word
    [InlineData(2, 2, 8, 64, 5)]        // 2 entries a word, SRAM address wider than a word address
    public void RtlMatchesTheModel(int indexBits, int runBits, int wordBits, int depth, int ptrWidth)
    {
        var config = SpmatReadToolTests.Config(indexBits, runBits, wordBits, depth, ptrWidth);
        var unit = new SpmatRead(config);
        var p = unit.Params;
        var bench = new CosimBench("eie_spmat_read",
            [new("load_we_i", 1), new("load_addr_i", p.SpmatAddrWidth), new("load_data_i", p.WordBits),
             new("col_valid_i", 1), new("col_start_i", p.PtrWidth), new("col_end_i", p.PtrWidth),
             new("col_act_i", p.ActWidth)],
            [new("col_ready_o", 1), new("out_valid_o", 1), new("out_v_o", p.IndexBits, "out_valid_o"),
             new("out_z_o", p.RunBits, "out_valid_o"), new("out_first_o", 1, "out_valid_o"),
             new("out_act_o", p.ActWidth, "out_valid_o"), new("busy_o", 1)]);
        var rng = new Random(wordBits * 1000 + depth);
        ulong wordMask = wordBits == 64 ? ulong.MaxValue : (1UL << wordBits) - 1;
        ulong RandomWord() => ((ulong)rng.NextInt64() ^ ((ulong)rng.NextInt64() << 32)) & wordMask;
        int words = Math.Min(depth, 48);
        int space = (int)Math.Min((long)words * p.EntriesPerWord, (1L << ptrWidth) - 1);
        int e = p.EntriesPerWord;

        SpmatReadOutputs Cycle(SpmatReadInputs inputs)
        {
            var o = unit.Step(inputs);
            bench.Cycle(
                [B(inputs.LoadWe), inputs.LoadAddr, inputs.LoadData, B(inputs.ColValid), inputs.ColStart,
                 inputs.ColEnd, inputs.ColAct],
                [B(o.ColReady), B(o.OutValid), o.OutV, o.OutZ, B(o.OutFirst), o.OutAct, B(o.Busy)]);
            return o;
        }

        // Load every word the columns will read; the column port carries junk, not valid.
        for (int w = 0; w < words; w++)
            Cycle(new(false, rng.Next(1 << ptrWidth), rng.Next(1 << ptrWidth), 0, true, w, RandomWord()));

        SpmatColumn? offered = null;
        int entries = 0;
        var last = default(SpmatReadOutputs);
        for (int cycle = 0; cycle < StreamCycles; cycle++)
        {
            // Phases: columns always there, sparse arrivals, and a drain at the end.
            int phase = cycle / 150 % 3;
            bool arrive = cycle < StreamCycles - 60 && phase switch { 0 => true, 1 => rng.Next(4) == 0, _ => rng.Next(2) == 0 };
            if (offered is null && arrive)
            {
                int length = rng.Next(8) switch
                {
                    0 => 0,
                    1 or 2 => 1,
                    3 => 2,
                    _ => rng.Next(1, Math.Min(3 * e + 2, space)),
                };
                long start = rng.Next(space - length + 1);
                offered = new SpmatColumn(start, start + length, (uint)rng.Next(1 << p.ActWidth));
            }
            // A host write only while the unit is idle (it was not busy in the last cycle, so
            // the fetcher holds no column now), as the CCU loads only in I/O mode.
            bool load = !last.Busy && rng.Next(10) == 0;
            var c = offered ?? new SpmatColumn(rng.Next(1 << ptrWidth), rng.Next(1 << ptrWidth), 0);
            var inputs = new SpmatReadInputs(offered is not null, c.Start, c.End, c.Act,
                load, rng.Next(words), RandomWord());
            last = Cycle(inputs);
            if (offered is not null && last.ColReady) offered = null;
            if (last.OutValid) entries++;
        }
        // The stream drained, and it was a real workout.
        Assert.Null(offered);
        Assert.False(last.Busy);
        Assert.InRange(entries, StreamCycles / 3, StreamCycles);
        using var scratch = new RtlScratch(config);
        bench.Run(scratch, ["eie_sram_sp.v", "eie_spmat_read.v"]);
    }

    private static BigInteger B(bool bit) => bit ? BigInteger.One : BigInteger.Zero;
}
