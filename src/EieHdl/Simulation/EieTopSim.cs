using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Hardware;

namespace EieHdl.Simulation;

/// <summary>Outputs and cycle count of one run of the RTL.</summary>
/// <param name="Outputs">The last layer's outputs as ActWidth-bit signed values.</param>
/// <param name="Cycles">The CCU's cycle counter: start to done.</param>
/// <param name="Error">A PE addressed a row past its accumulators.</param>
/// <param name="ComputeSeconds">Wall time from start to done, host transfers excluded.</param>
public sealed record RtlRun(int[] Outputs, long Cycles, bool Error, double ComputeSeconds);

/// <summary>
/// Drives a verilated eie_top through its host bus (the front door; AXI4-Lite with a protocol
/// monitor on every cycle when the config's HostBus is axi4lite): loads a model and an input
/// with <see cref="HostProtocol"/>, starts the run, waits for done_o and reads back the outputs
/// and the cycle counter. Big models can instead be loaded through the back door
/// (<see cref="LoadModelBackdoor"/>): the SRAM arrays are written in place, which a library
/// built by <see cref="Build"/> allows.
/// </summary>
public sealed class EieTopSim : IDisposable
{
    private readonly VerilatedModel model;
    private readonly EieConfig config;
    private readonly HostProtocol host;
    private readonly int clk, rstN, done, error;
    private readonly IHostPort port;

    /// <param name="axiStalls">With HostBus axi4lite: random VALID delays and BREADY / RREADY stalls from this generator.</param>
    public EieTopSim(EieConfig config, VerilatedLibrary library, Random? axiStalls = null)
    {
        this.config = config;
        host = new HostProtocol(config);
        if (host.Params.HostDataWidth > 64)
            throw new NotSupportedException($"host data wider than 64 bits ({host.Params.HostDataWidth}) is not driven by {nameof(EieTopSim)}");
        model = new VerilatedModel(library);
        clk = model.Port("clk_i"); rstN = model.Port("rst_ni");
        done = model.Port("done_o"); error = model.Port("error_o");
        if (config.IsAxiLite)
        {
            Axi = new AxiLiteHostPort(model, Tick, new AxiLiteHost(config), axiStalls);
            port = Axi;
        }
        else port = new SimpleHostPort(model, Tick);
        Reset();
    }

    /// <summary>The AXI4-Lite master and its protocol monitor, when the config's HostBus is axi4lite.</summary>
    public AxiLiteHostPort? Axi { get; }

    /// <summary>
    /// The verilated eie_top of <paramref name="config"/> (cached), with its SRAM arrays public
    /// for <see cref="LoadModelBackdoor"/>; <paramref name="trace"/> adds FST tracing;
    /// <paramref name="progress"/> is told the steps of a build that runs the tools.
    /// </summary>
    public static VerilatedLibrary Build(EieConfig config, bool trace = false, Action<string>? progress = null) =>
        VerilatedModelBuilder.Build(RtlGenerator.Generate(config), "eie_top",
            new VerilatedBuildOptions { Trace = trace, ConfigFile = SramSinglePort.BackdoorConfig, Progress = progress });

    /// <summary>The verilated model underneath, e.g. to inspect its public SRAM arrays.</summary>
    public VerilatedModel Model => model;

    /// <summary>The library was built with <c>--trace-fst</c>, so <see cref="OpenTrace"/> works.</summary>
    public bool CanTrace => model.CanTrace;

    /// <summary>The FST file being written, or null.</summary>
    public string? TracePath { get; private set; }

    /// <summary>
    /// Starts an FST trace into <paramref name="path"/> (the library must be a trace build:
    /// VerilatedBuildOptions { Trace = true }). Every later clock edge is dumped; the trace is
    /// flushed by <see cref="CloseTrace"/> or <see cref="Dispose"/>.
    /// </summary>
    public void OpenTrace(string path)
    {
        if (TracePath is not null) throw new InvalidOperationException($"a trace is already open: {TracePath}");
        var full = Path.GetFullPath(path);
        model.OpenTrace(full);
        TracePath = full;
    }

    /// <summary>Flushes and closes the trace (no effect when none is open).</summary>
    public void CloseTrace()
    {
        if (TracePath is null) return;
        model.CloseTrace();
        TracePath = null;
    }

