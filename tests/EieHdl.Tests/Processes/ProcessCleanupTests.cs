using System.Diagnostics;
using EieHdl.Processes;
using EieHdl.Simulation;
using EieHdl.Tests.Cli;

namespace EieHdl.Tests.Processes;

/// <summary>
/// <see cref="ProcessCleanup"/> on a registry of its own (the process-wide one would end this
/// test run), and the sweep of temporary build folders that killed processes left.
/// </summary>
public class ProcessCleanupTests
{
    [Fact]
    public void StopKillsEveryProcessOfATrackedTreeAndRemovesTheRegisteredPathsOnly()
    {
        using var dir = new ScratchFolder();
        var cleanup = new ProcessCleanup();
        // A child with grandchildren that would outlive it: two sleeps in the background.
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("sleep 300 & echo $!; sleep 300 & echo $!; wait");
        using var child = cleanup.Start(start);
        int[] sleeps = [int.Parse(child.StandardOutput.ReadLine()!), int.Parse(child.StandardOutput.ReadLine()!)];
        Assert.All(sleeps, pid => Assert.True(Directory.Exists($"/proc/{pid}")));

        string building = dir["entry.tmp-1"], placed = dir["placed.tmp-2"], finished = dir["placed"], kept = dir["kept.tmp-3"];
        foreach (var folder in new[] { building, placed, kept })
        {
            Directory.CreateDirectory(Path.Combine(folder, "obj"));
            File.WriteAllText(Path.Combine(folder, "obj", "a.o"), "x");
        }
        using var buildingRegistration = cleanup.RemoveOnStop(building);
        using var placedRegistration = cleanup.RemoveOnStop(placed);
        cleanup.RemoveOnStop(kept).Dispose();
        // Renamed into place before the stop: a finished result, which the stop must not touch.
        Directory.Move(placed, finished);

        var report = cleanup.Stop();

        Assert.NotNull(report);
        Assert.Equal(1, report.Killed);
        Assert.Equal(0, report.StillRunning);
        Assert.Equal(1, report.Removed);
        Assert.Empty(report.NotRemoved);
        Assert.True(child.HasExited);
        Assert.All(sleeps, pid => Assert.True(!Directory.Exists($"/proc/{pid}") || File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal),
            $"sleep {pid} is still running"));
        Assert.False(Directory.Exists(building));
        Assert.True(File.Exists(Path.Combine(finished, "obj", "a.o")));
        Assert.True(Directory.Exists(kept));
        Assert.Equal([], Directory.GetFileSystemEntries(dir.Path, "*.removing-*"));
        Assert.True(cleanup.Stopping);
        Assert.Null(cleanup.Stop());
    }

    [Fact]
    public void TheBuilderSweepsTemporaryFoldersWhoseLockIsFreeAndKeepsThoseOfARunningBuild()
    {
        using var dir = new ScratchFolder();
        string stale = dir["eie_top-aaaa.tmp-1"], staleRuntime = dir["runtime-bbbb.tmp-2"],
            halfRemoved = dir["eie_top-cccc.tmp-3.removing-42"], building = dir["eie_top-dddd.tmp-4"],
            entry = dir["eie_top-eeee"];
        foreach (var folder in new[] { stale, staleRuntime, halfRemoved, building, entry })
        {
            Directory.CreateDirectory(Path.Combine(folder, "obj"));
            File.WriteAllText(Path.Combine(folder, "obj", "a.o"), "x");
        }
        // A build in progress holds its entry's lock (an advisory flock, which also excludes this process).
        using (new FileStream(dir["eie_top-dddd.lock"], FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
            VerilatedModelBuilder.SweepStale(dir.Path);

        Assert.False(Directory.Exists(stale));
        Assert.False(Directory.Exists(staleRuntime));
        Assert.False(Directory.Exists(halfRemoved));
        Assert.True(File.Exists(Path.Combine(building, "obj", "a.o")));
        Assert.True(File.Exists(Path.Combine(entry, "obj", "a.o")));
    }
}
