using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Simulation;

namespace EieHdl.Tests.Simulation;

/// <summary>
/// Model libraries shared by every simulation test, each built (or taken from the cache) on
/// first use. The tests share one collection so that they never compile in parallel on the two
/// cores.
/// </summary>
public sealed class SimFixture
{
    private readonly Lazy<VerilatedLibrary> _queue2;
    private readonly Lazy<VerilatedLibrary> _queue8;
    private readonly Lazy<VerilatedLibrary> _queue8Trace;
    private readonly Lazy<VerilatedLibrary> _lnzd;

    public SimFixture()
    {
        _queue2 = new(() => BuildUnit(new ActQueue(QueueConfig(2))));
        _queue8 = new(() => BuildUnit(new ActQueue(QueueConfig(8))));
        _queue8Trace = new(() => BuildUnit(new ActQueue(QueueConfig(8)), new VerilatedBuildOptions { Trace = true }));
        _lnzd = new(() => BuildUnit(new LnzdTree(LnzdConfig)));
    }

    public static EieConfig QueueConfig(int depth) => new() { Pes = 4, ActQueueDepth = depth, PtrDepth = 1000 };

    /// <summary>Five PEs of 16-bit activations: act_i is 80 bits, a wide port.</summary>
    public static EieConfig LnzdConfig { get; } = new() { Pes = 5, LnzdFanIn = 4, PtrDepth = 1000 };

    public VerilatedLibrary Queue2 => _queue2.Value;
    public VerilatedLibrary Queue8 => _queue8.Value;
    public VerilatedLibrary Queue8Trace => _queue8Trace.Value;
    public VerilatedLibrary Lnzd => _lnzd.Value;

    /// <summary>Generates the config's RTL the way the CLI does and builds the files <paramref name="unit"/> needs.</summary>
    public static VerilatedLibrary BuildUnit(HardwareUnit unit, VerilatedBuildOptions? options = null, EieConfig? config = null)
    {
        var rtl = RtlGenerator.Generate(config ?? ConfigOf(unit));
        var needed = new List<string>();
        void Visit(HardwareUnit u)
        {
            foreach (var sub in u.Submodules) Visit(sub);
            if (!needed.Contains(u.ModuleName + ".v")) needed.Add(u.ModuleName + ".v");
        }
        Visit(unit);
        var files = needed.Select(n => rtl.Modules.Single(m => m.Name == n)).ToArray();
        return VerilatedModelBuilder.Build(files, unit.ModuleName, options);
    }

    public static string Describe(VerilatedLibrary library) =>
        $"{library.Top}{(library.Trace ? " (fst)" : "")}: {(library.FromCache ? "cache hit" : "built")} "
        + $"in {library.Elapsed.TotalSeconds:F2} s -> {library.Folder}";

    private static EieConfig ConfigOf(HardwareUnit unit) => unit switch
    {
        ActQueue q => QueueConfig(q.Params.Depth),
        LnzdTree => LnzdConfig,
        _ => throw new ArgumentException($"no config known for {unit.ModuleName}"),
    };
}

[CollectionDefinition(Name)]
public sealed class SimCollection : ICollectionFixture<SimFixture>
{
    public const string Name = "Verilated models";
}
