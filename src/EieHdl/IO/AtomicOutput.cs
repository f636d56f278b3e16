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
    /// Writes <paramref name="folder"/> through <see cref="OutputFolder"/>: checked (never a
    /// folder eiehdl did not write, unless <paramref name="force"/>), filled by
    /// <paramref name="write"/> in a temporary sibling, marked, and moved into place.
    /// </summary>
    public static void WriteFolder(string folder, Action<string> write, string command = "library", bool force = false) =>
        OutputFolder.Check("output", folder, command, force).Write(write);

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
}