    /// <summary>Cycles ticked since construction (host transfers included).</summary>
    public long Ticks { get; private set; }

    public void Reset()
    {
        model.Set(rstN, 0);
        port.Quiet();
        Tick(); Tick();
        model.Set(rstN, 1);
        Tick();
    }

    /// <summary>Loads the model and runs its layers on one input (acts in fixed point); maxCycles bounds the wait for done.</summary>
    public RtlRun Run(ModelImage image, ReadOnlySpan<int> input, long maxCycles = 10_000_000)
    {
        LoadModel(image);
        return RunInput(image, input, maxCycles);
    }

    /// <summary>Writes the model's pointers, spmat words, codebooks and layer table through the host bus.</summary>
    public void LoadModel(ModelImage image)
    {
        foreach (var access in host.LoadModel(image)) Apply(access);
    }

    /// <summary>
    /// Loads the same model as <see cref="LoadModel"/>, but writes the pointers, spmat words and
    /// codebooks straight into the SRAM arrays (zeroing the rest of each array) and only the
    /// layer table and layer count through the host bus: a few hundred cycles instead of one per
    /// word. Equivalent to the front door for every array word (tested).
    /// </summary>
    public void LoadModelBackdoor(ModelImage image)
    {
        var arrays = model.PublicVariables.ToDictionary(v => v.Name, StringComparer.Ordinal);
        PublicVariable Array(string instance)
        {
            var name = $"TOP.eie_top.{instance}.{SramSinglePort.ArrayName}";
            return arrays.TryGetValue(name, out var v) ? v : throw new InvalidOperationException(
                $"the model has no public array {name}: build it with {nameof(EieTopSim)}.{nameof(Build)}, which makes the SRAM arrays public");
        }
        foreach (var pe in image.Pes)
        {
            var path = $"g_pe[{pe.Pe}].u_pe";
            // Pointer q sits in bank q mod 2 at address q / 2, as the ptr read unit's load port puts it.
            var even = new ulong[(pe.Pointers.Length + 1) / 2];
            var odd = new ulong[pe.Pointers.Length / 2];
            for (int q = 0; q < pe.Pointers.Length; q++)
                (q % 2 == 0 ? even : odd)[q / 2] = (ulong)pe.Pointers[q];
            Array($"{path}.u_ptr_read.u_even_bank").Fill(even);
            Array($"{path}.u_ptr_read.u_odd_bank").Fill(odd);
            Array($"{path}.u_spmat_read.u_spmat").Fill(host.SpmatWords(pe));
        }
        Array("u_ccu.u_codebook").Fill(host.CodebookWords(image));
        foreach (var access in host.LoadTables(image)) Apply(access);
    }

    /// <summary>Runs one input through the model loaded last by <see cref="LoadModel"/>; the model stays loaded.</summary>
    public RtlRun RunInput(ModelImage image, ReadOnlySpan<int> input, long maxCycles = 10_000_000)
    {
        foreach (var access in host.LoadInput(input)) Apply(access);
        Apply(host.Start());
        long waited = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (model.Get(done) == 0)
        {
            if (++waited > maxCycles)
                throw new TimeoutException($"eie_top did not finish within {maxCycles} cycles");
            port.Idle();
        }
        double computeSeconds = clock.Elapsed.TotalSeconds;
        long cycles = (long)Read([host.ReadCycles()])[0];
        var last = image.Layers[^1];
        var raw = Read(host.ReadOutputs(last.Outputs, image.Layers.Count).ToArray());
        int shift = 64 - config.ActWidth;
        var outputs = raw.Select(r => (int)((long)(r << shift) >> shift)).ToArray();
        return new RtlRun(outputs, cycles, model.Get(error) != 0, computeSeconds);
    }

    private void Apply(HostAccess access) => port.Write(access);

    /// <summary>The answers to the reads, in order.</summary>
    private ulong[] Read(IReadOnlyList<HostAccess> reads) => port.Read(reads);

    private void Tick()
    {
        model.Tick(clk);
        Ticks++;
    }

    public void Dispose()
    {
        CloseTrace();
        model.Dispose();
    }
}
