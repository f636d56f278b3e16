using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace EieHdl.Simulation;

/// <summary>
/// One instance of a Verilated model, running in this process through the library's C shim.
/// Each instance has its own VerilatedContext, so several instances of one library, and models
/// of different libraries, run side by side (each library keeps its own copy of the Verilator
/// runtime: only the shim's symbols are exported). An instance is not thread-safe; different
/// instances may run on different threads. Libraries stay loaded until the process ends.
/// </summary>
/// <remarks>
/// Ports are addressed by index (resolve names once with <see cref="Port"/>). A port of up to 64
/// bits is set and read as one <see cref="ulong"/>; any port also as little-endian 32-bit words.
/// Inputs are masked to their width. After setting inputs call <see cref="Eval"/> to see their
/// combinational effect, or <see cref="Tick"/> to run a clock cycle.
/// </remarks>
public sealed class VerilatedModel : IDisposable
{
    private readonly ShimBinding _shim;
    private readonly Dictionary<string, int> _byName;
    private readonly bool[] _narrowInput;
    private readonly bool[] _narrow;
    private nint _handle;

    /// <summary>A fresh instance of <paramref name="library"/>'s model (all inputs zero, not yet evaluated).</summary>
    public VerilatedModel(VerilatedLibrary library) : this(library.LibraryPath) { }

    /// <summary>A fresh instance of the model in the shared library at <paramref name="libraryPath"/>.</summary>
    public VerilatedModel(string libraryPath)
    {
        _shim = ShimBinding.For(Path.GetFullPath(libraryPath));
        Ports = _shim.Ports;
        _byName = Ports.ToDictionary(p => p.Name, p => p.Index, StringComparer.Ordinal);
        _narrow = Ports.Select(p => !p.IsWide).ToArray();
        _narrowInput = Ports.Select(p => !p.IsWide && p.IsInput).ToArray();
        _handle = _shim.Create();
        if (_handle == 0) throw new InvalidOperationException($"{libraryPath}: eiehdl_sim_create returned null");
    }

    /// <summary>Ports in header order; <see cref="VerilatedPort.Index"/> is what the calls below take.</summary>
    public IReadOnlyList<VerilatedPort> Ports { get; }

    /// <summary>The library was built with <c>--trace-fst</c>.</summary>
    public bool CanTrace => _shim.HasTrace;

    /// <summary>The context's time: two units per <see cref="Tick"/>.</summary>
    public ulong Time => _shim.Time(Handle);

    /// <summary>Index of the port called <paramref name="name"/>.</summary>
    public int Port(string name) => _byName.TryGetValue(name, out var index)
        ? index
        : throw new KeyNotFoundException($"no port {name}; ports: {string.Join(", ", Ports.Select(p => p.Name))}");

    /// <summary>Drives a narrow input (bits above its width are dropped).</summary>
    public void Set(int port, ulong value)
    {
        if ((uint)port >= (uint)_narrowInput.Length || !_narrowInput[port]) ThrowNotSettable(port);
        _shim.Set(Handle, port, value);
    }

    /// <summary>Reads a narrow port (input or output).</summary>
    public ulong Get(int port)
    {
        if ((uint)port >= (uint)_narrow.Length || !_narrow[port]) ThrowNotNarrow(port);
        return _shim.Get(Handle, port);
    }

    /// <summary>Drives any input from 32-bit words, least significant first; missing words are zero.</summary>
    public void Set(int port, ReadOnlySpan<uint> words)
    {
        if ((uint)port >= (uint)Ports.Count || !Ports[port].IsInput) ThrowNotSettable(port);
        _shim.SetWords(Handle, port, ref MemoryMarshal.GetReference(words), words.Length);
    }

    /// <summary>Reads any port into 32-bit words, least significant first; extra words are zeroed.</summary>
    public void Get(int port, Span<uint> words)
    {
        if ((uint)port >= (uint)Ports.Count) ThrowNotNarrow(port);
        _shim.GetWords(Handle, port, ref MemoryMarshal.GetReference(words), words.Length);
    }

