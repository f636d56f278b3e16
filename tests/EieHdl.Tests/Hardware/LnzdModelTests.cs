using EieHdl.Config;
using EieHdl.Hardware;

namespace EieHdl.Tests.Hardware;

public class LnzdModelTests
{
    private static readonly LnzdParams P = new(4, 16, 14, 8);

    private static LnzdOffer Offer(uint act, int idx, int src = 0) => new(true, act, idx, src);

    [Fact]
    public void ANodeTakesTheLowestValidChildAndOnlyThatOne()
    {
        var node = new LnzdNode(P, 4);
        var ready = new bool[4];
        LnzdOffer[] inputs = [default, Offer(11, 1, 1), default, Offer(33, 3, 3)];
        Assert.False(node.Step(inputs, readyIn: false, ready).Valid);
        Assert.Equal([false, true, false, false], ready);
        Assert.Equal(Offer(11, 1, 1), node.Output);
    }

    [Fact]
    public void AFullNodeThatIsNotDrainedTakesNothing()
    {
        var node = new LnzdNode(P, 2);
        var ready = new bool[2];
        node.Step([Offer(1, 1), Offer(2, 2)], readyIn: false, ready);
        var seen = node.Step([default, Offer(2, 2)], readyIn: false, ready);
        Assert.Equal(Offer(1, 1), seen);
        Assert.Equal([false, false], ready);
        Assert.Equal(Offer(1, 1), node.Output);
    }

    [Fact]
    public void ADrainedNodeTakesTheNextOfferInTheSameCycle()
    {
        var node = new LnzdNode(P, 2);
        var ready = new bool[2];
        node.Step([Offer(1, 1), default], readyIn: false, ready);
        var seen = node.Step([default, Offer(2, 2)], readyIn: true, ready);
        Assert.Equal(Offer(1, 1), seen);
        Assert.Equal([false, true], ready);
        Assert.Equal(Offer(2, 2), node.Output);
        node.Step([default, default], readyIn: true, ready);
        Assert.False(node.Output.Valid);
    }

    [Fact]
    public void AOneChildNodeIsAPipelineStage()
    {
        var node = new LnzdNode(P, 1);
        var ready = new bool[1];
        for (int i = 0; i < 5; i++)
        {
            var seen = node.Step([Offer((uint)i, i)], readyIn: true, ready);
            Assert.True(ready[0]);
            Assert.Equal(i > 0, seen.Valid);
            if (i > 0) Assert.Equal(i - 1, seen.Idx);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void TreeShapeCoversEveryPeCountWithFullNodesBeforeTheLast(int fanIn)
    {
        for (int pes = 1; pes <= 256; pes++)
        {
            var shape = LnzdTree.ShapeOf(pes, fanIn);
            int below = pes;
            foreach (var level in shape)
            {
                Assert.Equal(below, level.Sum());
                Assert.All(level.SkipLast(1), c => Assert.Equal(fanIn, c));
                Assert.InRange(level[^1], 1, fanIn);
                below = level.Count;
            }
            Assert.Single(shape[^1]);
            int expectedLevels = 1;
            while (Math.Pow(fanIn, expectedLevels) < pes) expectedLevels++;
            Assert.Equal(expectedLevels, shape.Count);
        }
    }

    [Fact]
    public void SixtyFourPesWithFanInFourIsThePapersQuadtree()
    {
        var tree = new LnzdTree(new EieConfig { Pes = 64, LnzdFanIn = 4 });
        Assert.Equal(3, tree.LevelCount);
        Assert.Equal([16, 4, 1], tree.NodesPerLevel);
        Assert.Equal([1], new LnzdTree(new EieConfig { Pes = 1 }).NodesPerLevel);
        Assert.Equal([64, 16, 4, 1], new LnzdTree(new EieConfig { Pes = 256 }).NodesPerLevel);
        Assert.Equal([2, 1], LnzdTree.ShapeOf(5, 4).Select(l => l.Count));
        Assert.Equal([4, 1], LnzdTree.ShapeOf(5, 4)[0]);
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(5, 4)]
    [InlineData(64, 4)]
    [InlineData(7, 2)]
    public void TheFirstOfferReachesTheCcuAfterOneCyclePerLevelFromTheLowestPe(int pes, int fanIn)
    {
        var tree = new LnzdTree(pes, new LnzdParams(fanIn, 16, 14, VerilogText.IndexBits(pes)));
        var offers = Enumerable.Range(0, pes).Select(p => Offer((uint)(1000 + p), p)).ToArray();
        var ready = new bool[pes];
        int cycle = 0;
        LnzdOffer seen;
        do
        {
            seen = tree.Step(offers, readyIn: true, ready);
            if (cycle == 0) Assert.True(ready[0]);
            cycle++;
        } while (!seen.Valid);
        Assert.Equal(tree.LevelCount + 1, cycle);
        Assert.Equal(new LnzdOffer(true, 1000, 0, 0), seen);
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(6, 4)]
    [InlineData(16, 4)]
    [InlineData(9, 2)]
    [InlineData(20, 8)]
    public void EveryOfferReachesTheCcuOnceWithItsPeInPerPeOrder(int pes, int fanIn)
    {
        var tree = new LnzdTree(pes, new LnzdParams(fanIn, 16, 14, VerilogText.IndexBits(pes)));
        var rng = new Random(pes * 31 + fanIn);
        var pending = Enumerable.Range(0, pes).Select(p =>
            new Queue<int>(Enumerable.Range(0, rng.Next(0, 6)).Select(k => p * 100 + k))).ToArray();
        int total = pending.Sum(q => q.Count);
        var received = Enumerable.Range(0, pes).Select(_ => new List<int>()).ToArray();
        var offers = new LnzdOffer[pes];
        var ready = new bool[pes];
        for (int cycle = 0; cycle < 2000 && received.Sum(r => r.Count) < total; cycle++)
        {
            for (int p = 0; p < pes; p++)
                offers[p] = pending[p].TryPeek(out var v) ? Offer((uint)v, v) : default;
            bool ccuReady = rng.Next(4) > 0;
            var seen = tree.Step(offers, ccuReady, ready);
            for (int p = 0; p < pes; p++)
            {
                Assert.False(ready[p] && !offers[p].Valid, "ready to a PE without an offer");
                if (ready[p]) pending[p].Dequeue();
            }
            if (seen.Valid && ccuReady) received[seen.Src].Add(seen.Idx);
        }
        for (int p = 0; p < pes; p++)
        {
            Assert.Empty(pending[p]);
            Assert.Equal(Enumerable.Range(0, received[p].Count).Select(k => p * 100 + k), received[p]);
        }
        Assert.Equal(total, received.Sum(r => r.Count));
    }
}
