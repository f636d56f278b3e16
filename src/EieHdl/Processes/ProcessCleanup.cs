using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace EieHdl.Processes;

/// <summary>What <see cref="ProcessCleanup.Stop"/> did, for the one line printed on an interrupt.</summary>
/// <param name="Killed">Child tools whose process trees were killed.</param>
/// <param name="StillRunning">Of those, the ones not yet gone when the time budget ran out.</param>
/// <param name="Removed">Temporary files and folders removed.</param>
/// <param name="NotRemoved">Temporary paths that could not be removed (each with the reason).</param>
/// <param name="Elapsed">Time the stop took.</param>
public sealed record StopReport(int Killed, int StillRunning, int Removed, IReadOnlyList<string> NotRemoved, TimeSpan Elapsed);

/// <summary>
/// The child tools this process is running (Verilator, make, yosys, nextpnr, icepack, npm) and
/// the temporary files and folders it is writing, so that an interrupt can stop the one and
/// remove the other before the process exits. Every launcher starts its children through
/// <see cref="Start"/> and registers its temporary paths with <see cref="RemoveOnStop"/>.
/// <para>
/// Once <see cref="Stop"/> has begun the process is ending: a thread that would start a tool,
/// or report on one that was killed, waits in <see cref="WaitIfStopping"/> until the exit, so
/// nothing half-done is reported or written after the interrupt.
/// </para>
/// </summary>
public sealed class ProcessCleanup
{
    /// <summary>The registry every launcher of this process uses.</summary>
    public static ProcessCleanup Current { get; } = new();

    /// <summary>Time a stop waits for killed trees to exit and for temporary paths to go.</summary>
    public static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(1.5);

    /// <summary>A registry of its own, for tests; everything else uses <see cref="Current"/>.</summary>
    internal ProcessCleanup() { }

    private readonly Lock _gate = new();
    private readonly HashSet<Process> _children = [];
    private readonly Dictionary<long, string> _temporary = [];
    private long _nextTemporary;
    private readonly ManualResetEventSlim _stopBegun = new();
    private volatile bool _stopping;

    /// <summary>A stop has begun; the process is about to exit.</summary>
    public bool Stopping => _stopping;

    /// <summary>
    /// Starts <paramref name="start"/> as a tracked child; call <see cref="Forget"/> once it has
    /// exited. Waits for the exit instead if a stop has begun (a tool started now would outlive it).
    /// </summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started (e.g. it is not installed).</exception>
    public Process Start(ProcessStartInfo start)
    {
        Process? process = null;
        lock (_gate)
        {
            // Started under the lock: a stop that takes the lock next sees this child.
            if (!_stopping)
            {
                process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
                _children.Add(process);
            }
        }
        if (process is null) WaitIfStopping();
        return process!;
    }

    /// <summary>Stops tracking a child that has exited.</summary>
    public void Forget(Process process)
    {
        lock (_gate) _children.Remove(process);
    }

    /// <summary>
    /// Registers a temporary file or folder that a stop removes; disposing the result unregisters
    /// it (once it has been renamed into place or deleted).
    /// </summary>
    public IDisposable RemoveOnStop(string path)
    {
        string full = Path.GetFullPath(path);
        long id;
        lock (_gate)
        {
            id = _nextTemporary++;
            _temporary.Add(id, full);
        }
        return new Registration(this, id);
    }

    /// <summary>Blocks the calling thread for good once a stop has begun (the stopping thread exits the process).</summary>
    public void WaitIfStopping()
    {
        if (_stopping) Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>
    /// For a child that died of SIGINT, SIGTERM or SIGHUP (exit code 130, 143, 129): Ctrl-C
    /// signals the whole process group, so the child may die before this process's own handler
    /// has begun the stop. Waits up to <paramref name="grace"/> for that stop (then blocks for
    /// good, as <see cref="WaitIfStopping"/>); returns if none comes, the child having been
    /// killed by someone else.
    /// </summary>
    public void WaitIfInterrupted(int exitCode, TimeSpan grace)
    {
        if (exitCode is 129 or 130 or 143) _stopBegun.Wait(grace);
        WaitIfStopping();
    }

    /// <summary>
    /// Kills the process tree of every tracked child, waits up to <see cref="StopBudget"/> for
    /// them to exit, then removes every registered temporary path. Only the first call acts;
    /// later calls return null at once. Meant for a process that exits right after.
    /// </summary>
    public StopReport? Stop()
    {
        var clock = Stopwatch.StartNew();
        Process[] children;
        string[] temporary;
        lock (_gate)
        {
            if (_stopping) return null;
            _stopping = true;
            _stopBegun.Set();
            children = [.. _children];
            temporary = [.. _temporary.Values];
        }

        var killed = KillTrees(children);
        int stillRunning = 0;
        foreach (var child in children)
        {
            var left = StopBudget - clock.Elapsed;
            try
            {
                if (!child.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero)) stillRunning++;
            }
            catch (InvalidOperationException) { }
        }
        // The grandchildren are no Process objects: watch /proc until each is gone or a zombie.
        while (killed.Any(Running) && clock.Elapsed < StopBudget) Thread.Sleep(5);
        if (stillRunning == 0) stillRunning = killed.Count(Running);

        int removed = 0;
        var notRemoved = new List<string>();
        foreach (var path in temporary)
        {
            switch (TryRemove(path, clock, out var reason))
            {
                case true: removed++; break;
                case false: notRemoved.Add($"{path} ({reason})"); break;
                default: break;
            }
        }
        return new StopReport(children.Length, stillRunning, removed, notRemoved, clock.Elapsed);
    }

