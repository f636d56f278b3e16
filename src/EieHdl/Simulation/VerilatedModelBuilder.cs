using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using EieHdl.Hardware;
using EieHdl.Processes;

namespace EieHdl.Simulation;

/// <summary>How <see cref="VerilatedModelBuilder"/> builds a model library.</summary>
public sealed record VerilatedBuildOptions
{
    /// <summary>Build the FST trace variant (<c>--trace-fst</c>; a separate cache entry).</summary>
    public bool Trace { get; init; }

    /// <summary>Cache folder; null: <see cref="VerilatedModelBuilder.DefaultCacheRoot"/>.</summary>
    public string? CacheRoot { get; init; }

    /// <summary>The Verilator executable (a name looked up on PATH, or a path).</summary>
    public string Verilator { get; init; } = "verilator";

    /// <summary>Extra Verilator arguments (e.g. <c>-GDEPTH=4</c>); part of the cache key.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>
    /// Text of a Verilator configuration file (<c>`verilator_config</c> ...), e.g. marking memories
    /// <c>public_flat_rw</c> for a back-door load; written to config.vlt ahead of the sources and
    /// part of the cache key. Null: none.
    /// </summary>
    public string? ConfigFile { get; init; }

    /// <summary>Parallel C++ compile jobs (<c>make -j</c>): one per core. Not part of the cache key.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;

    /// <summary>Longest each tool run may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Told one line per step of a build that runs the tools (verilating, each C++ file as make
    /// starts it, linking, done), each with the time since the build began: a 64-PE top takes
    /// minutes. Not called on a cache hit; called from a thread that reads the tool's output.
    /// Not part of the cache key.
    /// </summary>
    public Action<string>? Progress { get; init; }
}

/// <summary>A built (or cached) model library and what is known about it.</summary>
/// <param name="Top">Top module name.</param>
/// <param name="LibraryPath">The shared library to load with <see cref="VerilatedModel"/>.</param>
/// <param name="Folder">Its cache entry: the library, shim.cpp, V&lt;top&gt;.h, build.log, src/.</param>
/// <param name="Key">SHA-256 (hex) of every build input.</param>
/// <param name="Ports">Top-level ports in header order (the index <see cref="VerilatedModel"/> uses).</param>
/// <param name="Trace">Built with <c>--trace-fst</c>.</param>
/// <param name="FromCache">Found in the cache; no tool ran.</param>
/// <param name="Elapsed">Wall time of this call.</param>
public sealed record VerilatedLibrary(
    string Top, string LibraryPath, string Folder, string Key, IReadOnlyList<VerilatedPort> Ports,
    bool Trace, bool FromCache, TimeSpan Elapsed);

/// <summary>A Verilator or C++ compile step failed; the message quotes the tool's error lines.</summary>
public sealed class VerilatorBuildException(string message, ToolResult result) : InvalidOperationException(message)
{
    /// <summary>The failed tool run: command, exit code, full output.</summary>
    public ToolResult Result { get; } = result;
}

/// <summary>
/// Builds Verilog into a shared library that <see cref="VerilatedModel"/> loads in-process.
/// <list type="number">
/// <item><c>verilator --cc --exe -O3 --top-module T --output-split-cfuncs N -CFLAGS "-O2 -fPIC -fvisibility=hidden"
/// -LDFLAGS "-shared -Wl,--version-script=exports.map" -o lib&lt;T&gt;.so shim.cpp sources</c>
/// writes the C++ model and its makefile (shim.cpp is a placeholder at this point).</item>
/// <item>The port list is read from the generated <c>V&lt;T&gt;.h</c> (<see cref="VerilatedHeader"/>)
/// and the real shim is rendered into shim.cpp (<see cref="VerilatorShim"/>).</item>
/// <item><c>make -C obj -f V&lt;T&gt;.mk -j &lt;cores&gt; OPT_FAST=-O2 OPT_GLOBAL=-O2 OPT_SLOW=-O0</c> compiles
/// and links it, which is what <c>verilator --build</c> runs; the OPT_ variables replace
/// Verilator's default <c>-Os</c>, which comes after -CFLAGS on the compile line.</item>
/// </list>
/// Every build goes to a cache entry <c>&lt;root&gt;/&lt;top&gt;-&lt;key prefix&gt;[-fst]/</c>, where the key is the
/// SHA-256 of the sources (names and text), the top, the shim template, the Verilator and
/// compiler version lines and every flag. A later build with the same inputs runs no tool. A
/// build runs in <c>&lt;entry&gt;.tmp-&lt;guid&gt;</c> under an exclusive lock file <c>&lt;entry&gt;.lock</c>
/// (advisory flock, so it also serialises other processes) and is renamed into place when
/// complete: an entry that exists is whole. An interrupt removes the temporary folder
/// (<see cref="ProcessCleanup"/>); one left by a killed process is removed by the next build.
/// </summary>
public static class VerilatedModelBuilder
{
    public const string InstallHint = "apt-get install -y --no-install-recommends verilator";

