using EieHdl.Hardware;
using EieHdl.Simulation;
using Xunit.Abstractions;

namespace EieHdl.Tests.Simulation;

/// <summary>Several instances of one library and models of different libraries in one process.</summary>
[Collection(SimCollection.Name)]
public class SideBySideTests(SimFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void InstancesAndDesignsRunInterleaved()
    {
        // Depth 2 and depth 8 are both module eie_act_queue: two libraries with the same class
        // names, which only works because each keeps its symbols to itself.
        var libs = new[] { fixture.Queue8, fixture.Queue8, fixture.Queue2 };
        var lnzdLib = fixture.Lnzd;
        foreach (var l in libs.Distinct().Append(lnzdLib)) output.WriteLine(SimFixture.Describe(l));
        Assert.NotEqual(fixture.Queue8.LibraryPath, fixture.Queue2.LibraryPath);

        var models = libs.Select(l => new VerilatedModel(l)).ToArray();
        using var lnzd = new VerilatedModel(lnzdLib);
        try
        {
            var queues = new[] { new ActQueue(SimFixture.QueueConfig(8)), new ActQueue(SimFixture.QueueConfig(8)),
                new ActQueue(SimFixture.QueueConfig(2)) };
            var ports = models.Select(m => new ActQueueNativeTests.QueuePorts(m)).ToArray();
            var rngs = new[] { new Random(1), new Random(2), new Random(3) };
            var tree = new LnzdTree(SimFixture.LnzdConfig);
            var bench = new LnzdBench(lnzd, tree);
            var rng = new Random(4);
            for (int i = 0; i < models.Length; i++) ports[i].Reset(models[i]);
            bench.Reset();
            for (int cycle = 0; cycle < 3000; cycle++)
            {
                for (int i = 0; i < models.Length; i++)
                {
                    var inputs = ActQueueNativeTests.RandomInputs(rngs[i], queues[i].Params, cycle);
                    ActQueueNativeTests.AssertSame(queues[i].Step(inputs), ports[i].Cycle(models[i], inputs), cycle,
                        $"queue instance {i} (depth {queues[i].Params.Depth})");
                }
                bench.Cycle(rng, cycle);
            }
            Assert.True(bench.Delivered > 500, $"the tree delivered only {bench.Delivered} offers");
        }
        finally
        {
            foreach (var m in models) m.Dispose();
        }
    }

    /// <summary>Drives eie_lnzd_tree (act_i and idx_i are flat vectors; act_i is 80 bits) against LnzdTree.Step.</summary>
    private sealed class LnzdBench(VerilatedModel model, LnzdTree tree)
    {
        private readonly int _clk = model.Port("clk_i");
        private readonly int _rstN = model.Port("rst_ni");
        private readonly int _valid = model.Port("valid_i");
        private readonly int _readyOut = model.Port("ready_o");
        private readonly int _act = model.Port("act_i");
        private readonly int _idx = model.Port("idx_i");
        private readonly int _validOut = model.Port("valid_o");
        private readonly int _readyIn = model.Port("ready_i");
        private readonly int _actOut = model.Port("act_o");
        private readonly int _idxOut = model.Port("idx_o");
        private readonly int _src = model.Port("src_pe_o");
        private readonly LnzdOffer[] _offers = new LnzdOffer[tree.Pes];
        private readonly bool[] _ready = new bool[tree.Pes];

        public int Delivered { get; private set; }

        public void Reset()
        {
            model.Set(_rstN, 0);
            model.Tick(_clk);
            model.Set(_rstN, 1);
        }

        public void Cycle(Random rng, int cycle)
        {
            var p = tree.Params;
            for (int pe = 0; pe < tree.Pes; pe++)
                _offers[pe] = new LnzdOffer(rng.Next(5) < 2, (uint)rng.Next(1 << p.ActWidth), rng.Next(1 << p.IdxWidth), 0);
            bool readyIn = rng.Next(4) > 0;
            var expected = tree.Step(_offers, readyIn, _ready);

            Assert.True(model.Ports[_act].IsWide);
            Span<uint> words = stackalloc uint[model.Ports[_act].Words];
            Pack(words, _offers.Select(o => (ulong)o.Act), p.ActWidth);
            model.Set(_act, words);
            Span<uint> idxWords = stackalloc uint[model.Ports[_idx].Words];
            Pack(idxWords, _offers.Select(o => (ulong)o.Idx), p.IdxWidth);
            model.Set(_idx, idxWords);
            model.Set(_valid, _offers.Select((o, i) => o.Valid ? 1UL << i : 0).Aggregate(0UL, (a, b) => a | b));
            model.Set(_readyIn, readyIn ? 1UL : 0);
            model.Eval();

            var readyBits = model.Get(_readyOut);
            for (int pe = 0; pe < tree.Pes; pe++)
                Assert.True(_ready[pe] == ((readyBits >> pe & 1) != 0), $"lnzd cycle {cycle}: ready_o[{pe}]");
            bool valid = model.Get(_validOut) != 0;
            Assert.True(expected.Valid == valid, $"lnzd cycle {cycle}: valid_o model {expected.Valid}");
            if (valid)
            {
                Assert.Equal(expected.Act, (uint)model.Get(_actOut));
                Assert.Equal(expected.Idx, (int)model.Get(_idxOut));
                Assert.Equal(expected.Src, (int)model.Get(_src));
                if (readyIn) Delivered++;
            }
            model.Tick(_clk);
        }

        private static void Pack(Span<uint> words, IEnumerable<ulong> elements, int width)
        {
            words.Clear();
            int bit = 0;
            foreach (var e in elements)
            {
                for (int b = 0; b < width; b++, bit++)
                    if ((e >> b & 1) != 0) words[bit / 32] |= 1u << (bit % 32);
            }
        }
    }
}
