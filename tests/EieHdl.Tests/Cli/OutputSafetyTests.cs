using EieHdl.Config;
using EieHdl.Flows;
using EieHdl.IO;

namespace EieHdl.Tests.Cli;

/// <summary>
/// Output paths never cost a user data: eiehdl replaces only a folder it wrote (or, with
/// --force, any folder but the working folder, the home folder, the root and folders holding
/// an input); every refused or unwritable output is one line, exit 2, with everything that was
/// there before left byte for byte; concurrent writers of one folder all succeed.
/// </summary>
public class OutputSafetyTests
{
    /// <summary>Every file (bytes) and folder under <paramref name="root"/>, dot entries included.</summary>
    private static SortedDictionary<string, string> Snapshot(string root)
    {
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            string key = Path.GetRelativePath(root, entry.FullName);
            all[key] = entry switch
            {
                FileInfo f when f.LinkTarget is null => Convert.ToBase64String(File.ReadAllBytes(f.FullName)),
                _ when entry.LinkTarget is not null => "link " + entry.LinkTarget,
                _ => "folder",
            };
        }
        return all;
    }

    /// <summary>One line "eiehdl: error: ...", exit 2, and not one byte of <paramref name="root"/> changed.</summary>
    private static void AssertRefusedUntouched(string root, string cwd, string[] args, params string[] fragments)
    {
        var before = Snapshot(root);
        var result = CliRunner.Run(cwd, args);
        CliRunner.AssertOneLineError(result, fragments);
        Assert.Equal(before, Snapshot(root));
    }

    /// <summary>A scratch folder with user files, weights fc1.npy (16 x 12), an input x.npy and a marked model folder m.</summary>
    private static ScratchFolder UserFolder()
    {
        var dir = new ScratchFolder();
        var random = new Random(5);
        var w = new double[16 * 12];
        for (int k = 0; k < w.Length; k++) w[k] = random.NextDouble() - 0.5;
        Npy.Write(dir["fc1.npy"], w, 16, 12);
        Npy.Write(dir["x.npy"], Enumerable.Range(0, 12).Select(k => (k % 5) * 0.25).ToArray(), 12);
        var model = CompressedModel.Compress(new EieConfig { Pes = 2 }.Validate(),
            [new LayerSource("fc1", w, 16, 12, null, 0.5, Relu: true)]);
        OutputFolder.Check("--out", dir["m"], "compress").Write(model.Write);
        Directory.CreateDirectory(dir["u"]);
        File.WriteAllText(dir["u/notes"], "the user's own notes\n");
        Directory.CreateDirectory(dir["d"]);
        File.Copy(dir["fc1.npy"], dir["d/fc1.npy"]);
        File.WriteAllText(dir["file"], "a file, not a folder\n");
        return dir;
    }

    // ---------------------------------------------------------------- the reproductions

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CompressIntoAFolderOfUserFilesIsRefusedUnlessForced(bool force)
    {
        using var dir = UserFolder();
        string[] args = ["compress", "--weights", "fc1.npy", "--pes", "4", "--out", "u"];
        if (!force)
        {
            AssertRefusedUntouched(dir.Path, dir.Path, args, "--out", "got u", "1 entry", OutputFolder.MarkerFile, "--force");
            return;
        }
        var result = CliRunner.Run(dir.Path, [.. args, "--force"]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.False(File.Exists(dir["u/notes"]));
        Assert.True(File.Exists(Path.Combine(dir["u"], OutputFolder.MarkerFile)));
        Assert.Equal(16, ModelFolder.Load(dir["u"]).Layers[0].Outputs);
    }

    /// <summary>A project: its files and .git; eiehdl runs inside it (or inside a subfolder).</summary>
    private static ScratchFolder Project()
    {
        var dir = new ScratchFolder();
        Directory.CreateDirectory(dir["proj/.git/objects"]);
        File.WriteAllText(dir["proj/.git/HEAD"], "ref: refs/heads/main\n");
        File.WriteAllText(dir["proj/README"], "project\n");
        Directory.CreateDirectory(dir["proj/sub"]);
        File.WriteAllText(dir["proj/sub/.eiehdl-output"], "a marker does not make the working folder replaceable\n");
        var w = new double[8 * 6];
        for (int k = 0; k < w.Length; k++) w[k] = (k % 7) * 0.1 - 0.3;
        Npy.Write(dir["proj/w.npy"], w, 8, 6);
        return dir;
    }

    [Theory]
    [InlineData("proj", ".", false)]
    [InlineData("proj", ".", true)]
    [InlineData("proj", "..", false)]
    [InlineData("proj", "..", true)]
    [InlineData("proj", "./", true)]
    [InlineData("proj/sub", ".", true)]
    [InlineData("proj/sub", "..", true)]
    [InlineData("proj/sub", "../sub", true)]
    public void GenerateNeverReplacesTheWorkingFolderOrItsParents(string cwd, string output, bool force)
    {
        using var dir = Project();
        string[] args = ["generate", "--pes", "1", "--out", output, .. force ? new[] { "--force" } : []];
        AssertRefusedUntouched(dir.Path, dir[cwd], args, "--out", "must not be the working folder or a folder above it", "got " + output);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public void CompressNeverReplacesTheWorkingFolderOrItsParent(string output)
    {
        using var dir = Project();
        AssertRefusedUntouched(dir.Path, dir["proj"], ["compress", "--weights", "w.npy", "--pes", "2", "--out", output, "--force"],
            "--out", "working folder");
    }

    [Theory]
    [InlineData("d", false)]
    [InlineData("d", true)]
    [InlineData("d/", true)]
    [InlineData("./d/../d", true)]
    public void CompressNeverReplacesTheFolderOfItsWeights(string output, bool force)
    {
        using var dir = UserFolder();
        string[] args = ["compress", "--weights", "d/fc1.npy", "--pes", "2", "--out", output, .. force ? new[] { "--force" } : []];
        AssertRefusedUntouched(dir.Path, dir.Path, args, "--out", "must not hold an input of this command (d/fc1.npy)");
    }

    [Fact]
    public void CompressNeverReplacesAFolderAboveItsBiasOrConfig()
    {
        using var dir = UserFolder();
        Directory.CreateDirectory(dir["c/deep"]);
        File.WriteAllText(dir["c/deep/cfg.json"], "{ \"pes\": 2 }\n");
        AssertRefusedUntouched(dir.Path, dir.Path, ["compress", "--weights", "fc1.npy", "--config", "c/deep/cfg.json", "--out", "c", "--force"],
            "--out", "c/deep/cfg.json", "got c");
    }

    [Fact]
    public void ASymbolicLinkToAnInputFolderIsSeenThrough()
    {
        using var dir = UserFolder();
        File.CreateSymbolicLink(dir["link"], dir["d"]);
        AssertRefusedUntouched(dir.Path, dir.Path, ["compress", "--weights", "d/fc1.npy", "--out", "link", "--force"],
            "--out", "must not hold an input", "got link");
        AssertRefusedUntouched(dir.Path, dir.Path, ["compress", "--weights", "link/fc1.npy", "--out", "d", "--force"],
            "--out", "must not hold an input", "got d");
    }

    [Theory]
    [InlineData("loop/rtl")]
    [InlineData("loop")]
    public void ALoopOfSymbolicLinksIsOneLine(string output)
    {
        using var dir = UserFolder();
        File.CreateSymbolicLink(dir["loop"], "loop2");
        File.CreateSymbolicLink(dir["loop2"], "loop");
        AssertRefusedUntouched(dir.Path, dir.Path, ["generate", "--pes", "1", "--out", output], "--out", "loop of symbolic links");
    }

    [Theory]
    [InlineData("--out", false)]
    [InlineData("--out", true)]
    [InlineData("--testbench", false)]
    [InlineData("--testbench", true)]
    public void CosimNeverReplacesItsModelFolder(string option, bool force)
    {
        using var dir = UserFolder();
        string[] args = ["cosim", "--model", "m", "--input", "x.npy", option, "m", .. force ? new[] { "--force" } : []];
        AssertRefusedUntouched(dir.Path, dir.Path, args, option, "must not hold an input of this command", "got m");
    }

    [Theory]
    [InlineData("--out")]
    [InlineData("--testbench")]
    public void CosimIntoAFolderOfUserFilesIsRefused(string option)
    {
        using var dir = UserFolder();
        AssertRefusedUntouched(dir.Path, dir.Path, ["cosim", "--model", "m", "--input", "x.npy", option, "u"],
            option, "got u", "without " + OutputFolder.MarkerFile);
    }

    [Theory]
    [InlineData("r", "r")]
    [InlineData("r", "r/tb")]
    [InlineData("r/out", "r")]
    public void CosimOutAndTestbenchMustBeApart(string output, string testbench)
    {
        using var dir = UserFolder();
        AssertRefusedUntouched(dir.Path, dir.Path, ["cosim", "--model", "m", "--input", "x.npy", "--out", output, "--testbench", testbench],
            "--testbench", "must be apart from --out");
    }

    [Theory]
    [InlineData("file", "must be a folder, got file, an existing file")]
    [InlineData("x.npy", "must not hold an input of this command (x.npy), got x.npy")]
    [InlineData("", "must name a path")]
    public void CosimOutThatCannotBeWrittenIsRefusedBeforeTheSimulation(string output, string fragment)
    {
        using var dir = UserFolder();
        AssertRefusedUntouched(dir.Path, dir.Path, ["cosim", "--model", "m", "--input", "x.npy", "--out", output], "--out", fragment);
    }

    [Fact]
    public void BoardRunNeverReplacesItsModelFolder()
    {
        using var dir = UserFolder();
        AssertRefusedUntouched(dir.Path, dir.Path,
            ["board-run", "--port", "/dev/null", "--board", "icebreaker", "--model", "m", "--input", "x.npy", "--out", "m", "--force"],
            "--out", "must not hold an input", "got m");
    }

    [Fact]
    public void MnistNeverReplacesAFolderHoldingItsCache()
    {
        using var dir = UserFolder();
        Directory.CreateDirectory(dir["r/cache"]);
        AssertRefusedUntouched(dir.Path, dir.Path, ["mnist", "--quick", "--cache", "r/cache", "--out", "r", "--force"],
            "--out", "must not hold an input of this command (r/cache)");
    }

    // ---------------------------------------------------------------- places no output may go

    public static TheoryData<string, string, string> UnwritableOutputs => new()
    {
        { "generate", "/", "must not be the root folder" },
        { "generate", "", "must name a path" },
        { "generate", "   ", "must name a path" },
        { "generate", "/proc/eiehdl-out", "must not be under /proc" },
        { "generate", "/proc", "must not be under /proc" },
        { "generate", "/sys/kernel/eiehdl-out", "must not be under /sys" },
        { "generate", "file", "must be a folder, got file, an existing file" },
        { "generate", "file/rtl", "must be below a folder" },
        { "generate", "file/a/b", "must be below a folder" },
        { "workload", "file", "an existing file" },
        { "workload", ".", "working folder" },
        { "compress", "file", "an existing file" },
        { "synth", "file", "an existing file" },
        { "synth", "/proc/x", "must not be under /proc" },
        { "synth", "u", "without " + OutputFolder.MarkerFile },
        { "mnist", "file", "an existing file" },
        { "mnist", "u", "without " + OutputFolder.MarkerFile },
    };

    [Theory]
    [MemberData(nameof(UnwritableOutputs))]
    public void AnOutputThatCannotBeWrittenIsOneLineBeforeAnyWork(string command, string output, string fragment)
    {
        using var dir = UserFolder();
        string[] args = command switch
        {
            "generate" => ["generate", "--pes", "1", "--out", output],
            "workload" => ["workload", "alex8", "--pes", "2", "--out", output],
            "compress" => ["compress", "--weights", "fc1.npy", "--out", output],
            "synth" => ["synth", "--target", "ice40-up5k", "--pes", "1", "--out", output],
            "mnist" => ["mnist", "--quick", "--cache", dir["cache"], "--out", output],
            _ => throw new ArgumentOutOfRangeException(nameof(command)),
        };
        AssertRefusedUntouched(dir.Path, dir.Path, args, "--out", fragment);
    }

    [Fact]
    public void TheHomeFolderIsRefusedEvenWithForce()
    {
        using var dir = UserFolder();
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var result = CliRunner.Run(dir.Path, "generate", "--pes", "1", "--out", home, "--force");
        CliRunner.AssertOneLineError(result, "--out", "must not be the home folder");
    }

    [Theory]
    [InlineData("file")]
    [InlineData("file/cache")]
    [InlineData("/proc/eiehdl-cache")]
    [InlineData("")]
    public void AnMnistCacheThatCannotBeAFolderIsOneLine(string cache)
    {
        using var dir = UserFolder();
        AssertRefusedUntouched(dir.Path, dir.Path, ["mnist", "--quick", "--cache", cache, "--out", "report"], "--cache");
    }

    [Fact]
    public void SynthIntoAnExistingFileIsOneLineForBoardsToo()
    {
        using var dir = UserFolder();
        AssertRefusedUntouched(dir.Path, dir.Path, ["synth", "--board", "icebreaker", "--pes", "1", "--out", "file"],
            "--out", "an existing file");
    }

    // ---------------------------------------------------------------- golden: both files or neither

    [Fact]
    public void GoldenWritesNeitherFileWhenTheFixedOneCannotBeWritten()
    {
        using var dir = UserFolder();
        File.WriteAllText(dir["y.npy"], "an older y.npy\n");
        Directory.CreateDirectory(dir["y_fixed.npy"]);
        AssertRefusedUntouched(dir.Path, dir.Path, ["golden", "--model", "m", "--input", "x.npy", "--out", "y.npy"],
            "--out", "got y_fixed.npy, an existing folder");
    }

    [Fact]
    public void GoldenFilesAreReplacedTogetherOrNotAtAll()
    {
        using var dir = UserFolder();
        File.WriteAllText(dir["y.npy"], "old y\n");
        File.WriteAllText(dir["y_fixed.npy"], "old y fixed\n");
        var files = OutputFiles.Check("--out", [dir["y.npy"], dir["y_fixed.npy"]]);
        Assert.Throws<IOException>(() => files.Write(staged =>
        {
            File.WriteAllText(staged[0], "new y\n");
            throw new IOException("disk full");
        }));
        Assert.Equal("old y\n", File.ReadAllText(dir["y.npy"]));
        Assert.Equal("old y fixed\n", File.ReadAllText(dir["y_fixed.npy"]));
        // The second file's place taken by a folder after the check: the first stays the old one.
        File.Delete(dir["y_fixed.npy"]);
        Directory.CreateDirectory(dir["y_fixed.npy"]);
        Assert.Throws<EieInputException>(() => files.Write(staged =>
        {
            File.WriteAllText(staged[0], "new y\n");
            File.WriteAllText(staged[1], "new y fixed\n");
        }));
        Assert.Equal("old y\n", File.ReadAllText(dir["y.npy"]));
        Directory.Delete(dir["y_fixed.npy"]);
        files.Write(staged =>
        {
            File.WriteAllText(staged[0], "new y\n");
            File.WriteAllText(staged[1], "new y fixed\n");
        });
        Assert.Equal("new y\n", File.ReadAllText(dir["y.npy"]));
        Assert.Equal("new y fixed\n", File.ReadAllText(dir["y_fixed.npy"]));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir.Path), e => Path.GetFileName(e).Contains(".tmp-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("x.npy", "must not overwrite an input of this command (x.npy)")]
    [InlineData("m/manifest.json", "must not overwrite an input")]
    [InlineData("m/images/y.npy", "must not overwrite an input")]
    [InlineData("m", "must be a file, got m, an existing folder")]
    [InlineData("yy/", "must name a file")]
    [InlineData("file/y.npy", "must be below a folder")]
    [InlineData("/proc/y.npy", "must not be under /proc")]
    public void GoldenOutputsThatCannotBeWrittenAreOneLine(string output, string fragment)
    {
        using var dir = UserFolder();
        AssertRefusedUntouched(dir.Path, dir.Path, ["golden", "--model", "m", "--input", "x.npy", "--out", output], "--out", fragment);
    }

    [Fact]
    public void GoldenMayWriteIntoItsModelFolderBesideTheManifest()
    {
        using var dir = UserFolder();
        var result = CliRunner.Run(dir.Path, "golden", "--model", "m", "--input", "x.npy", "--out", "m/y.npy");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(16, Npy.ReadVector(dir["m/y.npy"]).Length);
        Assert.Equal(16, Npy.ReadVector(dir["m/y_fixed.npy"]).Length);
    }

    // ---------------------------------------------------------------- one line, whatever the name

    [Theory]
    [InlineData("x\ny", "x\\ny")]
    [InlineData("x\ry", "x\\ry")]
    [InlineData("x\u001by", "x\\u001by")]
    [InlineData("x\u2028y", "x\\u2028y")]
    public void ControlCharactersInANameAreEscapedSoTheErrorStaysOneLine(string name, string shown)
    {
        using var dir = UserFolder();
        File.WriteAllText(dir[name], "a file with a hostile name\n");
        AssertRefusedUntouched(dir.Path, dir.Path, ["generate", "--pes", "1", "--out", name], "--out", "got " + shown);
        var input = CliRunner.Run(dir.Path, "compress", "--weights", name + ".npy", "--out", "new");
        CliRunner.AssertOneLineError(input, shown);
        Assert.DoesNotContain('\r', input.Stderr);
    }

    // ---------------------------------------------------------------- what may be replaced

    [Fact]
    public void AMarkedFolderIsReplacedWholeAndAnEmptyFolderIsUsed()
    {
        using var dir = UserFolder();
        File.WriteAllText(dir["m/stale.txt"], "left by an older run\n");
        var result = CliRunner.Run(dir.Path, "compress", "--weights", "fc1.npy", "--pes", "4", "--out", "m");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.False(File.Exists(dir["m/stale.txt"]));
        string marker = File.ReadAllText(Path.Combine(dir["m"], OutputFolder.MarkerFile));
        Assert.Contains("eiehdl compress", marker);
        Assert.Contains(OutputPaths.ToolVersion, marker);
        Assert.Equal(4, ModelFolder.Load(dir["m"]).Config.Pes);

        Directory.CreateDirectory(dir["empty"]);
        var generate = CliRunner.Run(dir.Path, "generate", "--pes", "1", "--out", "empty");
        Assert.True(generate.ExitCode == 0, generate.Stderr);
        Assert.Contains("eiehdl generate", File.ReadAllText(Path.Combine(dir["empty"], OutputFolder.MarkerFile)));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir.Path),
            e => Path.GetFileName(e).Contains(".tmp-", StringComparison.Ordinal) || Path.GetFileName(e).Contains(".old-", StringComparison.Ordinal));
    }

    [Fact]
    public void TheMarkerStaysOutOfTheRtlFileListAndManifest()
    {
        using var dir = UserFolder();
        var result = CliRunner.Run(dir.Path, "generate", "--pes", "2", "--out", "rtl");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(File.Exists(Path.Combine(dir["rtl"], OutputFolder.MarkerFile)));
        Assert.DoesNotContain(OutputFolder.MarkerFile, File.ReadAllText(dir["rtl/eie.f"]));
        Assert.DoesNotContain(OutputFolder.MarkerFile, File.ReadAllText(dir["rtl/rtl_manifest.json"]));
    }

    [Fact]
    public void ForceReplacesAFolderOfUserFilesForEveryFolderCommand()
    {
        using var dir = UserFolder();
        Directory.CreateDirectory(dir["g"]);
        File.WriteAllText(dir["g/mine.v"], "// the user's\n");
        Directory.CreateDirectory(dir["w"]);
        File.WriteAllText(dir["w/mine"], "the user's\n");
        var generate = CliRunner.Run(dir.Path, "generate", "--pes", "1", "--out", "g", "--force");
        Assert.True(generate.ExitCode == 0, generate.Stderr);
        Assert.False(File.Exists(dir["g/mine.v"]));
        var workload = CliRunner.Run(dir.Path, "workload", "nt-lstm", "--pes", "40", "--out", "w", "--force");
        Assert.True(workload.ExitCode == 0, workload.Stderr);
        Assert.False(File.Exists(dir["w/mine"]));
        Assert.Contains("eiehdl workload", File.ReadAllText(Path.Combine(dir["w"], OutputFolder.MarkerFile)));
    }

    [Fact]
    public void TheForceFlagIsOnEveryCommandWithAnOutputFolder()
    {
        using var dir = UserFolder();
        foreach (var command in new[] { "compress", "generate", "workload", "cosim", "board-run", "synth", "mnist" })
        {
            var help = CliRunner.Run(dir.Path, command, "--help");
            Assert.True(help.ExitCode == 0, command + ": " + help.Stderr);
            Assert.Contains("--force", help.Stdout);
            Assert.Contains("never the working folder", help.Stdout);
        }
    }

    // ---------------------------------------------------------------- the library rules

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheLibraryRefusesAnUnmarkedFolderUnlessForced(bool force)
    {
        using var dir = UserFolder();
        if (!force)
        {
            var e = Assert.Throws<EieInputException>(() => AtomicOutput.WriteFolder(dir["u"], _ => { }));
            Assert.Contains("without " + OutputFolder.MarkerFile, e.Message);
            Assert.True(File.Exists(dir["u/notes"]));
            return;
        }
        AtomicOutput.WriteFolder(dir["u"], tmp => File.WriteAllText(Path.Combine(tmp, "new"), "new"), force: true);
        Assert.Equal([OutputFolder.MarkerFile, "new"], Directory.GetFiles(dir["u"]).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AFolderThatAppearsUnmarkedDuringTheRunIsNotReplaced()
    {
        using var dir = UserFolder();
        var target = OutputFolder.Check("--out", dir["late"], "compress");
        Directory.CreateDirectory(dir["late"]);
        File.WriteAllText(dir["late/made-meanwhile"], "the user's\n");
        var e = Assert.Throws<EieInputException>(() => target.Write(tmp => File.WriteAllText(Path.Combine(tmp, "out"), "x")));
        Assert.Contains("without " + OutputFolder.MarkerFile, e.Message);
        Assert.Equal(["made-meanwhile"], Directory.GetFileSystemEntries(dir["late"]).Select(Path.GetFileName));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir.Path), p => Path.GetFileName(p).Contains(".tmp-", StringComparison.Ordinal));
    }

    /// <summary>
    /// Eight threads write the same folder at once, round after round: every write succeeds
    /// and the folder is always exactly one writer's complete output.
    /// </summary>
    [Fact]
    public void ConcurrentWritersOfOneFolderAllSucceedAndLeaveOneCompleteOutput()
    {
        using var dir = new ScratchFolder();
        string target = dir["out"];
        const int writers = 8, rounds = 40, files = 6;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var start = new Barrier(writers);
        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
        {
            for (int r = 0; r < rounds; r++)
            {
                start.SignalAndWait();
                try
                {
                    OutputFolder.Check("--out", target, "compress").Write(tmp =>
                    {
                        Directory.CreateDirectory(Path.Combine(tmp, "images"));
                        for (int f = 0; f < files; f++)
                            File.WriteAllText(Path.Combine(tmp, "images", $"f{f}.hex"), $"writer {w} round {r}\n");
                        File.WriteAllText(Path.Combine(tmp, "manifest.json"), $"writer {w} round {r}\n");
                    });
                }
                catch (Exception e)
                {
                    failures.Enqueue($"writer {w} round {r}: {e}");
                }
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();

        Assert.Empty(failures);
        Assert.Equal(["out"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
        string manifest = File.ReadAllText(Path.Combine(target, "manifest.json"));
        Assert.EndsWith($"round {rounds - 1}\n", manifest);
        Assert.Equal([OutputFolder.MarkerFile, "manifest.json"], Directory.GetFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var images = Directory.GetFiles(Path.Combine(target, "images"));
        Assert.Equal(files, images.Length);
        Assert.All(images, f => Assert.Equal(manifest, File.ReadAllText(f)));
    }

    [Fact]
    public async Task ConcurrentCompressRunsToOneFolderAllSucceed()
    {
        using var dir = UserFolder();
        for (int round = 0; round < 2; round++)
        {
            var runs = Enumerable.Range(0, 4).Select(k => Task.Run(() =>
                CliRunner.Run(dir.Path, "compress", "--weights", "fc1.npy", "--pes", (2 + k % 2).ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", "same"))).ToArray();
            foreach (var run in await Task.WhenAll(runs))
            {
                Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
                Assert.Equal("", run.Stderr);
                Assert.Contains("Wrote same/", run.Stdout);
            }
            var loaded = ModelFolder.Load(dir["same"]);
            Assert.Contains(loaded.Config.Pes, new[] { 2, 3 });
            Assert.Equal(loaded.Config.Pes * 3 + 1, Directory.GetFiles(dir["same/images"]).Length);
        }
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir.Path),
            e => Path.GetFileName(e).Contains(".tmp-", StringComparison.Ordinal) || Path.GetFileName(e).Contains(".old-", StringComparison.Ordinal));
    }
}
