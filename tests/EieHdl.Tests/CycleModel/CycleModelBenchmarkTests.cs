using System.Diagnostics;
using EieHdl.Arithmetic;
using EieHdl.Compression;
using EieHdl.Config;
using EieHdl.CycleModel;
using EieHdl.Encoding;
using EieHdl.Hardware;
using EieHdl.Simulation;
using EieHdl.Tests.Simulation;
using EieHdl.Workloads;
using Xunit.Abstractions;

namespace EieHdl.Tests.CycleModel;

/// <summary>
/// Speed of the cycle model against the verilated RTL on a 64-PE Alex-7-sized layer, and one
/// more exactness case at 64 PEs. Builds the 64-PE default-config RTL (minutes, once; cached),
/// so it runs only with EIE_CYCLE_BENCH=1. Prints the figures; asserts only the cycle count.
/// </summary>
[Collection(SimCollection.Name)]
public class CycleModelBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public void Alex7At64PesSpeedAndExactness()
    {
        if (Environment.GetEnvironmentVariable("EIE_CYCLE_BENCH") != "1")
        {
            output.WriteLine("skipped: set EIE_CYCLE_BENCH=1 to build the 64-PE RTL and measure");
            return;
        }
        var config = new EieConfig().Validate();   // 64 PEs, PtrDepth 16384, ActRegEntries 64: Alex-7 fits
        var spec = BenchmarkLayers.Alex7;
        var sw = Stopwatch.StartNew();
        var synthetic = SyntheticLayer.Generate(spec, 7);
        var layer = LayerCompressor.Compress(config, "alex7", synthetic.Weights, spec.Outputs, spec.Inputs, synthetic.Bias,
            spec.WeightDensity, relu: true).Layer;
        var image = ModelImage.Build(config, [layer]);
        var input = synthetic.QuantisedInputs(new FixedPoint(config));
        output.WriteLine($"layer built in {sw.Elapsed.TotalSeconds:F1} s; active inputs {input.Count(a => a != 0)} of {input.Length}");

        // Cycle model: first run warms up the JIT, then time repeated runs.
        var model = new EieCycleModel(image);
        var run = model.Run(input);
        int repeats = 40;   // past the tiered JIT's 30 calls
        sw.Restart();
        for (int r = 0; r < repeats; r++) run = model.Run(input);
        double modelSeconds = sw.Elapsed.TotalSeconds / repeats;
        var stats = run.Layers[0];
        var golden = new EieHdl.Golden.GoldenModel(image);
        golden.RunChainLayers(input);
        sw.Restart();
        for (int r = 0; r < repeats; r++) golden.RunChainLayers(input);
        double goldenSeconds = sw.Elapsed.TotalSeconds / repeats;
        output.WriteLine($"of which golden values {goldenSeconds * 1e3:F1} ms; timing alone {run.Cycles / (modelSeconds - goldenSeconds):F0} cycles/s");
        output.WriteLine($"cycle model: {run.Cycles} cycles in {modelSeconds * 1e3:F1} ms = {run.Cycles / modelSeconds:F0} cycles/s (golden values included)");
        output.WriteLine($"  {stats.Name}: {stats.Cycles} cycles (codebook {stats.CodebookCycles}, compute {stats.ComputeCycles}, write-back {stats.WriteBackCycles}); "
            + $"ideal (busiest PE's entries) {stats.IdealCycles}, total entries {stats.TotalEntries}, stall {stats.StallCycles}, broadcasts {stats.Broadcasts}, "
            + $"utilisation {stats.PeUtilisation:P1} (compute phases {stats.ComputeUtilisation:P1}), load balance {stats.LoadBalance:P1}, "
            + $"cycles/ideal {(double)stats.Cycles / stats.IdealCycles:F3}");

        sw.Restart();
        var library = VerilatedModelBuilder.Build(RtlGenerator.Generate(config), "eie_top");
        output.WriteLine($"{SimFixture.Describe(library)} ({sw.Elapsed.TotalSeconds:F0} s)");
        var rtl = RtlComputeTimer.Run(config, library, image, input);
        output.WriteLine($"RTL: {rtl.Cycles} cycles, compute phase {rtl.ComputeTicks} ticks in {rtl.ComputeSeconds * 1e3:F0} ms = {rtl.ComputeTicks / rtl.ComputeSeconds:F0} cycles/s; "
            + $"host load {rtl.LoadTicks} ticks in {rtl.LoadSeconds:F1} s");
        output.WriteLine($"speed-up of the cycle model over the RTL: {rtl.ComputeSeconds / modelSeconds:F1}x");
        Assert.Equal(rtl.Cycles, run.Cycles);
    }
}

/// <summary>
/// Drives the verilated eie_top like <see cref="EieTopSim"/> but times the compute phase (start to
/// done) apart from the host load, so the RTL's simulation speed is measured on computing cycles.
/// </summary>
internal static class RtlComputeTimer
{
    public sealed record Result(long Cycles, long ComputeTicks, double ComputeSeconds, long LoadTicks, double LoadSeconds);

    public static Result Run(EieConfig config, VerilatedLibrary library, ModelImage image, int[] input)
    {
        var host = new HostProtocol(config);
        using var model = new VerilatedModel(library);
        int clk = model.Port("clk_i"), rstN = model.Port("rst_ni"), valid = model.Port("host_valid_i"),
            we = model.Port("host_we_i"), addr = model.Port("host_addr_i"), wdata = model.Port("host_wdata_i"),
            rvalid = model.Port("host_rvalid_o"), rdata = model.Port("host_rdata_o"), done = model.Port("done_o");
        model.Set(rstN, 0); model.Set(valid, 0);
        model.Tick(clk); model.Tick(clk);
        model.Set(rstN, 1); model.Tick(clk);

        var sw = Stopwatch.StartNew();
        long loadTicks = 0;
        foreach (var a in host.LoadModel(image).Concat(host.LoadInput(input)))
        {
            model.Set(valid, 1); model.Set(we, a.Write ? 1UL : 0); model.Set(addr, a.Address); model.Set(wdata, a.Data);
            model.Tick(clk); loadTicks++;
        }
        double loadSeconds = sw.Elapsed.TotalSeconds;

        var start = host.Start();
        model.Set(valid, 1); model.Set(we, 1); model.Set(addr, start.Address); model.Set(wdata, start.Data);
        sw.Restart();
        model.Tick(clk);
        model.Set(valid, 0);
        long ticks = 1;
        while (model.Get(done) == 0) { model.Tick(clk); ticks++; }
        double computeSeconds = sw.Elapsed.TotalSeconds;

        var read = host.ReadCycles();
        ulong cycles = 0;
        for (int k = 0; k < 4; k++)
        {
            model.Set(valid, k == 0 ? 1UL : 0); model.Set(we, 0); model.Set(addr, read.Address);
            model.Eval();
            if (model.Get(rvalid) != 0) cycles = model.Get(rdata);
            model.Tick(clk);
        }
        return new Result((long)cycles, ticks, computeSeconds, loadTicks, loadSeconds);
    }
}
