using System.Numerics;
using EieHdl.Config;
using EieHdl.Hardware;

namespace EieHdl.Tests.Hardware;

/// <summary>
/// Cycle-level co-checks under Icarus: the generated RTL and the C# model see the same random
/// inputs, and every output of every cycle must agree (payloads only while their valid is high).
/// </summary>
public class CosimTests
{
    private const int Cycles = 600;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(8)]
    public void ActQueueRtlMatchesTheModel(int depth)
    {
        var config = new EieConfig { Pes = 4, ActQueueDepth = depth, PtrDepth = 1000 };
        var queue = new ActQueue(config);
        var p = queue.Params;
        var bench = new CosimBench("eie_act_queue",
            [new("push_valid_i", 1), new("push_act_i", p.ActWidth), new("push_idx_i", p.IdxWidth), new("pop_ready_i", 1)],
            [new("push_ready_o", 1), new("pop_valid_o", 1), new("pop_act_o", p.ActWidth, "pop_valid_o"),
             new("pop_idx_o", p.IdxWidth, "pop_valid_o")]);
        var rng = new Random(depth);
        for (int cycle = 0; cycle < Cycles; cycle++)
        {
            // Phases of heavy push and heavy pop so that the queue runs full and empty.
            bool pushHeavy = cycle / 50 % 2 == 0;
            var inputs = new ActQueueInputs(rng.Next(4) < (pushHeavy ? 3 : 1), (uint)rng.Next(1 << p.ActWidth),
                rng.Next(1 << p.IdxWidth), rng.Next(4) < (pushHeavy ? 1 : 3));
            var seen = queue.Step(inputs);
            bench.Cycle(
                [B(inputs.PushValid), inputs.PushAct, inputs.PushIdx, B(inputs.PopReady)],
                [B(seen.PushReady), B(seen.PopValid), seen.PopValid ? seen.PopAct : 0, seen.PopValid ? seen.PopIdx : 0]);
        }
        using var scratch = new RtlScratch(config);
        bench.Run(scratch, ["eie_act_queue.v"]);
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(5, 4)]
    [InlineData(16, 4)]
    [InlineData(7, 2)]
    public void LnzdTreeRtlMatchesTheModel(int pes, int fanIn)
    {
        var config = new EieConfig { Pes = pes, LnzdFanIn = fanIn, PtrDepth = 1000 };
        var tree = new LnzdTree(config);
        var p = tree.Params;
        var bench = new CosimBench("eie_lnzd_tree",
            [new("valid_i", pes), new("act_i", pes * p.ActWidth), new("idx_i", pes * p.IdxWidth), new("ready_i", 1)],
            [new("ready_o", pes), new("valid_o", 1), new("act_o", p.ActWidth, "valid_o"),
             new("idx_o", p.IdxWidth, "valid_o"), new("src_pe_o", p.PeWidth, "valid_o"), new("busy_o", 1)]);
        var rng = new Random(pes * 10 + fanIn);
        var offers = new LnzdOffer[pes];
        var ready = new bool[pes];
        for (int cycle = 0; cycle < Cycles; cycle++)
        {
            for (int pe = 0; pe < pes; pe++)
                offers[pe] = new LnzdOffer(rng.Next(5) < 2, (uint)rng.Next(1 << p.ActWidth), rng.Next(1 << p.IdxWidth), 0);
            bool ccuReady = rng.Next(4) > 0;
            bool busy = tree.Busy;
            var seen = tree.Step(offers, ccuReady, ready);
            bench.Cycle(
                [Vector(offers.Select(o => B(o.Valid)), 1), Vector(offers.Select(o => (BigInteger)o.Act), p.ActWidth),
                 Vector(offers.Select(o => (BigInteger)o.Idx), p.IdxWidth), B(ccuReady)],
                [Vector(ready.Select(B), 1), B(seen.Valid), seen.Valid ? seen.Act : 0, seen.Valid ? seen.Idx : 0,
                 seen.Valid ? seen.Src : 0, B(busy)]);
        }
        using var scratch = new RtlScratch(config);
        bench.Run(scratch, ["eie_lnzd_node.v", "eie_lnzd_tree.v"]);
    }

    private static BigInteger B(bool bit) => bit ? BigInteger.One : BigInteger.Zero;

    /// <summary>A flat vector port: element e in bits [e*width +: width].</summary>
    private static BigInteger Vector(IEnumerable<BigInteger> elements, int width)
    {
        var word = BigInteger.Zero;
        foreach (var (e, i) in elements.Select((e, i) => (e, i)))
            word |= e << (i * width);
        return word;
    }
}
