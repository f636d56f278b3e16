using System.Reflection;
using EieHdl.Processes;

namespace EieHdl.IO;

/// <summary>
/// The rules every output path named on the command line obeys, checked before any work so
/// that a bad path costs nothing and touches nothing: the path must name something writable
/// (not empty, not under /proc or /sys, below a folder rather than a file) and must never be
/// the root, the working folder, the home folder, a folder above any of them, or a folder that
/// holds an input of the same command. A folder is replaced only if it is missing, empty or
/// marked as eiehdl's own output (<see cref="OutputFolder.MarkerFile"/>); --force lifts the
/// last rule only.
/// </summary>
public static class OutputPaths
{
    /// <summary>Kernel file systems: writing there either fails or changes the running system.</summary>
    private static readonly string[] KernelFileSystems = ["/proc", "/sys"];

    /// <summary>Symbolic links followed when resolving a path before the kernel would give up (its ELOOP limit).</summary>
    private const int MaxLinks = 40;

    /// <summary>
    /// The absolute path <paramref name="given"/> names, with every symbolic link of its existing
    /// part resolved, so that two spellings of one folder compare equal.
    /// </summary>
    public static string Resolve(string option, string given)
    {
        if (string.IsNullOrWhiteSpace(given))
            throw new EieInputException($"{option}: must name a path, got \"{given}\"");
        string full;
        try
        {
            full = Path.GetFullPath(given);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new EieInputException($"{option}: must be a valid path, got {given} ({e.Message})");
        }
        int links = 0;
        return RealPath(Trim(full), ref links, option, given);
    }

    private static string Trim(string full)
    {
        string root = Path.GetPathRoot(full) ?? "";
        string trimmed = full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return trimmed.Length < root.Length ? root : trimmed;
    }

