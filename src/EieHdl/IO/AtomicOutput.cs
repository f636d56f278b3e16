using System.Text;
using EieHdl.Processes;

namespace EieHdl.IO;

/// <summary>
/// Writes outputs so that a failure, an exception or a killed process never leaves a
/// half-written result where a later tool would take it for a whole one: everything is
/// written to a temporary sibling and moved into place only once complete.
/// </summary>
public static class AtomicOutput
{
    /// <summary>UTF-8 without a byte-order mark; $readmemh and JSON readers want plain text.</summary>
    public static readonly System.Text.Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Lets <paramref name="write"/> fill a temporary folder <c>&lt;folder&gt;.tmp-&lt;guid&gt;</c>,
    /// then replaces <paramref name="folder"/> with it. On an exception the temporary folder is
    /// deleted, any existing <paramref name="folder"/> is left untouched, and the exception rethrown.
    /// </summary>
    public static void WriteFolder(string folder, Action<string> write)
    {
        string target = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if (File.Exists(target))
            throw new EieInputException($"output {folder}: must be a folder, got an existing file");
        string temp = $"{target}.tmp-{Guid.NewGuid():N}";
        using var removeOnStop = ProcessCleanup.Current.RemoveOnStop(temp);
        Directory.CreateDirectory(temp);
        try
        {
            write(temp);
            Replace(target, temp);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    /// <summary>Writes a file through a temporary sibling and an overwriting move.</summary>
    public static void WriteFile(string path, Action<Stream> write)
    {
        string target = Path.GetFullPath(path);
        string temp = $"{target}.tmp-{Guid.NewGuid():N}";
        using var removeOnStop = ProcessCleanup.Current.RemoveOnStop(temp);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                write(stream);
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static void WriteAllText(string path, string text) =>
        WriteFile(path, stream => stream.Write(Utf8.GetBytes(text)));

    /// <summary>
    /// Moves the old folder aside before moving the new one in, so the target is missing only
    /// between two renames and never holds a mix of old and new files.
    /// </summary>
    private static void Replace(string target, string temp)
    {
        if (!Directory.Exists(target))
        {
            Directory.Move(temp, target);
            return;
        }
        string old = $"{target}.old-{Guid.NewGuid():N}";
        Directory.Move(target, old);
        try
        {
            Directory.Move(temp, target);
        }
        catch
        {
            Directory.Move(old, target);
            throw;
        }
        Directory.Delete(old, recursive: true);
    }
}
