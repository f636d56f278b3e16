using EieHdl.Config;
using EieHdl.Hardware;

namespace EieHdl.Tests.Hardware;

public class SramSinglePortModelTests
{
    [Fact]
    public void ReadDataAppearsOneCycleLaterAndHoldsThroughWrites()
    {
        var ram = new SramSinglePort(new SramShape("test", 8, 5));
        ram.Step(en: true, we: true, addr: 3, wdata: 0x1AB);
        Assert.Equal(0UL, ram.Step(en: true, we: false, addr: 3, wdata: 0));
        Assert.Equal(0xABUL, ram.Step(en: true, we: true, addr: 3, wdata: 0x11));
        Assert.Equal(0xABUL, ram.Step(en: false, we: false, addr: 0, wdata: 0));
        ram.Step(en: true, we: false, addr: 3, wdata: 0);
        Assert.Equal(0x11UL, ram.Step(en: false, we: false, addr: 0, wdata: 0));
    }

    [Fact]
    public void AnAddressBeyondDepthIsNotStored()
    {
        var ram = new SramSinglePort(new SramShape("test", 8, 5));
        ram.Step(en: true, we: true, addr: 5, wdata: 7);
        ram.Step(en: true, we: false, addr: 5, wdata: 0);
        Assert.Equal(0UL, ram.Step(en: false, we: false, addr: 0, wdata: 0));
    }

    [Fact]
    public void TheDefaultConfigHasThePapersMemoriesAndTheCodebook()
    {
        var shapes = SramSinglePort.ShapesFor(new EieConfig());
        Assert.Equal(
            [new SramShape("spmat", 64, 16384), new SramShape("ptr even bank", 17, 8192),
             new SramShape("ptr odd bank", 17, 8192), new SramShape("act SRAM half", 16, 512),
             new SramShape("act SRAM half", 16, 512), new SramShape("codebook (PE)", 16, 16),
             new SramShape("codebook (CCU)", 16, 128)],
            shapes);
        Assert.Equal(14, shapes[0].AddrWidth);
        Assert.Equal(1, new SramShape("one", 4, 1).AddrWidth);
    }
}

public class ActQueueModelTests
{
    private static ActQueueInputs Push(uint act, int idx, bool popReady = false) => new(true, act, idx, popReady);

    private static readonly ActQueueInputs Idle = new(false, 0, 0, false);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(8)]
    public void FillsToDepthThenRefusesAndDrainsInOrder(int depth)
    {
        var q = new ActQueue(new ActQueueParams(depth, 16, 14));
        for (int i = 0; i < depth; i++)
        {
            var seen = q.Step(Push((uint)(100 + i), i));
            Assert.True(seen.PushReady);
            Assert.Equal(i > 0, seen.PopValid);
        }
        Assert.Equal(depth, q.Count);
        var full = q.Step(Push(999, 99));
        Assert.False(full.PushReady);
        Assert.Equal(depth, q.Count);
        for (int i = 0; i < depth; i++)
        {
            var seen = q.Step(new ActQueueInputs(false, 0, 0, true));
            Assert.True(seen.PopValid);
            Assert.Equal((uint)(100 + i), seen.PopAct);
            Assert.Equal(i, seen.PopIdx);
        }
        Assert.False(q.Step(Idle).PopValid);
    }

    [Fact]
    public void APushIsVisibleAtThePopPortTheNextCycle()
    {
        var q = new ActQueue(new ActQueueParams(4, 16, 14));
        Assert.False(q.Step(Push(7, 3, popReady: true)).PopValid);
        var next = q.Step(Idle);
        Assert.Equal(new ActQueueOutputs(true, true, 7, 3), next);
    }

    [Fact]
    public void AFullQueueRefusesAPushEvenWhilePopping()
    {
        var q = new ActQueue(new ActQueueParams(2, 16, 14));
        q.Step(Push(1, 1));
        q.Step(Push(2, 2));
        var seen = q.Step(Push(3, 3, popReady: true));
        Assert.False(seen.PushReady);
        Assert.Equal(1u, seen.PopAct);
        Assert.Equal(1, q.Count);
        Assert.Equal(2u, q.Step(Idle).PopAct);
    }

    [Fact]
    public void DepthOneAcceptsEveryOtherCycleUnderContinuousTraffic()
    {
        var q = new ActQueue(new ActQueueParams(1, 16, 14));
        var accepted = Enumerable.Range(0, 10).Count(i => q.Step(Push((uint)i, i, popReady: true)).PushReady);
        Assert.Equal(5, accepted);
    }

    [Fact]
    public void KeepsOrderUnderRandomTrafficAtANonPowerOfTwoDepth()
    {
        var q = new ActQueue(new ActQueueParams(5, 16, 14));
        var rng = new Random(7);
        int pushed = 0, popped = 0;
        for (int cycle = 0; cycle < 500; cycle++)
        {
            var inputs = new ActQueueInputs(rng.Next(3) > 0, (uint)(pushed * 3), pushed, rng.Next(2) > 0);
            var seen = q.Step(inputs);
            if (seen.PopValid && inputs.PopReady)
            {
                Assert.Equal(popped, seen.PopIdx);
                Assert.Equal((uint)(popped * 3), seen.PopAct);
                popped++;
            }
            if (seen.PushReady && inputs.PushValid) pushed++;
            Assert.InRange(q.Count, 0, 5);
            Assert.Equal(pushed - popped, q.Count);
        }
        Assert.True(popped > 100, $"only {popped} pops");
    }

    [Fact]
    public void KeepsOnlyTheLowBitsOfEachField()
    {
        var q = new ActQueue(new ActQueueParams(2, 4, 3));
        q.Step(Push(0x1F, 0xF));
        var seen = q.Step(Idle);
        Assert.Equal(0xFu, seen.PopAct);
        Assert.Equal(7, seen.PopIdx);
    }

    [Fact]
    public void ResetEmptiesTheQueue()
    {
        var q = new ActQueue(new ActQueueParams(3, 16, 14));
        q.Step(Push(1, 1));
        q.Reset();
        Assert.False(q.Step(Idle).PopValid);
    }

    [Fact]
    public void IndexWidthCoversPtrDepth()
    {
        Assert.Equal(14, ActQueueParams.From(new EieConfig()).IdxWidth);
        Assert.Equal(10, ActQueueParams.From(new EieConfig { PtrDepth = 1000 }).IdxWidth);
        Assert.Equal(1, ActQueueParams.From(new EieConfig { PtrDepth = 2 }).IdxWidth);
        Assert.Equal(3, new ActQueueParams(5, 16, 14).CountWidth);
        Assert.Equal(1, new ActQueueParams(1, 16, 14).PtrWidth);
    }
}
