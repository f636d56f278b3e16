using System.Diagnostics;
using System.Text.Json;
using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.CycleModel;
using EieHdl.Flows;
using EieHdl.Golden;
using EieHdl.Simulation;
using EieHdl.Tests.Fpga;
using EieHdl.Tests.Simulation;
using EieHdl.Workloads;
using Xunit.Abstractions;

namespace EieHdl.Tests.CycleModel;

/// <summary>
/// Random models and inputs through the verilated eie_top, over a fixed set of configs (each
/// one Verilator build, cached): every output bit must equal the golden model's and the CCU's
/// cycle counter the cycle model's. Seeds are fixed, so CI is deterministic; `make soak` draws
/// fresh seeds and configs instead.
/// <para>Environment:</para>
/// <list type="bullet">
/// <item><c>EIE_CYCLE_CASES=N</c>: random cases per config (default 40; must be at least 1).</item>
/// <item><c>EIE_CYCLE_CONFIGS=a,b</c>: only these configs (names as in <see cref="ConfigsByName"/>).</item>
/// <item><c>EIE_CYCLE_REPLAY=config:seed</c>: only that one case, as printed by a failure, e.g.
/// <c>EIE_CYCLE_REPLAY=pe4-q2-f4-run1:4130007 dotnet test tests/EieHdl.Tests -c Release --filter FullyQualifiedName~CycleModelCosimTests</c>.</item>
/// </list>
/// </summary>
[Collection(SimCollection.Name)]
public class CycleModelCosimTests(ITestOutputHelper output)
{
    private const string CasesVariable = "EIE_CYCLE_CASES", ConfigsVariable = "EIE_CYCLE_CONFIGS", ReplayVariable = "EIE_CYCLE_REPLAY";

    /// <summary>Random cases per config; EIE_CYCLE_CASES overrides, and a value that would check nothing is refused.</summary>
    private static int Cases
    {
        get
        {
            var text = Environment.GetEnvironmentVariable(CasesVariable);
            if (string.IsNullOrEmpty(text)) return 40;
            if (!int.TryParse(text, out int cases) || cases < 1)
                throw new ArgumentException($"{CasesVariable} must be a whole number of at least 1, got '{text}'");
            return cases;
        }
    }

    /// <summary>EIE_CYCLE_REPLAY as (config, seed), or null.</summary>
    private static (string Config, ulong Seed)? Replay
    {
        get
        {
            var text = Environment.GetEnvironmentVariable(ReplayVariable);
            if (string.IsNullOrEmpty(text)) return null;
            var parts = text.Split(':');
            if (parts.Length != 2 || !ConfigsByName.ContainsKey(parts[0]) || !ulong.TryParse(parts[1], out ulong seed))
                throw new ArgumentException($"{ReplayVariable} must be <config>:<seed> with a config of {string.Join(", ", ConfigsByName.Keys)}, got '{text}'");
            return (parts[0], seed);
        }
    }