    private static string RealPath(string full, ref int links, string option, string given)
    {
        string root = Path.GetPathRoot(full)!;
        string current = root;
        var parts = full[root.Length..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        for (int k = 0; k < parts.Length; k++)
        {
            string next = Path.Combine(current, parts[k]);
            string? target = new FileInfo(next).LinkTarget;
            if (target is not null)
            {
                if (++links > MaxLinks)
                    throw new EieInputException($"{option}: must not run through a loop of symbolic links, got {given}");
                next = RealPath(Trim(Path.GetFullPath(target, current)), ref links, option, given);
            }
            else if (!Path.Exists(next))
                return Path.Combine([next, .. parts[(k + 1)..]]);
            current = next;
        }
        return current;
    }

    /// <summary>True when <paramref name="ancestor"/> is <paramref name="path"/> or a folder above it (both resolved).</summary>
    public static bool IsAncestorOrSelf(string ancestor, string path)
    {
        if (path.Equals(ancestor, StringComparison.Ordinal)) return true;
        string prefix = ancestor.EndsWith(Path.DirectorySeparatorChar) ? ancestor : ancestor + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>
    /// Refuses a resolved output path that lies in a kernel file system or under a file, or whose
    /// folder cannot be written; the last is tested by creating and removing a sibling of the
    /// same name length as the temporary the write will use.
    /// </summary>
    internal static void RequireWritableLocation(string option, string given, string real)
    {
        if (OperatingSystem.IsLinux())
            foreach (var fs in KernelFileSystems)
                if (IsAncestorOrSelf(fs, real))
                    throw new EieInputException($"{option}: must not be under {fs} (a kernel file system), got {given}");
        string child = real;
        string? parent = Path.GetDirectoryName(real);
        while (parent is not null && !Path.Exists(parent))
        {
            child = parent;
            parent = Path.GetDirectoryName(parent);
        }
        if (parent is null) return;
        if (!Directory.Exists(parent))
            throw new EieInputException($"{option}: must be below a folder, got {given}, where {parent} is a file");
        string probe = TemporaryName(Path.Combine(parent, Path.GetFileName(child)));
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EieInputException($"{option}: must be writable, got {given} ({e.Message})");
        }
    }

    /// <summary>The temporary sibling an output is written to before it is moved into place.</summary>
    internal static string TemporaryName(string real) => $"{real}.tmp-{Guid.NewGuid():N}";

    /// <summary>
    /// Refuses a resolved output folder that is the root, the working folder, the home folder, a
    /// folder above one of them, or a folder holding one of <paramref name="inputs"/>: replacing
    /// it would destroy what the user is working in or reading from, so not even --force allows it.
    /// </summary>
    internal static void RequireNotProtected(string option, string given, string real, IReadOnlyList<(string Given, string Real)> inputs)
    {
        if (real == Path.GetPathRoot(real))
            throw new EieInputException($"{option}: must not be the root folder, got {given}");
        string cwd = Resolve(option, Directory.GetCurrentDirectory());
        if (IsAncestorOrSelf(real, cwd))
            throw new EieInputException($"{option}: must not be the working folder or a folder above it, got {given}");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (home.Length > 0 && IsAncestorOrSelf(real, Resolve(option, home)))
            throw new EieInputException($"{option}: must not be the home folder or a folder above it, got {given}");
        foreach (var input in inputs)
            if (IsAncestorOrSelf(real, input.Real))
                throw new EieInputException($"{option}: must not hold an input of this command ({input.Given}), got {given}");
    }

    /// <summary>The inputs that name a path; one that cannot (reported when it is read) holds nothing to protect.</summary>
    internal static (string Given, string Real)[] ResolveInputs(IEnumerable<string?>? inputs)
    {
        var resolved = new List<(string, string)>();
        foreach (var input in inputs ?? [])
        {
            if (string.IsNullOrWhiteSpace(input)) continue;
            try
            {
                resolved.Add((input, Resolve("input", input)));
            }
            catch (EieInputException) { }
        }
        return resolved.ToArray();
    }

    /// <summary>The version `eiehdl --version` prints.</summary>
    public static string ToolVersion =>
        typeof(OutputPaths).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(OutputPaths).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>
    /// Checks a folder eiehdl adds files to without replacing it (a cache): an existing folder,
    /// or a valid, writable place for a new one.
    /// </summary>
    public static string CheckCacheFolder(string option, string given)
    {
        string real = Resolve(option, given);
        if (Directory.Exists(real)) return real;
        if (Path.Exists(real))
            throw new EieInputException($"{option}: must be a folder, got {given}, an existing file");
        RequireWritableLocation(option, given, real);
        return real;
    }
}

/// <summary>
/// An output folder, checked when the command starts (<see cref="Check"/>) and written all at
/// once at the end (<see cref="Write"/>): the contents go to a temporary sibling, which then
/// replaces the folder by two renames, so no reader ever sees a mix of two runs. Every folder
/// written this way carries <see cref="MarkerFile"/>, which is what allows the next run to
/// replace it. Concurrent writers of one folder each succeed and the last one's output stays.
/// </summary>
public sealed class OutputFolder
{
    /// <summary>Marks a folder as eiehdl's output; it names the command and the tool version.</summary>
    public const string MarkerFile = ".eiehdl-output";

    /// <summary>Renames retried when concurrent writers of the same folder interleave.</summary>
    private const int MaxAttempts = 200;

    public string Option { get; }
    /// <summary>The path as the user gave it (for messages).</summary>
    public string Given { get; }
    /// <summary>The absolute path, symbolic links resolved.</summary>
    public string FullPath { get; }
    public string Command { get; }
    public bool Force { get; }

    private OutputFolder(string option, string given, string fullPath, string command, bool force)
    {
        Option = option;
        Given = given;
        FullPath = fullPath;
        Command = command;
        Force = force;
    }

    /// <param name="option">The option naming the folder, e.g. "--out", used in messages.</param>
    /// <param name="command">The eiehdl command writing it, recorded in the marker.</param>
    /// <param name="force">Allows replacing a non-empty folder without the marker.</param>
    /// <param name="inputs">Files and folders the command reads: the output may not hold any of them.</param>
    public static OutputFolder Check(string option, string given, string command, bool force = false, IEnumerable<string?>? inputs = null)
    {
        string real = OutputPaths.Resolve(option, given);
        OutputPaths.RequireWritableLocation(option, given, real);
        OutputPaths.RequireNotProtected(option, given, real, OutputPaths.ResolveInputs(inputs));
        var folder = new OutputFolder(option, given, real, command, force);
        folder.RequireReplaceable();
        return folder;
    }

