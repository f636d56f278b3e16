using EieHdl.Config;
using EieHdl.CycleModel;
using EieHdl.Workloads;
using EieHdl.Flows;

namespace EieHdl.Tests.CycleModel;

/// <summary>
/// The default cycle model, which advances a PE's spmat path only when a push reaches it or
/// its flags are sensed and takes the cycles in which it only streams entries together,
/// against the plain stepping of every unit of every PE in every cycle: the same cycle count
/// and, per layer, the same phase cycles, stalls, broadcasts, per-PE entries and every event,
/// on random chains (sizes, densities, whole-zero columns, bias or not, inputs with 0-100 %
/// zeros, output batches) at many configurations and on random configs.
/// </summary>
public class CycleModelSteppingTests
{
    public static TheoryData<int, int, int, int, int, int> Configs => new()
    {
        // PEs, LNZD fan-in, act queue depth, spmat word bits, run bits (0: 4-bit index and run;
        // 1: 3-bit index and 1-bit run, padding-heavy), accumulators per PE (few: output batches)
        { 1, 2, 1, 8, 0, 64 },
        { 2, 2, 2, 16, 0, 64 },
        { 3, 3, 1, 64, 0, 64 },
        { 4, 4, 8, 64, 0, 64 },
        { 5, 2, 3, 32, 0, 64 },
        { 8, 4, 2, 8, 0, 64 },
        { 8, 2, 4, 64, 0, 64 },
        { 12, 3, 5, 32, 0, 64 },
        { 16, 4, 8, 64, 0, 64 },
        { 16, 2, 1, 16, 0, 64 },
        { 7, 4, 6, 128, 0, 64 },
        { 4, 4, 2, 4, 1, 64 },
        { 6, 3, 7, 16, 1, 64 },
        { 1, 2, 2, 64, 0, 4 },
        { 2, 3, 1, 32, 1, 3 },
        { 3, 2, 8, 16, 0, 2 },
        { 5, 4, 4, 64, 0, 5 },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void SkippingMatchesSteppingEveryCycle(int pes, int fanIn, int queueDepth, int wordBits, int runBits, int accumulators)
    {
        var config = new EieConfig
        {
            Pes = pes, LnzdFanIn = fanIn, ActQueueDepth = queueDepth, SpmatWordBits = wordBits, ActRegEntries = accumulators,
        };
        if (runBits == 1) config = config with { IndexBits = 3, RunBits = 1, CodebookSize = 8 };
        int batched = 0, chains = 0;
        for (int seed = 1; seed <= 25; seed++)
        {
            var (image, input, label) = RandomCosimCase.Generate(config, (ulong)(seed * 7919 + pes));
            AssertSame(image, input, $"PEs {pes}, fan-in {fanIn}, depth {queueDepth}, word {wordBits}, seed {seed} ({label})");
            batched += image.Layers.Any(l => l.Batches > 1) ? 1 : 0;
            chains += image.Layers.Count > 1 ? 1 : 0;
        }
        // The draw must reach what the config is for: output batches with few accumulators, and chains.
        if (accumulators < 64) Assert.True(batched >= 5, $"only {batched} of 25 cases have a batched layer");
        Assert.True(chains >= 5, $"only {chains} of 25 cases are chains of layers");
    }

    /// <summary>Random configs as the RTL soak draws them (every width, entry layout, depth and fan-in; up to 64 PEs).</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void SkippingMatchesSteppingEveryCycleOnRandomConfigs(int group)
    {
        for (int k = 0; k < 10; k++)
        {
            ulong configSeed = (ulong)(group * 1000 + k);
            var config = RandomCosimCase.RandomConfig(configSeed);
            for (int seed = 1; seed <= 4; seed++)
            {
                var (image, input, label) = RandomCosimCase.Generate(config, (ulong)seed);
                AssertSame(image, input, $"random config {configSeed} ({config.Pes} PEs), seed {seed} ({label})");
            }
        }
    }

    private static void AssertSame(EieHdl.Encoding.ModelImage image, int[] input, string where)
    {
        var fast = new EieCycleModel(image).Run(input);
        var plain = new EieCycleModel(image, everyCycle: true).Run(input);
        Assert.True(plain.Cycles == fast.Cycles, $"{where}: cycles {plain.Cycles} stepped, {fast.Cycles} skipping");
        Assert.Equal(plain.Outputs, fast.Outputs);
        Assert.Equal(plain.Layers.Count, fast.Layers.Count);
        for (int l = 0; l < plain.Layers.Count; l++)
        {
            LayerCycleStats p = plain.Layers[l], f = fast.Layers[l];
            Assert.True(p.PeEntries.SequenceEqual(f.PeEntries), $"{where}, layer {l}: per-PE entries differ");
            Assert.True(p with { PeEntries = [] } == f with { PeEntries = [] }, $"{where}, layer {l}:\n  stepped  {p}\n  skipping {f}");
        }
    }

    [Fact]
    public void SkippingMatchesSteppingEveryCycleOnABenchmarkLayerAt64Pes()
    {
        var config = new EieConfig { Pes = 64, PtrDepth = 8192, ActRegEntries = 64 };
        var spec = BenchmarkLayers.Get("alex8");
        var (model, input, _) = BenchmarkChain.Build(config, [spec], seed: 3, balance: false);
        var fast = new EieCycleModel(model.Image).Run(input);
        var plain = new EieCycleModel(model.Image, everyCycle: true).Run(input);
        Assert.Equal(plain.Cycles, fast.Cycles);
        Assert.True(plain.Layers[0].PeEntries.SequenceEqual(fast.Layers[0].PeEntries));
        Assert.Equal(plain.Layers[0] with { PeEntries = [] }, fast.Layers[0] with { PeEntries = [] });
    }
}
