using EieHdl.Hardware;
using EieHdl.Simulation;
using Xunit.Abstractions;

namespace EieHdl.Tests.Simulation;

/// <summary>The Verilated act queue against the C# cycle model, cycle by cycle.</summary>
[Collection(SimCollection.Name)]
public class ActQueueNativeTests(SimFixture fixture, ITestOutputHelper output)
{
    /// <summary>Ports of one act queue instance, resolved once.</summary>
    internal sealed class QueuePorts(VerilatedModel m)
    {
        public int Clk { get; } = m.Port("clk_i");
        public int RstN { get; } = m.Port("rst_ni");
        public int PushValid { get; } = m.Port("push_valid_i");
        public int PushReady { get; } = m.Port("push_ready_o");
        public int PushAct { get; } = m.Port("push_act_i");
        public int PushIdx { get; } = m.Port("push_idx_i");
        public int PopValid { get; } = m.Port("pop_valid_o");
        public int PopReady { get; } = m.Port("pop_ready_i");
        public int PopAct { get; } = m.Port("pop_act_o");
        public int PopIdx { get; } = m.Port("pop_idx_o");

        public void Reset(VerilatedModel model)
        {
            model.Set(RstN, 0);
            model.Tick(Clk);
            model.Set(RstN, 1);
        }

        /// <summary>Applies the inputs, evaluates, returns the outputs of the cycle, then clocks.</summary>
        public ActQueueOutputs Cycle(VerilatedModel model, ActQueueInputs inputs)
        {
            model.Set(PushValid, inputs.PushValid ? 1UL : 0);
            model.Set(PushAct, inputs.PushAct);
            model.Set(PushIdx, (ulong)inputs.PushIdx);
            model.Set(PopReady, inputs.PopReady ? 1UL : 0);
            model.Eval();
            var seen = new ActQueueOutputs(model.Get(PushReady) != 0, model.Get(PopValid) != 0,
                (uint)model.Get(PopAct), (int)model.Get(PopIdx));
            model.Tick(Clk);
            return seen;
        }
    }

    /// <summary>Random inputs in phases of heavy push and heavy pop, so the queue runs full and empty.</summary>
    internal static ActQueueInputs RandomInputs(Random rng, ActQueueParams p, int cycle)
    {
        bool pushHeavy = cycle / 64 % 2 == 0;
        // Values wider than the ports too: the shim must mask them.
        return new ActQueueInputs(rng.Next(4) < (pushHeavy ? 3 : 1), (uint)rng.Next(),
            rng.Next(1 << (p.IdxWidth + 1)), rng.Next(4) < (pushHeavy ? 1 : 3));
    }

    internal static void AssertSame(ActQueueOutputs expected, ActQueueOutputs actual, int cycle, string who)
    {
        // Payloads are defined only while pop_valid_o is high.
        if (expected.PushReady == actual.PushReady && expected.PopValid == actual.PopValid
            && (!expected.PopValid || (expected.PopAct == actual.PopAct && expected.PopIdx == actual.PopIdx)))
            return;
        Assert.Fail($"{who}, cycle {cycle}: model {expected}, RTL {actual}");
    }

    [Fact]
    public void TenThousandRandomCyclesMatchTheModel()
    {
        var library = fixture.Queue8;
        output.WriteLine(SimFixture.Describe(library));
        var queue = new ActQueue(SimFixture.QueueConfig(8));
        using var model = new VerilatedModel(library);
        var ports = new QueuePorts(model);
        ports.Reset(model);
        var rng = new Random(8);
        int full = 0, empty = 0;
        for (int cycle = 0; cycle < 10_000; cycle++)
        {
            var inputs = RandomInputs(rng, queue.Params, cycle);
            var expected = queue.Step(inputs);
            var actual = ports.Cycle(model, inputs);
            AssertSame(expected, actual, cycle, "depth 8");
            if (!expected.PushReady) full++;
            if (!expected.PopValid) empty++;
        }
        Assert.True(full > 100 && empty > 100, $"stimulus too tame: {full} full and {empty} empty cycles");
        Assert.Equal(2UL * 10_001, model.Time);
    }
}
