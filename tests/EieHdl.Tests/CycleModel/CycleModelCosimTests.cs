using System.Diagnostics;
using EieHdl.Arithmetic;
using EieHdl.Compression;
using EieHdl.Config;
using EieHdl.CycleModel;
using EieHdl.Encoding;
using EieHdl.Hardware;
using EieHdl.Simulation;
using EieHdl.Tests.Simulation;
using Xunit.Abstractions;

namespace EieHdl.Tests.CycleModel;

/// <summary>
/// The cycle model against the verilated eie_top: the CCU's cycle counter must agree to the
/// cycle on many random models and inputs, over a handful of configs (each one RTL build,
/// cached in out/.cache/verilator).
/// </summary>
[Collection(SimCollection.Name)]
public class CycleModelCosimTests(ITestOutputHelper output)
{
    /// <summary>Random cases per config; EIE_CYCLE_CASES overrides.</summary>
    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("EIE_CYCLE_CASES"), out int c) ? c : 40;

    public static TheoryData<string> Configs => new(ConfigsByName.Keys);

    /// <summary>The configs co-simulated: PE counts 1-16, queue depths 1/2/4/8, fan-in 2/3/4, entries per word 1-8, codebook sizes, act/weight/accumulator widths.</summary>
    internal static readonly Dictionary<string, EieConfig> ConfigsByName = new()
    {
        ["pe1-q2-f4-w64"] = Small(1) with { ActQueueDepth = 2, LnzdFanIn = 4 },
        ["pe2-q1-f2-w16"] = Small(2) with { ActQueueDepth = 1, LnzdFanIn = 2, SpmatWordBits = 16, SpmatDepth = 1024 },
        ["pe3-q8-f2-w32-cb8"] = Small(3) with { ActQueueDepth = 8, LnzdFanIn = 2, SpmatWordBits = 32, CodebookSize = 8 },
        ["pe4-q2-f4-run1"] = Small(4) with
        {
            ActQueueDepth = 2, LnzdFanIn = 4, IndexBits = 3, RunBits = 1, CodebookSize = 8, SpmatWordBits = 4, SpmatDepth = 2048,
        },
        ["pe8-q1-f2-w64"] = Small(8) with { ActQueueDepth = 1, LnzdFanIn = 2 },
        ["pe16-q8-f4-w16"] = Small(16) with { ActQueueDepth = 8, LnzdFanIn = 4, SpmatWordBits = 16 },
        // Non-default arithmetic: narrow acts and weights, a 20-bit accumulator that wraps, a product shift.
        ["pe5-q4-a8-w10-acc20-sh2"] = Small(5) with
        {
            ActQueueDepth = 4, ActWidth = 8, ActFracBits = 4, WeightWidth = 10, WeightFracBits = 8, AccWidth = 20, ProductShift = 2,
        },
        // Wide acts and a 48-bit accumulator, 8-bit entries (5-bit run, 3-bit index) four to a word, fan-in 3.
        ["pe6-q2-f3-a24-r5"] = Small(6) with
        {
            ActQueueDepth = 2, LnzdFanIn = 3, ActWidth = 24, ActFracBits = 12, AccWidth = 48, IndexBits = 3, RunBits = 5, CodebookSize = 8,
            SpmatWordBits = 32, SpmatDepth = 1024,
        },
    };

    private static EieConfig Small(int pes) => new()
    {
        Pes = pes, PtrDepth = 256, SpmatDepth = 512, ActSramDepth = 128, ActRegEntries = 32, MaxLayers = 3,
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void CycleCountsMatchTheRtl(string name)
    {
        var config = ConfigsByName[name].Validate();
        var library = EieTopSim.Build(config);
        output.WriteLine(SimFixture.Describe(library));
        using var sim = new EieTopSim(config, library);
        int baseSeed = name.Aggregate(17, (h, ch) => h * 31 + ch) & 0xffff;
        long modelTicks = 0, rtlTicks = 0;
        double modelSeconds = 0, rtlSeconds = 0;
        for (int k = 0; k < Cases; k++)
        {
            int seed = baseSeed * 1000 + k;
            var (image, input, label) = RandomCase(config, seed);
            var sw = Stopwatch.StartNew();
            var model = new EieCycleModel(image).Run(input);
            modelSeconds += sw.Elapsed.TotalSeconds;
            sw.Restart();
            var rtl = sim.Run(image, input);
            rtlSeconds += sw.Elapsed.TotalSeconds;
            modelTicks += model.Cycles; rtlTicks += rtl.Cycles;
            string layers = string.Join(" | ", model.Layers.Select(l =>
                $"{l.Name}: {l.Cycles} cy (cb {l.CodebookCycles}, compute {l.ComputeCycles}, wb {l.WriteBackCycles}), ideal {l.IdealCycles}, stall {l.StallCycles}"));
            output.WriteLine($"seed {seed} {label}: RTL {rtl.Cycles}, model {model.Cycles}; {layers}");
            Assert.False(rtl.Error, $"config {name} seed {seed}: the RTL flagged an error");
            Assert.True(rtl.Cycles == model.Cycles,
                $"config {name} seed {seed} ({label}): RTL counted {rtl.Cycles} cycles, the cycle model {model.Cycles}");
            Assert.Equal(rtl.Outputs, model.Outputs);
            Assert.Equal(model.Cycles, model.Layers.Sum(l => l.Cycles));
        }
        output.WriteLine($"{Cases} cases: model {modelTicks / modelSeconds:F0} cycles/s (incl. golden), RTL run incl. host load {rtlTicks / rtlSeconds:F0} cycles/s");
    }

    /// <summary>A random chain of 1-3 layers that fits the config, and an input for it.</summary>
    internal static (ModelImage Image, int[] Input, string Label) RandomCase(EieConfig config, int seed)
    {
        var random = new Random(seed);
        int n = config.Pes;
        int maxOut = Math.Min(config.ActRegEntries * n, 90);
        int maxIn = Math.Min(config.ActHalfDepth * n, 90);
        for (int attempt = 0; ; attempt++)
        {
            int layerCount = random.Next(1, config.MaxLayers + 1);
            var sizes = new int[layerCount + 1];
            sizes[0] = random.Next(1, maxIn + 1);
            for (int l = 1; l <= layerCount; l++) sizes[l] = random.Next(1, Math.Min(maxOut, maxIn) + 1);
            double[] densities = [0.02, 0.08, 0.2, 0.5, 1.0];
            var labels = new List<string>();
            var layers = new List<EncodedLayer>();
            for (int l = 0; l < layerCount; l++)
            {
                int inputs = sizes[l], outputs = sizes[l + 1];
                double density = densities[random.Next(densities.Length)];
                bool bias = random.Next(2) == 0;
                bool relu = random.Next(3) != 0;
                var w = new double[inputs * outputs];
                // Some columns entirely zero (empty in every PE), the rest random.
                double emptyColumnShare = random.Next(3) == 0 ? 0.4 : 0;
                for (int c = 0; c < inputs; c++)
                {
                    bool empty = random.NextDouble() < emptyColumnShare;
                    for (int r = 0; r < outputs; r++)
                        w[r * inputs + c] = empty ? 0 : (random.NextDouble() - 0.5) * 2;
                }
                var b = bias ? Enumerable.Range(0, outputs).Select(_ => (random.NextDouble() - 0.5) * 0.5).ToArray() : null;
                layers.Add(LayerCompressor.Compress(config, $"fc{l}", w, outputs, inputs, b, density, relu).Layer);
                labels.Add($"{inputs}x{outputs}{(bias ? "+b" : "")}@{density}");
            }
            ModelImage image;
            try { image = ModelImage.Build(config, layers); }
            catch (EieInputException) when (attempt < 50) { continue; }
            var fp = new FixedPoint(config);
            double[] zeroShares = [0, 0.3, 0.8, 0.95, 1.0];
            double zeroShare = zeroShares[random.Next(zeroShares.Length)];
            var input = Enumerable.Range(0, sizes[0])
                .Select(_ => random.NextDouble() < zeroShare ? 0 : fp.QuantizeActivation((random.NextDouble() - 0.3) * 3))
                .ToArray();
            return (image, input, $"{string.Join(" -> ", labels)}, input zeros {zeroShare}");
        }
    }
}
