using System.Diagnostics;
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

    [Fact]
    public void MeasuresCyclesPerSecond()
    {
        using var model = new VerilatedModel(fixture.Queue8);
        var ports = new QueuePorts(model);
        ports.Reset(model);
        var queue = new ActQueue(SimFixture.QueueConfig(8));
        var rng = new Random(1);
        var stimulus = Enumerable.Range(0, 4096).Select(c => RandomInputs(rng, queue.Params, c)).ToArray();
        const int Cycles = 1_000_000;
        ulong sink = 0;
        // Full cycle as a testbench runs it: 4 inputs set, eval, 4 outputs read, tick.
        for (int round = 0; round < 2; round++)
        {
            var clock = Stopwatch.StartNew();
            for (int cycle = 0; cycle < Cycles; cycle++)
            {
                var o = ports.Cycle(model, stimulus[cycle & 4095]);
                sink += o.PopAct;
            }
            clock.Stop();
            output.WriteLine($"act queue (depth 8), full testbench cycle: {Cycles / clock.Elapsed.TotalSeconds / 1e6:F2} M cycles/s"
                + (round == 0 ? " (first round, includes JIT)" : ""));
        }
        // Bare clocking: one Tick per cycle.
        var bare = Stopwatch.StartNew();
        for (int cycle = 0; cycle < Cycles; cycle++) model.Tick(ports.Clk);
        bare.Stop();
        output.WriteLine($"act queue (depth 8), Tick only: {Cycles / bare.Elapsed.TotalSeconds / 1e6:F2} M cycles/s");
        // The same work through the C# model, for scale.
        var csharp = Stopwatch.StartNew();
        for (int cycle = 0; cycle < Cycles; cycle++) sink += queue.Step(stimulus[cycle & 4095]).PopAct;
        csharp.Stop();
        output.WriteLine($"C# ActQueue.Step: {Cycles / csharp.Elapsed.TotalSeconds / 1e6:F2} M cycles/s (sink {sink % 10})");
    }
}
