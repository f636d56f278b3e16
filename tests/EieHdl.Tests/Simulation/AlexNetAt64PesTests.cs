using EieHdl.Config;
using EieHdl.CycleModel;
using EieHdl.Golden;
using EieHdl.Simulation;
using EieHdl.Tests.Fpga;
using EieHdl.Workloads;
using Xunit.Abstractions;

namespace EieHdl.Tests.Simulation;

/// <summary>
/// Full-size AlexNet fully connected layers at EIE's 64 PEs through the verilated RTL: FC6 (9216
/// x 4096), FC7 (4096 x 4096, the Alex-7 benchmark layer) and FC8 (4096 x 1000) chained on chip,
/// loaded through the back door. The 64-PE model is the one slow build of the suite (about ten
/// minutes on two cores, once per clone; cached after that).
/// </summary>
[Collection(nameof(SimCollection))]
public class AlexNetAt64PesTests(ITestOutputHelper output)
{
    [Fact]
    public void Fc6Fc7Fc8ChainedAt64PesIsBitExactAndCycleExact()
    {
        var config = ConfigLoader.Load(Path.Combine(FpgaTestConfigs.RepoRoot, "hw", "configs", "benchmarks-64pe.json"));
        Assert.Equal(64, config.Pes);
        var (model, input, _) = BenchmarkChain.Build(config, BenchmarkChain.AlexNet, seed: 1);
        var expected = new GoldenModel(model.Image).RunChain(input);
        var predicted = new EieCycleModel(model.Image).Run(input);

        using var sim = new EieTopSim(config, EieTopSim.Build(config));
        sim.LoadModelBackdoor(model.Image);
        var run = sim.RunInput(model.Image, input);
        output.WriteLine($"RTL {run.Cycles} cycles (cycle model {predicted.Cycles}: {string.Join(" + ", predicted.Layers.Select(l => l.Cycles))}), {run.ComputeSeconds:F1} s");

        Assert.False(run.Error);
        Assert.Equal(1000, run.Outputs.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(expected[i] == run.Outputs[i], $"FC8 output {i} (PE {i % 64}): RTL {run.Outputs[i]}, golden {expected[i]}");
        Assert.Equal(predicted.Cycles, run.Cycles);
        // The logits are not all one value: the chain carried real work through all three layers.
        Assert.True(expected.Distinct().Count() > 100, $"only {expected.Distinct().Count()} distinct logits");
        Assert.Contains(expected, v => v < 0);
    }
}