    /// <summary>Evaluates the model: combinational logic and any edge since the last evaluation.</summary>
    public void Eval() => _shim.Eval(Handle);

    /// <summary>
    /// One clock cycle on <paramref name="clockPort"/>: low, eval, high, eval (two time units); with
    /// a trace open, each half cycle is dumped.
    /// </summary>
    public void Tick(int clockPort)
    {
        if ((uint)clockPort >= (uint)_narrowInput.Length || !_narrowInput[clockPort]) ThrowNotSettable(clockPort);
        _shim.Tick(Handle, clockPort);
    }

    /// <summary>Starts an FST trace into <paramref name="path"/> (needs a trace build).</summary>
    public void OpenTrace(string path)
    {
        if (!CanTrace) throw new InvalidOperationException("this model was built without tracing; build with VerilatedBuildOptions.Trace");
        var full = Path.GetFullPath(path);
        var utf8 = Marshal.StringToCoTaskMemUTF8(full);
        try
        {
            if (_shim.TraceOpen(Handle, utf8) == 0) throw new IOException($"cannot open trace file {full}");
        }
        finally
        {
            Marshal.FreeCoTaskMem(utf8);
        }
    }

    /// <summary>Dumps the signals at <paramref name="time"/> (for callers that run their own clock with <see cref="Eval"/>).</summary>
    public void DumpTrace(ulong time) => _shim.TraceDump(Handle, time);

    /// <summary>
    /// Variables the build made public (a Verilator configuration file's <c>public_flat_rw</c>),
    /// by their flat name <c>TOP.&lt;instance path&gt;.&lt;variable&gt;</c>; empty when none are.
    /// </summary>
    public IReadOnlyList<PublicVariable> PublicVariables => _publics ??= ListPublics();

    private IReadOnlyList<PublicVariable>? _publics;

    private IReadOnlyList<PublicVariable> ListPublics()
    {
        int count = _shim.PublicCount(Handle);
        var list = new PublicVariable[count];
        var shape = new int[3];
        for (int i = 0; i < count; i++)
        {
            var name = Marshal.PtrToStringUTF8(_shim.PublicName(Handle, i)) ?? $"public{i}";
            var data = _shim.PublicData(Handle, i, ref shape[0]);
            list[i] = new PublicVariable(this, name, data, shape[0], shape[1], shape[2]);
        }
        return list;
    }

    /// <summary>Flushes and closes the trace file (also done by <see cref="Dispose"/>).</summary>
    public void CloseTrace() => _shim.TraceClose(Handle);

    public void Dispose()
    {
        Destroy();
        GC.SuppressFinalize(this);
    }

    ~VerilatedModel() => Destroy();

    private void Destroy()
    {
        var handle = Interlocked.Exchange(ref _handle, 0);
        if (handle != 0) _shim.Destroy(handle);
    }

    internal bool IsDisposed => Volatile.Read(ref _handle) == 0;

    private nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(VerilatedModel));

    private void ThrowNotSettable(int port) => throw new ArgumentException(
        (uint)port < (uint)Ports.Count
            ? $"port {Ports[port].Name} ({Ports[port].Width} bits, {Ports[port].Direction}) cannot be set that way"
              + (Ports[port].IsWide && Ports[port].IsInput ? "; use Set(port, words)" : "")
            : $"no port {port}; the model has {Ports.Count}", nameof(port));

    private void ThrowNotNarrow(int port) => throw new ArgumentException(
        (uint)port < (uint)Ports.Count
            ? $"port {Ports[port].Name} has {Ports[port].Width} bits; read it with Get(port, words)"
            : $"no port {port}; the model has {Ports.Count}", nameof(port));
}