    /// <summary>
    /// Kills <paramref name="roots"/> and all their descendants. On Linux each process is stopped
    /// (SIGSTOP) before /proc is read for its children, so none can fork past the kill, and the
    /// whole set is then killed (SIGKILL) at once: a few reads of /proc, where
    /// <see cref="Process.Kill(bool)"/> enumerates every process of the machine once per node of
    /// the tree and takes seconds on a loaded machine.
    /// </summary>
    /// <returns>The processes killed (on Linux; elsewhere none are listed).</returns>
    private static HashSet<int> KillTrees(IReadOnlyList<Process> roots)
    {
        if (!OperatingSystem.IsLinux())
        {
            foreach (var root in roots)
            {
                try
                {
                    root.Kill(entireProcessTree: true);
                }
                catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
                {
                    // Exited (or was disposed) meanwhile.
                }
            }
            return [];
        }
        var stopped = new HashSet<int>();
        var fresh = new List<int>();
        foreach (var root in roots)
        {
            try
            {
                fresh.Add(root.Id);
            }
            catch (InvalidOperationException) { }
        }
        // One more look after the last one that found nothing: a stop is delivered asynchronously.
        for (int quiet = 0; quiet < 2;)
        {
            foreach (var pid in fresh)
                if (stopped.Add(pid)) _ = Kill(pid, SigStop);
            fresh = stopped.SelectMany(Children).Where(pid => !stopped.Contains(pid)).ToList();
            quiet = fresh.Count == 0 ? quiet + 1 : 0;
        }
        foreach (var pid in stopped) _ = Kill(pid, SigKill);
        return stopped;
    }

    /// <summary>Whether <paramref name="pid"/> still runs: /proc/&lt;pid&gt;/stat exists and its state is not Z (a zombie, dead).</summary>
    private static bool Running(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat.Length > stat.LastIndexOf(')') + 2 && stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// The children of <paramref name="pid"/>: /proc/&lt;pid&gt;/task/&lt;tid&gt;/children of each of its
    /// threads, or, on a kernel without those files, the processes whose /proc/&lt;n&gt;/stat names it as parent.
    /// </summary>
    private static IEnumerable<int> Children(int pid)
    {
        string tasks = $"/proc/{pid}/task";
        if (!Directory.Exists(tasks)) return [];
        try
        {
            var threads = Directory.GetDirectories(tasks);
            if (threads.Length > 0 && File.Exists(Path.Combine(threads[0], "children")))
                return threads.SelectMany(t => ReadPids(Path.Combine(t, "children"))).ToArray();
            var children = new List<int>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out int candidate)) continue;
                // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ', 3);
                if (fields.Length >= 2 && fields[1] == pid.ToString(CultureInfo.InvariantCulture)) children.Add(candidate);
            }
            return children;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A process exited while its entries were read.
            return [];
        }
    }

    private static IEnumerable<int> ReadPids(string file)
    {
        try
        {
            return File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private const int SigKill = 9;
    private const int SigStop = 19;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>
    /// Renames <paramref name="path"/> aside before deleting it: if its owner renames it into
    /// place first, the finished result stays whole instead of being deleted half-way; if the
    /// rename here wins, the owner's rename fails and the owner is stopping anyway. A dying
    /// tool may still be writing into the folder, so a failed delete is retried within the budget.
    /// Null: there was nothing to remove.
    /// </summary>
    private static bool? TryRemove(string path, Stopwatch clock, out string reason)
    {
        reason = "";
        string aside = $"{path}.removing-{Environment.ProcessId}";
        try
        {
            if (Directory.Exists(path)) Directory.Move(path, aside);
            else if (File.Exists(path)) File.Move(path, aside);
            else return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!Directory.Exists(path) && !File.Exists(path)) return null;
            reason = e.Message;
            return false;
        }
        while (true)
        {
            try
            {
                if (Directory.Exists(aside)) Directory.Delete(aside, recursive: true);
                else File.Delete(aside);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                reason = e.Message;
                if (clock.Elapsed >= StopBudget) return false;
                Thread.Sleep(20);
            }
        }
    }

    /// <summary>
    /// Makes SIGINT, SIGTERM and SIGHUP stop every tracked child and remove every registered
    /// temporary path of <see cref="Current"/>, print one line on stderr and exit with 128 plus
    /// the signal number (130, 143, 129). Dispose the result to restore the default handling.
    /// </summary>
    public static IDisposable ExitOnSignals()
    {
        var registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }
            .Select(s => PosixSignalRegistration.Create(s, OnSignal)).ToArray();
        return new Registrations(registrations);
    }

    private static void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        var (name, number) = context.Signal switch
        {
            PosixSignal.SIGINT => ("SIGINT", 2),
            PosixSignal.SIGTERM => ("SIGTERM", 15),
            _ => ("SIGHUP", 1),
        };
        if (Current.Stopping) return;
        // Other threads may fail on the folders removed under them: nothing of theirs is printed.
        var stderr = Console.Error;
        Console.SetOut(TextWriter.Null);
        Console.SetError(TextWriter.Null);
        // A second signal while the first one's stop runs changes nothing.
        if (Current.Stop() is not { } report) return;
        var line = $"eiehdl: interrupted by {name}: stopped {report.Killed} tool(s), removed {report.Removed} temporary path(s) in {report.Elapsed.TotalSeconds:F1} s";
        if (report.StillRunning > 0) line += $"; {report.StillRunning} tool(s) had not exited yet";
        if (report.NotRemoved.Count > 0) line += $"; not removed: {string.Join(", ", report.NotRemoved)}";
        stderr.WriteLine(line.ReplaceLineEndings(" "));
        stderr.Flush();
        Environment.Exit(128 + number);
    }

    private sealed class Registration(ProcessCleanup owner, long id) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._gate) owner._temporary.Remove(id);
        }
    }

    private sealed class Registrations(PosixSignalRegistration[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in registrations) r.Dispose();
        }
    }
}