    /// <summary>Refuses two output folders of one command when one holds the other: the second write would replace the first.</summary>
    public void RequireApart(OutputFolder other)
    {
        if (OutputPaths.IsAncestorOrSelf(FullPath, other.FullPath) || OutputPaths.IsAncestorOrSelf(other.FullPath, FullPath))
            throw new EieInputException($"{Option}: must be apart from {other.Option} ({other.Given}), got {Given}");
    }

    /// <summary>The marker's text: what wrote the folder, and that eiehdl may replace it.</summary>
    public string MarkerText => $"written by `eiehdl {Command}` (EieHdl {OutputPaths.ToolVersion}); eiehdl replaces this folder when asked to write it again\n";

    private void RequireReplaceable()
    {
        if (!Path.Exists(FullPath)) return;
        if (!Directory.Exists(FullPath) && Path.Exists(FullPath))
            throw new EieInputException($"{Option}: must be a folder, got {Given}, an existing file");
        if (!Replaceable(FullPath, out int entries)) throw Unmarked(entries);
    }

    /// <summary>
    /// Whether a folder may be replaced: missing, empty, marked, or --force. The entries are read
    /// in one pass over one open folder, so a concurrent writer renaming another folder into the
    /// same place cannot make a marked folder look unmarked.
    /// </summary>
    private bool Replaceable(string folder, out int entries)
    {
        entries = 0;
        if (Force) return true;
        try
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(folder))
            {
                if (Path.GetFileName(entry) == MarkerFile) return true;
                entries++;
            }
        }
        // Renamed away by a concurrent writer of the same folder: nothing is there to protect.
        catch (DirectoryNotFoundException)
        {
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EieInputException($"{Option}: must be a readable folder, got {Given} ({e.Message})");
        }
        return entries == 0;
    }

    private EieInputException Unmarked(int entries, string? keptAs = null) => new(
        $"{Option}: must be new, empty or written by eiehdl (holding {MarkerFile}; --force replaces any other), "
        + $"got {Given}, a folder of {(entries == 1 ? "1 entry" : $"{entries} entries")} without {MarkerFile}"
        + (keptAs is null ? "" : $" that appeared while this command ran; it is kept as {keptAs}"));

    /// <summary>
    /// Lets <paramref name="write"/> fill a temporary folder <c>&lt;folder&gt;.tmp-&lt;guid&gt;</c>,
    /// adds the marker, then replaces the folder with it. On an exception the temporary folder is
    /// deleted, any existing folder is left untouched, and the exception rethrown.
    /// </summary>
    public void Write(Action<string> write)
    {
        string temp = OutputPaths.TemporaryName(FullPath);
        using var removeOnStop = ProcessCleanup.Current.RemoveOnStop(temp);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(FullPath)!);
            Directory.CreateDirectory(temp);
            write(temp);
            File.WriteAllText(Path.Combine(temp, MarkerFile), MarkerText, AtomicOutput.Utf8);
            Commit(temp);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Moves the old folder aside before moving the new one in, so the folder is missing only
    /// between two renames and never holds a mix of old and new files. Another writer of the
    /// same folder can rename it in between; each such collision is retried, and the folder a
    /// writer moved aside is always either put back or succeeded by that writer's own.
    /// </summary>
    private void Commit(string temp)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                if (!Path.Exists(FullPath))
                {
                    Directory.Move(temp, FullPath);
                    return;
                }
                if (!Directory.Exists(FullPath) && Path.Exists(FullPath))
                    throw new EieInputException($"{Option}: must be a folder, got {Given}, an existing file");
                string old = $"{FullPath}.old-{Guid.NewGuid():N}";
                Directory.Move(FullPath, old);
                // Checked once moved aside, where no other writer can change it: a folder that
                // appeared unmarked while this command ran goes back (or, if that place is
                // taken meanwhile, stays beside it under a name the error gives).
                if (!Replaceable(old, out int entries))
                {
                    try
                    {
                        Directory.Move(old, FullPath);
                    }
                    catch (IOException)
                    {
                        throw Unmarked(entries, old);
                    }
                    throw Unmarked(entries);
                }
                try
                {
                    Directory.Move(temp, FullPath);
                }
                catch (IOException) when (!Path.Exists(FullPath))
                {
                    try
                    {
                        Directory.Move(old, FullPath);
                    }
                    catch (IOException)
                    {
                        // Another writer's output took the place meanwhile and supersedes the old one.
                        DeleteQuietly(old);
                    }
                    throw;
                }
                catch (IOException)
                {
                    // Another writer's output went in between the two renames: the folder moved
                    // aside is superseded, and the next attempt replaces the newcomer.
                    DeleteQuietly(old);
                    throw;
                }
                DeleteQuietly(old);
                return;
            }
            catch (IOException) when (attempt < MaxAttempts && Directory.Exists(temp))
            {
                Thread.Sleep(Random.Shared.Next(1, 1 + Math.Min(attempt, 20)));
            }
        }
    }

    /// <summary>A superseded output: removing it is tidying, and failing to must not fail the write that replaced it.</summary>
    private static void DeleteQuietly(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}

