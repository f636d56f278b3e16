using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using EieHdl.Tests.Cli;
using EieHdl.Tests.Sim;
using Xunit.Abstractions;

namespace EieHdl.Tests.Processes;

/// <summary>
/// `eiehdl cosim` interrupted while its cold Verilator build compiles, as a CI timeout or a
/// service manager stops it (SIGTERM to eiehdl alone) and as Ctrl-C in a terminal (SIGINT to
/// its whole process group): it must exit 143 / 130, leave no tool running and no temporary
/// folder behind, and the same command run again must work.
/// </summary>
public class InterruptTests(ITestOutputHelper output)
{
    private const int SigInt = 2, SigTerm = 15;

    [Theory]
    [InlineData(SigTerm)]
    [InlineData(SigInt)]
    public async Task AnInterruptedBuildStopsItsToolsLeavesNoTemporaryFolderAndTheRerunWorks(int signal)
    {
        using var dir = CosimCommandTests.CompressedModel(out _);
        string cache = Path.Combine(dir.Path, "cache");
        string[] args = ["cosim", "--model", "model", "--input", "x.npy", "--out", "rtl"];

        // setsid: eiehdl leads a process group of its own, which a terminal's Ctrl-C signals whole.
        // env --default-signal: a test host started in the background may have SIGINT ignored,
        // and an ignored signal stays ignored in its children.
        var cli = CliRunner.Start(dir.Path, args);
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = dir.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in (string[])["env", "--default-signal=SIGINT", cli.FileName, .. cli.ArgumentList]) start.ArgumentList.Add(a);
        start.Environment["EIEHDL_CACHE"] = cache;
        using var eiehdl = Process.Start(start)!;
        var stdout = eiehdl.StandardOutput.ReadToEndAsync();
        var stderr = eiehdl.StandardError.ReadToEndAsync();

        // Wait until the C++ compiler runs: the build is in make, its temporary folder full.
        var wait = Stopwatch.StartNew();
        HashSet<int> tree = [];
        while (!tree.Any(pid => Command(pid) == "cc1plus"))
        {
            if (eiehdl.HasExited)
                Assert.Fail($"eiehdl exited ({eiehdl.ExitCode}) before its build compiled C++: {await stderr}{await stdout}");
            if (wait.Elapsed > CliRunner.Timeout)
            {
                eiehdl.Kill(entireProcessTree: true);
                Assert.Fail($"no C++ compiler ran within {CliRunner.Timeout}");
            }
            await Task.Delay(100);
            tree = Descendants(eiehdl.Id);
        }
        Assert.Contains(Directory.GetDirectories(cache), d => d.Contains(".tmp-", StringComparison.Ordinal));
        var tools = string.Join(", ", tree.Select(pid => $"{Command(pid)} {pid}"));

        var clock = Stopwatch.StartNew();
        Assert.Equal(0, Kill(signal == SigInt ? -eiehdl.Id : eiehdl.Id, signal));
        if (!eiehdl.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            eiehdl.Kill(entireProcessTree: true);
            Assert.Fail($"eiehdl did not exit within 30 s of signal {signal}");
        }
        var exited = clock.Elapsed;
        // The tools were killed before eiehdl exited; the kernel may take a moment to finish them.
        while (Alive(tree, dir.Path) is { Count: > 0 } && clock.Elapsed < exited + TimeSpan.FromSeconds(2))
            await Task.Delay(10);
        var gone = clock.Elapsed;
        string errors = await stderr;
        output.WriteLine($"signal {signal} during the build ({tools}): eiehdl exited after {exited.TotalSeconds:F2} s, "
            + $"its tools were gone after {gone.TotalSeconds:F2} s; stderr: {errors}");

        Assert.Equal(128 + signal, eiehdl.ExitCode);
        Assert.Empty(Alive(tree, dir.Path));
        // Progress lines may precede it; the interrupt is one line, the last, and the only message.
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.StartsWith("eiehdl:", StringComparison.Ordinal));
        Assert.StartsWith($"eiehdl: interrupted by {(signal == SigInt ? "SIGINT" : "SIGTERM")}: ", lines[^1]);
        Assert.Equal([], Leftovers(dir.Path));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "rtl")));

        var rerun = CliRunner.Start(dir.Path, args);
        rerun.Environment["EIEHDL_CACHE"] = cache;
        var (exitCode, rerunOut, rerunErr) = ChildRun.Run(rerun, CliRunner.Timeout);
        Assert.True(exitCode == 0, rerunErr + rerunOut);
        Assert.True(File.Exists(Path.Combine(dir.Path, "rtl", "rtl_output.npy")));
        Assert.Equal([], Leftovers(dir.Path));
    }

    /// <summary>Temporary folders and files, error logs and folders being removed, anywhere under <paramref name="root"/>.</summary>
    private static string[] Leftovers(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Where(p => Path.GetFileName(p) is var n && (n.Contains(".tmp-", StringComparison.Ordinal)
                || n.Contains(".removing-", StringComparison.Ordinal) || n.EndsWith(".error.log", StringComparison.Ordinal)))
            .ToArray();

    /// <summary>
    /// The processes of <paramref name="tree"/> still running (zombies are dead, awaiting a reaper),
    /// and any process working in <paramref name="folder"/> (a tool that left the tree when its parent died).
    /// </summary>
    private static List<string> Alive(HashSet<int> tree, string folder)
    {
        var alive = new List<string>();
        foreach (var pid in AllPids())
        {
            if (State(pid) is null or "Z") continue;
            string? cwd = null;
            try
            {
                cwd = new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(returnFinalTarget: false)?.FullName;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            if (tree.Contains(pid) || (cwd is not null && cwd.StartsWith(folder, StringComparison.Ordinal)))
                alive.Add($"{Command(pid)} {pid}");
        }
        return alive;
    }

    /// <summary>Every process below <paramref name="root"/>, from /proc/&lt;pid&gt;/stat.</summary>
    private static HashSet<int> Descendants(int root)
    {
        var parent = new Dictionary<int, int>();
        foreach (var pid in AllPids())
            if (Stat(pid) is { } fields && int.TryParse(fields[1], CultureInfo.InvariantCulture, out int ppid))
                parent[pid] = ppid;
        var found = new HashSet<int>();
        bool grew = true;
        while (grew)
        {
            grew = false;
            foreach (var (pid, ppid) in parent)
                if ((ppid == root || found.Contains(ppid)) && found.Add(pid)) grew = true;
        }
        return found;
    }

    private static IEnumerable<int> AllPids() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName)
            .Where(n => n is not null && n.All(char.IsAsciiDigit)).Select(n => int.Parse(n!, CultureInfo.InvariantCulture));

    private static string? State(int pid) => Stat(pid)?[0];

    /// <summary>The fields of /proc/&lt;pid&gt;/stat after "pid (comm) ": state, ppid, ...; null once the process is gone.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Command(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