/// <summary>
/// The shim's entry points in one loaded library, one binding per library path per process,
/// each a direct unmanaged call (<see cref="UnmanagedCall"/>).
/// </summary>
internal sealed class ShimBinding
{
    internal delegate int IntFn();
    internal delegate int IntOfIntFn(int i);
    internal delegate nint PtrOfIntFn(int i);
    internal delegate nint CreateFn();
    internal delegate void HandleFn(nint h);
    internal delegate ulong TimeFn(nint h);
    internal delegate void SetFn(nint h, int port, ulong value);
    internal delegate ulong GetFn(nint h, int port);
    internal delegate void WordsFn(nint h, int port, ref uint words, int count);
    internal delegate void TickFn(nint h, int port);
    internal delegate int TraceOpenFn(nint h, nint utf8Path);
    internal delegate void TraceDumpFn(nint h, ulong time);
    internal delegate int CountFn(nint h);
    internal delegate nint NameFn(nint h, int i);
    internal delegate nint DataFn(nint h, int i, ref int shape);

    private static readonly ConcurrentDictionary<string, Lazy<ShimBinding>> Loaded = new(StringComparer.Ordinal);

    private ShimBinding(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"model library {path} does not exist", path);
        var lib = NativeLibrary.Load(path);
        T Bind<T>(string name) where T : Delegate =>
            NativeLibrary.TryGetExport(lib, VerilatorShim.SymbolPrefix + name, out var address)
                ? UnmanagedCall.Bind<T>(address)
                : throw new InvalidOperationException($"{path} does not export {VerilatorShim.SymbolPrefix}{name}: not an EieHdl model library");
        int abi = Bind<IntFn>("abi")();
        if (abi != VerilatorShim.Abi)
            throw new InvalidOperationException($"{path} has shim ABI {abi}, this EieHdl expects {VerilatorShim.Abi}: rebuild it");
        HasTrace = Bind<IntFn>("has_trace")() != 0;
        var count = Bind<IntFn>("port_count")();
        var name = Bind<PtrOfIntFn>("port_name");
        var width = Bind<IntOfIntFn>("port_width");
        var dir = Bind<IntOfIntFn>("port_dir");
        Ports = Enumerable.Range(0, count).Select(i =>
        {
            int w = width(i);
            return new VerilatedPort(i, Marshal.PtrToStringUTF8(name(i)) ?? $"port{i}", (PortDirection)dir(i), w,
                w <= 8 ? "CData" : w <= 16 ? "SData" : w <= 32 ? "IData" : w <= 64 ? "QData" : "VlWide");
        }).ToArray();
        Create = Bind<CreateFn>("create");
        Destroy = Bind<HandleFn>("destroy");
        Eval = Bind<HandleFn>("eval");
        Time = Bind<TimeFn>("time");
        Set = Bind<SetFn>("set");
        Get = Bind<GetFn>("get");
        SetWords = Bind<WordsFn>("set_words");
        GetWords = Bind<WordsFn>("get_words");
        Tick = Bind<TickFn>("tick");
        TraceOpen = Bind<TraceOpenFn>("trace_open");
        TraceDump = Bind<TraceDumpFn>("trace_dump");
        TraceClose = Bind<HandleFn>("trace_close");
        PublicCount = Bind<CountFn>("public_count");
        PublicName = Bind<NameFn>("public_name");
        PublicData = Bind<DataFn>("public_data");
    }

    public static ShimBinding For(string path) =>
        Loaded.GetOrAdd(path, p => new Lazy<ShimBinding>(() => new ShimBinding(p))).Value;

    public bool HasTrace { get; }
    public IReadOnlyList<VerilatedPort> Ports { get; }
    public CreateFn Create { get; }
    public HandleFn Destroy { get; }
    public HandleFn Eval { get; }
    public TimeFn Time { get; }
    public SetFn Set { get; }
    public GetFn Get { get; }
    public WordsFn SetWords { get; }
    public WordsFn GetWords { get; }
    public TickFn Tick { get; }
    public TraceOpenFn TraceOpen { get; }
    public TraceDumpFn TraceDump { get; }
    public HandleFn TraceClose { get; }
    public CountFn PublicCount { get; }
    public NameFn PublicName { get; }
    public DataFn PublicData { get; }
}