/// <summary>
/// Output files written together (a float .npy and its fixed-point twin): checked when the
/// command starts, written to a temporary folder beside them, then moved into place, so either
/// every file is replaced or none is.
/// </summary>
public sealed class OutputFiles
{
    private readonly (string Given, string Real)[] _files;
    private readonly string _option;

    private OutputFiles(string option, (string, string)[] files)
    {
        _option = option;
        _files = files;
    }

    /// <param name="paths">The files, all in one folder.</param>
    /// <param name="inputs">Files and folders the command reads: no output may be one of them or lie inside one.</param>
    public static OutputFiles Check(string option, IReadOnlyList<string> paths, IEnumerable<string?>? inputs = null)
    {
        var resolvedInputs = OutputPaths.ResolveInputs(inputs);
        var files = new (string, string)[paths.Count];
        for (int i = 0; i < paths.Count; i++)
        {
            string given = paths[i];
            if (given.EndsWith(Path.DirectorySeparatorChar) || given.EndsWith(Path.AltDirectorySeparatorChar))
                throw new EieInputException($"{option}: must name a file, got {given}, a folder name");
            string real = OutputPaths.Resolve(option, given);
            if (Directory.Exists(real) || real == Path.GetPathRoot(real))
                throw new EieInputException($"{option}: must be a file, got {given}, an existing folder");
            OutputPaths.RequireWritableLocation(option, given, real);
            foreach (var input in resolvedInputs)
                if (OutputPaths.IsAncestorOrSelf(input.Real, real))
                    throw new EieInputException($"{option}: must not overwrite an input of this command ({input.Given}), got {given}");
            files[i] = (given, real);
        }
        if (files.Select(f => Path.GetDirectoryName(f.Item2)).Distinct().Count() > 1)
            throw new ArgumentException("output files written together must share a folder", nameof(paths));
        return new OutputFiles(option, files);
    }

    /// <summary>
    /// Lets <paramref name="write"/> write each file to the temporary path it is given (same
    /// order), then moves them all into place; a failure on the way restores the files replaced.
    /// </summary>
    public void Write(Action<IReadOnlyList<string>> write)
    {
        string folder = Path.GetDirectoryName(_files[0].Real)!;
        string stage = OutputPaths.TemporaryName(Path.Combine(folder, "." + Path.GetFileName(_files[0].Real)));
        using var removeOnStop = ProcessCleanup.Current.RemoveOnStop(stage);
        var staged = _files.Select(f => Path.Combine(stage, Path.GetFileName(f.Real))).ToArray();
        var backups = _files.Select((f, i) => Path.Combine(stage, $"previous-{i}")).ToArray();
        var backedUp = new bool[_files.Length];
        int moved = 0;
        try
        {
            Directory.CreateDirectory(stage);
            write(staged);
            for (int i = 0; i < _files.Length; i++)
            {
                if (Directory.Exists(_files[i].Real))
                    throw new EieInputException($"{_option}: must be a file, got {_files[i].Given}, an existing folder");
                try
                {
                    File.Move(_files[i].Real, backups[i]);
                    backedUp[i] = true;
                }
                catch (FileNotFoundException) { }
            }
            for (; moved < _files.Length; moved++)
                File.Move(staged[moved], _files[moved].Real, overwrite: true);
        }
        catch
        {
            for (int i = 0; i < _files.Length; i++)
            {
                if (i < moved) File.Delete(_files[i].Real);
                if (backedUp[i]) File.Move(backups[i], _files[i].Real, overwrite: true);
            }
            throw;
        }
        finally
        {
            if (Directory.Exists(stage)) Directory.Delete(stage, recursive: true);
        }
    }
}