    public static TheoryData<string> Configs
    {
        get
        {
            if (Replay is { } replay) return new([replay.Config]);
            var text = Environment.GetEnvironmentVariable(ConfigsVariable);
            if (string.IsNullOrEmpty(text)) return new(ConfigsByName.Keys);
            var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var name in names)
                if (!ConfigsByName.ContainsKey(name))
                    throw new ArgumentException($"{ConfigsVariable}: no config '{name}'; configs: {string.Join(", ", ConfigsByName.Keys)}");
            return new(names);
        }
    }

    /// <summary>
    /// The configs co-simulated: PE counts 1-64, accumulators in RAM and in flip-flops, queue depths 1/2/4/8, fan-in 2/3/4/8, entries per
    /// word 1-8, codebook sizes, act/weight/accumulator widths, tight and roomy pointer, spmat and
    /// act SRAM depths, 1 to 64 accumulators per PE, pointer widths down to the least the spmat
    /// needs, and chains of up to 8 layers. Spmat words stay at 64 bits: EieTopSim drives host
    /// data up to 64 bits.
    /// </summary>
    internal static readonly Dictionary<string, EieConfig> ConfigsByName = new()
    {
        // Roomy memories at one PE, accumulators in flip-flops: also runs the long chain that carries the
        // cycle counter's upper half.
        ["pe1-q2-f4-w64"] = Small(1) with
        {
            ActQueueDepth = 2, LnzdFanIn = 4, SpmatDepth = 32768, PtrWidth = 18, PtrDepth = 800, ActSramDepth = 512, ActRegEntries = 256,
            AccStorage = AccStorage.Flops,
        },
        // A 12-bit pointer: exactly what 1024 words of 2 entries need.
        ["pe2-q1-f2-w16"] = Small(2) with
        {
            ActQueueDepth = 1, LnzdFanIn = 2, SpmatWordBits = 16, SpmatDepth = 1024, PtrWidth = 12, PtrDepth = 128, MaxLayers = 5,
        },
        // 8 accumulators per PE: at most 24 outputs a layer; act halves of 32.
        ["pe3-q8-f2-w32-cb8"] = Small(3) with
        {
            ActQueueDepth = 8, LnzdFanIn = 2, SpmatWordBits = 32, CodebookSize = 8, ActRegEntries = 8, ActSramDepth = 64, MaxLayers = 6,
        },
        // 64 pointers per PE: chains run out of pointers and are drawn smaller.
        ["pe4-q2-f4-run1"] = Small(4) with
        {
            ActQueueDepth = 2, LnzdFanIn = 4, IndexBits = 3, RunBits = 1, CodebookSize = 8, SpmatWordBits = 4, SpmatDepth = 2048,
            PtrDepth = 64, MaxLayers = 4,
        },
        // The same with the accumulators in flip-flops (the other configs keep them in RAM, the default).
        ["pe4-q2-f4-run1-flops"] = Small(4) with
        {
            ActQueueDepth = 2, LnzdFanIn = 4, IndexBits = 3, RunBits = 1, CodebookSize = 8, SpmatWordBits = 4, SpmatDepth = 2048,
            PtrDepth = 64, MaxLayers = 4, AccStorage = AccStorage.Flops,
        },
        // Two accumulators per PE, act halves of 12, chains up to 8 layers, a 13-bit pointer.
        ["pe8-q1-f2-w64"] = Small(8) with
        {
            ActQueueDepth = 1, LnzdFanIn = 2, ActRegEntries = 2, ActSramDepth = 24, MaxLayers = 8, PtrWidth = 13,
        },
        ["pe16-q8-f4-w16"] = Small(16) with { ActQueueDepth = 8, LnzdFanIn = 4, SpmatWordBits = 16, PtrDepth = 40, MaxLayers = 2 },
        // Non-default arithmetic: narrow acts and weights, a 20-bit accumulator that wraps, a product
        // shift; act halves of 3 (a depth that is not a power of two).
        ["pe5-q4-a8-w10-acc20-sh2"] = Small(5) with
        {
            ActQueueDepth = 4, ActWidth = 8, ActFracBits = 4, WeightWidth = 10, WeightFracBits = 8, AccWidth = 20, ProductShift = 2,
            ActSramDepth = 6,
        },
        // Wide acts and a 48-bit accumulator, 8-bit entries (5-bit run, 3-bit index) four to a word,
        // fan-in 3, single-layer models, 15 accumulators per PE.
        ["pe6-q2-f3-a24-r5"] = Small(6) with
        {
            ActQueueDepth = 2, LnzdFanIn = 3, ActWidth = 24, ActFracBits = 12, AccWidth = 48, IndexBits = 3, RunBits = 5, CodebookSize = 8,
            SpmatWordBits = 32, SpmatDepth = 1024, MaxLayers = 1, ActRegEntries = 15,
        },
        // Many PEs with little memory each: 3 accumulators and 4 act-half entries per PE.
        ["pe32-q4-f8-w32"] = Small(32) with
        {
            ActQueueDepth = 4, LnzdFanIn = 8, SpmatWordBits = 32, SpmatDepth = 64, PtrDepth = 200, ActRegEntries = 3, ActSramDepth = 8,
            MaxLayers = 4,
        },
        // The 64-PE benchmark config: the RTL AlexNetAt64PesTests builds, so no build of its own.
        ["pe64-benchmarks"] = ConfigLoader.Load(Path.Combine(FpgaTestConfigs.RepoRoot, "hw", "configs", "benchmarks-64pe.json")),
    };

    private static EieConfig Small(int pes) => new()
    {
        Pes = pes, PtrDepth = 256, SpmatDepth = 512, ActSramDepth = 128, ActRegEntries = 32, MaxLayers = 3,
    };

    /// <summary>The fixed seed of case <paramref name="k"/> of a config: a hash of its name, then the case number.</summary>
    internal static ulong SeedOf(string name, int k) => (ulong)(name.Aggregate(17, (h, ch) => h * 31 + ch) & 0xffff) * 1000 + (ulong)k;

    [Fact]
    public void ACaseCountThatChecksNothingIsRefused()
    {
        var previous = Environment.GetEnvironmentVariable(CasesVariable);
        try
        {
            foreach (var bad in new[] { "0", "-3", "x" })
            {
                Environment.SetEnvironmentVariable(CasesVariable, bad);
                var e = Assert.Throws<ArgumentException>(() => Cases);
                Assert.Contains($"got '{bad}'", e.Message);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(CasesVariable, previous);
        }
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void OutputsAndCycleCountsMatchTheRtl(string name)
    {
        // The seeds first: a bad EIE_CYCLE_CASES or EIE_CYCLE_REPLAY fails before the build.
        ulong[] seeds = Replay is { } replay ? [replay.Seed] : Enumerable.Range(0, Cases).Select(k => SeedOf(name, k)).ToArray();
        var config = ConfigsByName[name].Validate();
        var library = EieTopSim.Build(config);
        output.WriteLine(SimFixture.Describe(library));
        using var sim = new EieTopSim(config, library);
        long rtlTicks = 0;
        var clock = Stopwatch.StartNew();
        foreach (ulong seed in seeds)
        {
            var c = RandomCosimCase.Generate(config, seed);
            string? mismatch = c.Mismatch(sim, out long cycles);
            rtlTicks += cycles;
            output.WriteLine($"seed {seed} {c.Label}: {cycles} cycles{(mismatch is null ? "" : "; " + mismatch)}");
            if (mismatch is not null)
                Assert.Fail($"config {name} seed {seed} ({c.Label}): {mismatch}. Replay: {ReplayVariable}={name}:{seed} "
                    + $"dotnet test tests/EieHdl.Tests -c Release --filter FullyQualifiedName~{nameof(CycleModelCosimTests)}; "
                    + $"config {JsonSerializer.Serialize(config)}");
        }
        output.WriteLine($"{seeds.Length} cases, {rtlTicks} RTL cycles in {clock.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>
    /// A run long enough for the CCU's cycle counter to carry into its upper half twice (more
    /// than 131,072 cycles): three dense 250 x 250 layers on one PE, about 188,000 cycles. No
    /// ReLU, so that hardly any act between the layers is zero and skipped.
    /// </summary>
    [Fact]
    public void ALongChainCarriesTheCycleCounterIntoItsUpperHalf()
    {
        const string name = "pe1-q2-f4-w64";
        var config = ConfigsByName[name].Validate();
        var random = new DeterministicRandom(65536);
        const int side = 250;
        var sources = Enumerable.Range(0, 3).Select(l => new LayerSource($"fc{l}",
            Enumerable.Range(0, side * side).Select(_ => random.NextDouble() - 0.5).ToArray(), side, side, null, 1.0, Relu: false)).ToArray();
        var model = CompressedModel.Compress(config, sources);
        var fp = new FixedPoint(config);
        var input = Enumerable.Range(0, side).Select(_ => fp.QuantizeActivation(random.NextDouble() + 0.1)).ToArray();
        var c = new RandomCosimCase(model.Image, input, "3 x 250x250 dense");

        using var sim = new EieTopSim(config, EieTopSim.Build(config));
        string? mismatch = c.Mismatch(sim, out long cycles);
        output.WriteLine($"{c.Label}: {cycles} cycles");
        Assert.Null(mismatch);
        Assert.InRange(cycles, 2 * 65536L, long.MaxValue);
        Assert.Contains(new GoldenModel(model.Image).RunChain(input), v => v != 0);
    }
}