    private const string CacheFormat = "eiehdl-verilated v1";

    private static readonly ConcurrentDictionary<string, string> VersionLines = new(StringComparer.Ordinal);

    private static int _toolBuilds;

    /// <summary>Builds in this process that ran Verilator (cache misses and failures).</summary>
    public static int ToolBuilds => Volatile.Read(ref _toolBuilds);

    /// <summary>
    /// <c>$EIEHDL_CACHE</c> if set; else <c>&lt;repo&gt;/out/.cache/verilator</c>, the repo being the first
    /// folder holding EieHdl.sln above the current directory or the application's folder; else
    /// <c>&lt;temp&gt;/eiehdl-verilator</c>.
    /// </summary>
    public static string DefaultCacheRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("EIEHDL_CACHE");
            if (!string.IsNullOrWhiteSpace(env)) return Path.GetFullPath(env);
            var repo = FindRepoRoot(Environment.CurrentDirectory) ?? FindRepoRoot(AppContext.BaseDirectory);
            return repo is not null
                ? Path.Combine(repo, "out", ".cache", "verilator")
                : Path.Combine(Path.GetTempPath(), "eiehdl-verilator");
        }
    }

    /// <summary>Builds the generated modules of <paramref name="rtl"/> (eie.f is not needed) with <paramref name="top"/>.</summary>
    public static VerilatedLibrary Build(RtlOutput rtl, string top, VerilatedBuildOptions? options = null) =>
        Build(rtl.Modules, top, options);

    /// <summary>Builds Verilog files on disk (read now; <c>`include</c> of other files is not followed).</summary>
    public static VerilatedLibrary BuildFiles(IEnumerable<string> paths, string top, VerilatedBuildOptions? options = null) =>
        Build(paths.Select(p => new RtlFile(Path.GetFileName(p), File.ReadAllText(p))).ToArray(), top, options);

    /// <summary>
    /// Builds <paramref name="sources"/> (file name and Verilog text; names must be distinct) into
    /// a model library with top module <paramref name="top"/>, or returns the cached one.
    /// </summary>
    /// <exception cref="InvalidOperationException">Verilator, make or g++ is missing (the message names the package).</exception>
    /// <exception cref="VerilatorBuildException">Verilator or the C++ build failed; the message quotes its errors.</exception>
    public static VerilatedLibrary Build(IReadOnlyList<RtlFile> sources, string top, VerilatedBuildOptions? options = null)
    {
        options ??= new VerilatedBuildOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(top);
        if (!IsIdentifier(top)) throw new ArgumentException($"top module name '{top}' is not a plain Verilog identifier", nameof(top));
        if (sources.Count == 0) throw new ArgumentException("no Verilog sources", nameof(sources));
        foreach (var s in sources)
            if (s.Name.Length == 0 || s.Name != Path.GetFileName(s.Name) || s.Name.StartsWith('.'))
                throw new ArgumentException($"source name '{s.Name}' must be a plain file name", nameof(sources));
        var dup = sources.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"two sources are named {dup.Key}", nameof(sources));

        var clock = Stopwatch.StartNew();
        var verilator = RequireTool(options.Verilator, InstallHint);
        RequireTool("make", "apt-get install -y --no-install-recommends make g++");
        RequireTool("g++", "apt-get install -y --no-install-recommends g++");
        var verilatorVersion = VersionLine(verilator);
        var compilerVersion = VersionLine("g++");

        var flags = VerilatorFlags(top, options);
        var makeFlags = MakeFlags();
        var key = CacheKey(sources, top, options.Trace, verilatorVersion, compilerVersion, flags, makeFlags, options.ConfigFile);
        var root = options.CacheRoot is null ? DefaultCacheRoot : Path.GetFullPath(options.CacheRoot);
        Directory.CreateDirectory(root);
        SweepStale(root);
        var entryName = $"{top}-{key[..20]}{(options.Trace ? "-fst" : "")}";
        var entry = Path.Combine(root, entryName);
        var libName = $"lib{top}.so";

        if (TryLoadEntry(entry, top, libName) is { } hit)
            return Result(hit, fromCache: true);

        using (AcquireLock(entry + ".lock", options.Timeout))
        {
            if (TryLoadEntry(entry, top, libName) is { } raced)
                return Result(raced, fromCache: true);
            var temp = $"{entry}.tmp-{Guid.NewGuid():N}";
            using var removeOnStop = ProcessCleanup.Current.RemoveOnStop(temp);
            try
            {
                var ports = BuildInto(temp, sources, top, options, verilator, flags, makeFlags, libName, entry,
                    verilatorVersion + "\n" + compilerVersion);
                try
                {
                    Directory.Move(temp, entry);
                }
                catch (IOException) when (Directory.Exists(entry))
                {
                    // Another builder that ignores the lock finished first; its entry is equivalent.
                }
                return Result((Path.Combine(entry, libName), ports), fromCache: false);
            }
            finally
            {
                TryDelete(temp);
            }
        }

        VerilatedLibrary Result((string Lib, IReadOnlyList<VerilatedPort> Ports) built, bool fromCache) =>
            new(top, built.Lib, entry, key, built.Ports, options.Trace, fromCache, clock.Elapsed);
    }

    private static IReadOnlyList<VerilatedPort> BuildInto(string folder, IReadOnlyList<RtlFile> sources, string top,
        VerilatedBuildOptions options, string verilator, IReadOnlyList<string> flags, IReadOnlyList<string> makeFlags,
        string libName, string entry, string versions)
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var src = Path.Combine(folder, "src");
        Directory.CreateDirectory(src);
        foreach (var s in sources) File.WriteAllText(Path.Combine(src, s.Name), s.Text, utf8);
        File.WriteAllText(Path.Combine(folder, "exports.map"), VerilatorShim.VersionScript, utf8);
        var shimPath = Path.Combine(folder, "shim.cpp");
        File.WriteAllText(shimPath, "// placeholder: replaced once the port list is known\n", utf8);
        var log = new StringBuilder();
        var clock = Stopwatch.StartNew();
        void Report(string step) => options.Progress?.Invoke(
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{top}: {step} ({clock.Elapsed.TotalSeconds:F0} s)"));

        Interlocked.Increment(ref _toolBuilds);
        var args = new List<string>(flags)
        {
            "-Mdir", "obj",
            "-LDFLAGS", $"-shared -Wl,--version-script={Path.Combine(folder, "exports.map")}",
            "-o", Path.Combine(folder, libName),
            "shim.cpp",
        };
        if (options.ConfigFile is not null)
        {
            File.WriteAllText(Path.Combine(folder, "config.vlt"), options.ConfigFile, utf8);
            args.Add("config.vlt");
        }
        args.AddRange(sources.Select(s => Path.Combine("src", s.Name)));
        Report($"verilating {sources.Count} Verilog files");
        var verilate = RtlTools.Run(verilator, args, folder, options.Timeout);
        log.Append(verilate).Append('\n');
        if (!verilate.Ok) Fail("verilator", top, verilate, log, entry);

        var header = Path.Combine(folder, "obj", $"V{top}.h");
        IReadOnlyList<VerilatedPort> ports;
        try
        {
            ports = VerilatedHeader.ParsePorts(File.ReadAllText(header));
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            throw new InvalidOperationException($"cannot read the port list of {top} from {header}: {e.Message}", e);
        }
        File.WriteAllText(shimPath, VerilatorShim.Render(top, ports, options.Trace), utf8);

        var obj = Path.Combine(folder, "obj");
        var runtime = RuntimeEntry(obj, top, flags, makeFlags, versions);
        bool reused = runtime.Objects.Count > 0
            && runtime.Objects.All(o => File.Exists(Path.Combine(runtime.Folder, o)));
        if (reused)
        {
            // Newer than V<top>.mk, on which make makes them depend: make links them as they are.
            foreach (var o in runtime.Objects)
            {
                var target = Path.Combine(obj, o);
                File.Copy(Path.Combine(runtime.Folder, o), target, overwrite: true);
                File.SetLastWriteTimeUtc(target, DateTime.UtcNow);
            }
            log.Append($"reused the Verilator runtime objects of {runtime.Folder}\n");
        }

        var jobs = Math.Max(1, options.Jobs).ToString(System.Globalization.CultureInfo.InvariantCulture);
        // make compiles the generated files (concatenated into one unless Verilator chose
        // parallel builds for a big model), the shim and the runtime objects it was not given.
        bool parallel = File.ReadLines(Path.Combine(obj, $"V{top}_classes.mk")).Any(l => l.Trim() == "VM_PARALLEL_BUILDS = 1");
        int toCompile = (parallel ? Directory.GetFiles(obj, "*.cpp").Length : 1) + 1 + (reused ? 0 : runtime.Objects.Count);
        int started = 0;
        Report($"compiling {toCompile} C++ files, {jobs} at a time");
        var make = RtlTools.Run("make", ["-C", "obj", "-f", $"V{top}.mk", "-j", jobs, .. makeFlags], folder, options.Timeout,
            onLine: options.Progress is null ? null : line =>
            {
                if (CompiledObject(line) is { } compiled)
                {
                    started++;
                    Report($"compiling {started}/{Math.Max(started, toCompile)}: {compiled}");
                }
                else if (line.Contains($"-o {Path.Combine(folder, libName)}", StringComparison.Ordinal))
                {
                    Report($"linking {libName}");
                }
            });
        log.Append(make).Append('\n');
        if (!make.Ok || !File.Exists(Path.Combine(folder, libName))) Fail("C++ build (make)", top, make, log, entry);
        if (!reused && runtime.Objects.Count > 0) PublishRuntime(obj, runtime.Folder, runtime.Objects);

        File.Copy(header, Path.Combine(folder, $"V{top}.h"));
        File.WriteAllText(Path.Combine(folder, "build.log"), log.ToString(), utf8);
        Directory.Delete(Path.Combine(folder, "obj"), recursive: true);
        Report("built");
        return ports;
    }

    /// <summary>The object file a make output line starts compiling (<c>g++ ... -c -o X.o src</c>), else null.</summary>
    internal static string? CompiledObject(string makeLine)
    {
        int at = makeLine.IndexOf(" -c -o ", StringComparison.Ordinal);
        if (at < 0) return null;
        var rest = makeLine[(at + " -c -o ".Length)..];
        int end = rest.IndexOf(' ');
        return end > 0 ? rest[..end] : null;
    }

    /// <summary>
    /// The Verilator runtime objects this model links (verilated.o, verilated_threads.o, and
    /// verilated_fst_c.o when tracing; from V&lt;top&gt;_classes.mk) and the shared cache folder
    /// <c>&lt;root&gt;/runtime-&lt;key&gt;</c> that holds them compiled. Its key covers the tool
    /// versions, every flag and the build settings the generated makefiles define (VM_TRACE,
    /// VM_COVERAGE, VM_SC, ...), since those become -D flags of the runtime's compile.
    /// </summary>
    private static (string Folder, IReadOnlyList<string> Objects) RuntimeEntry(string obj, string top,
        IReadOnlyList<string> flags, IReadOnlyList<string> makeFlags, string versions)
    {
        var objects = new List<string>();
        var settings = new List<string>();
        foreach (var mk in new[] { $"V{top}_classes.mk", $"V{top}.mk" })
        {
            var path = Path.Combine(obj, mk);
            if (!File.Exists(path)) return ("", []);
            bool inGlobals = false;
            foreach (var raw in File.ReadLines(path))
            {
                var line = raw.TrimEnd();
                if (line.StartsWith("VM_GLOBAL_FAST +=", StringComparison.Ordinal)
                    || line.StartsWith("VM_GLOBAL_SLOW +=", StringComparison.Ordinal))
                {
                    inGlobals = true;
                    continue;
                }
                if (inGlobals && line.StartsWith('\t'))
                {
                    var name = line.Trim().TrimEnd('\\').Trim();
                    if (name.Length > 0) objects.Add(name + ".o");
                    continue;
                }
                inGlobals = false;
                if (line.StartsWith("VM_", StringComparison.Ordinal) && line.Contains(" = ", StringComparison.Ordinal)
                    && !line.StartsWith("VM_PREFIX", StringComparison.Ordinal)
                    && !line.StartsWith("VM_MODPREFIX", StringComparison.Ordinal)
                    && !line.StartsWith("VM_USER_", StringComparison.Ordinal))
                    settings.Add(line);
            }
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var topIndex = flags.ToList().IndexOf("--top-module");
        var fields = new List<string> { CacheFormat, "runtime", versions };
        fields.AddRange(flags.Where((_, i) => i != topIndex + 1 || topIndex < 0));
        fields.AddRange(makeFlags);
        fields.AddRange(settings);
        fields.AddRange(objects);
        foreach (var f in fields)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(f);
            hash.AppendData(BitConverter.GetBytes((long)bytes.Length));
            hash.AppendData(bytes);
        }
        var key = Convert.ToHexStringLower(hash.GetHashAndReset());
        return (Path.Combine(Path.GetDirectoryName(obj)!, "..", $"runtime-{key[..20]}"), objects);
    }

    /// <summary>
    /// Copies the runtime objects into their shared folder: built aside under the folder's lock,
    /// then renamed into place. Skipped while another build holds the lock.
    /// </summary>
    private static void PublishRuntime(string obj, string folder, IReadOnlyList<string> objects)
    {
        folder = Path.GetFullPath(folder);
        if (Directory.Exists(folder) || !objects.All(o => File.Exists(Path.Combine(obj, o)))) return;
        using var held = TryLock(folder + ".lock");
        if (held is null || Directory.Exists(folder)) return;
        var temp = $"{folder}.tmp-{Guid.NewGuid():N}";
        using var removeOnStop = ProcessCleanup.Current.RemoveOnStop(temp);
        try
        {
            Directory.CreateDirectory(temp);
            foreach (var o in objects) File.Copy(Path.Combine(obj, o), Path.Combine(temp, o));
            Directory.Move(temp, folder);
        }
        catch (IOException)
        {
            // Published meanwhile by a builder that ignores the lock, or not at all: either way the model is built.
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>
    /// Removes the <c>&lt;name&gt;.tmp-*</c> folders of builds that no longer run: a build creates its
    /// temporary folder only while it holds <c>&lt;name&gt;.lock</c>, and a process that dies, even
    /// by SIGKILL, releases its lock; so a temporary folder whose lock is free is stale.
    /// </summary>
    internal static void SweepStale(string root)
    {
        IEnumerable<string> temporary;
        try
        {
            temporary = Directory.EnumerateDirectories(root, "*.tmp-*").ToArray();
        }
        catch (IOException)
        {
            return;
        }
        foreach (var folder in temporary)
        {
            var name = Path.GetFileName(folder);
            using var held = TryLock(Path.Combine(root, name[..name.IndexOf(".tmp-", StringComparison.Ordinal)] + ".lock"));
            if (held is not null) TryDelete(folder);
        }
    }

    private static (string Lib, IReadOnlyList<VerilatedPort> Ports)? TryLoadEntry(string entry, string top, string libName)
    {
        var lib = Path.Combine(entry, libName);
        var header = Path.Combine(entry, $"V{top}.h");
        if (!File.Exists(lib) || !File.Exists(header)) return null;
        return (lib, VerilatedHeader.ParsePorts(File.ReadAllText(header)));
    }

    /// <summary>
    /// Statements per generated C++ function. GCC's -O2 time grows faster than linearly with a
    /// function's size (its alias walks dominate on Verilator's flat eval functions), so smaller
    /// functions compile much faster and spread over the make jobs; too small, and temporaries
    /// that were locals become members, which slows the simulation.
    /// </summary>
    private const int StatementsPerFunction = 1000;

    private static IReadOnlyList<string> VerilatorFlags(string top, VerilatedBuildOptions options)
    {
        var flags = new List<string>
        {
            "--cc", "--exe", "-O3", "-Wno-fatal", "--top-module", top,
            "--output-split-cfuncs", StatementsPerFunction.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-CFLAGS", "-O2 -fPIC -fvisibility=hidden -fvisibility-inlines-hidden",
        };
        if (options.Trace) flags.Add("--trace-fst");
        flags.AddRange(options.ExtraArgs);
        return flags;
    }

    /// <summary>
    /// The per-cycle code (OPT_FAST) and the runtime (OPT_GLOBAL) at -O2; the slow path
    /// (constructors, initial settle: run once) unoptimised, where -O1 took twice the compile time.
    /// </summary>
    private static IReadOnlyList<string> MakeFlags() => ["OPT_FAST=-O2", "OPT_GLOBAL=-O2", "OPT_SLOW=-O0"];

    private static string CacheKey(IReadOnlyList<RtlFile> sources, string top, bool trace, string verilatorVersion,
        string compilerVersion, IReadOnlyList<string> flags, IReadOnlyList<string> makeFlags, string? configFile)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string field)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(field);
            hash.AppendData(BitConverter.GetBytes((long)bytes.Length));
            hash.AppendData(bytes);
        }
        Add(CacheFormat);
        Add(top);
        Add(trace ? "trace-fst" : "no-trace");
        Add(verilatorVersion);
        Add(compilerVersion);
        Add(VerilatorShim.TemplateText);
        Add(VerilatorShim.VersionScript);
        foreach (var f in flags) Add("flag " + f);
        foreach (var f in makeFlags) Add("make " + f);
        Add(configFile is null ? "no config file" : "config file " + configFile.ReplaceLineEndings("\n"));
        foreach (var s in sources)
        {
            Add(s.Name);
            Add(s.Text.ReplaceLineEndings("\n"));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    [DoesNotReturn]
    private static void Fail(string step, string top, ToolResult result, StringBuilder log, string entry)
    {
        var logPath = entry + ".error.log";
        try { File.WriteAllText(logPath, log.ToString()); }
        catch (IOException) { logPath = "(not written)"; }
        var lines = result.Output.ReplaceLineEndings("\n").Split('\n');
        var errors = lines.Where(l => l.StartsWith("%Error", StringComparison.Ordinal)
                || l.Contains("error:", StringComparison.Ordinal)
                || l.Contains("Error ", StringComparison.Ordinal)
                || l.Contains("undefined reference", StringComparison.Ordinal))
            .Take(40).ToList();
        if (errors.Count == 0) errors = lines.Where(l => l.Length > 0).TakeLast(30).ToList();
        throw new VerilatorBuildException(
            $"{step} failed building {top} (exit {result.ExitCode}):\n{string.Join('\n', errors)}\n"
            + $"command: {result.Command}\nfull log: {logPath}", result);
    }

    /// <summary>
    /// An exclusive lock on <paramref name="path"/>, waiting at most <paramref name="timeout"/>:
    /// on Unix FileShare.None is an advisory flock, held until disposed or the process ends.
    /// </summary>
    private static IDisposable AcquireLock(string path, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < timeout)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>The exclusive lock on <paramref name="path"/> if it is free now, else null.</summary>
    private static FileStream? TryLock(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The tool's path: <paramref name="tool"/> itself if it names a file, else its first match on PATH.</summary>
    private static string RequireTool(string tool, string installHint)
    {
        if (tool.Contains(Path.DirectorySeparatorChar))
        {
            if (File.Exists(tool)) return tool;
        }
        else
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            {
                if (dir.Length == 0) continue;
                var candidate = Path.Combine(dir, tool);
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw new InvalidOperationException($"{tool} is not installed or not on PATH; install it with: {installHint}");
    }

    /// <summary>First line of <c>tool --version</c>, once per tool and process.</summary>
    private static string VersionLine(string tool) => VersionLines.GetOrAdd(tool, static t =>
    {
        var result = RtlTools.Run(t, ["--version"], Environment.CurrentDirectory, TimeSpan.FromMinutes(1));
        if (!result.Ok) throw new InvalidOperationException($"'{t} --version' failed:\n{result.Output}");
        return result.Output.ReplaceLineEndings("\n").Split('\n').FirstOrDefault(l => l.Length > 0) ?? "";
    });

    private static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EieHdl.sln"))) return dir.FullName;
        return null;
    }

    private static bool IsIdentifier(string name) =>
        (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
