using BenchmarkDotNet.Attributes;
using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Simulation;

namespace EieHdl.Benchmarks;

/// <summary>
/// Simulation speed of one act queue (depth 8), per clock cycle: verilated and driven as a
/// testbench drives it (4 inputs set, eval, 4 outputs read, tick), verilated with a bare tick,
/// and the C# cycle model <see cref="ActQueue.Step"/> on the same stimulus, for scale.
/// </summary>
public class ActQueueSimBenchmark
{
    private const int Cycles = 4096;

    private VerilatedModel model = null!;
    private ActQueue queue = null!;
    private ActQueueInputs[] stimulus = [];
    private int clk, rstN, pushValid, pushReady, pushAct, pushIdx, popValid, popReady, popAct, popIdx;

    [GlobalSetup]
    public void Setup()
    {
        var config = new EieConfig { Pes = 4, ActQueueDepth = 8, PtrDepth = 1000 };
        queue = new ActQueue(config);
        var rtl = RtlGenerator.Generate(config);
        var library = VerilatedModelBuilder.Build(rtl.Modules.Where(m => m.Name == queue.ModuleName + ".v").ToArray(), queue.ModuleName);
        model = new VerilatedModel(library);
        clk = model.Port("clk_i"); rstN = model.Port("rst_ni");
        pushValid = model.Port("push_valid_i"); pushReady = model.Port("push_ready_o");
        pushAct = model.Port("push_act_i"); pushIdx = model.Port("push_idx_i");
        popValid = model.Port("pop_valid_o"); popReady = model.Port("pop_ready_i");
        popAct = model.Port("pop_act_o"); popIdx = model.Port("pop_idx_o");
        model.Set(rstN, 0);
        model.Tick(clk);
        model.Set(rstN, 1);
        // Phases of heavy push and heavy pop, so the queue runs full and empty.
        var rng = new Random(1);
        stimulus = Enumerable.Range(0, Cycles).Select(c =>
        {
            bool pushHeavy = c / 64 % 2 == 0;
            return new ActQueueInputs(rng.Next(4) < (pushHeavy ? 3 : 1), (uint)rng.Next(),
                rng.Next(1 << queue.Params.IdxWidth), rng.Next(4) < (pushHeavy ? 1 : 3));
        }).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => model.Dispose();

    [Benchmark(OperationsPerInvoke = Cycles)]
    public ulong VerilatedTestbenchCycle()
    {
        ulong sink = 0;
        foreach (var s in stimulus)
        {
            model.Set(pushValid, s.PushValid ? 1UL : 0);
            model.Set(pushAct, s.PushAct);
            model.Set(pushIdx, (ulong)s.PushIdx);
            model.Set(popReady, s.PopReady ? 1UL : 0);
            model.Eval();
            sink += model.Get(pushReady) + model.Get(popValid) + model.Get(popAct) + model.Get(popIdx);
            model.Tick(clk);
        }
        return sink;
    }

    [Benchmark(OperationsPerInvoke = Cycles)]
    public void VerilatedTickOnly()
    {
        for (int c = 0; c < Cycles; c++) model.Tick(clk);
    }

    [Benchmark(OperationsPerInvoke = Cycles)]
    public ulong CSharpModelStep()
    {
        ulong sink = 0;
        foreach (var s in stimulus) sink += queue.Step(s).PopAct;
        return sink;
    }
}
