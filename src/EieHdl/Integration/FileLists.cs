using EieHdl.Hardware;

namespace EieHdl.Integration;

/// <summary>
/// The two file lists <c>generate</c> writes beside the RTL, both in dependency order.
/// <list type="bullet">
/// <item><c>eie.f</c> names each file by its path from the folder <c>generate</c> ran in (the
/// <c>--out</c> path as typed, normalised), the convention of <c>-f</c> / <c>-c</c> command
/// files: <c>iverilog -c out/rtl/eie.f</c>, <c>verilator -f out/rtl/eie.f</c> and yosys
/// <c>read_verilog $(cat out/rtl/eie.f)</c> work from that folder.</item>
/// <item><c>eie_local.f</c> names each file bare, relative to its own folder: Verilator's
/// <c>-F</c> resolves it from any working folder, and every tool reads it from inside the folder.</item>
/// </list>
/// No absolute path is written unless <c>--out</c> was absolute, so the same command in the
/// same folder gives the same bytes wherever the checkout lives.
/// </summary>
public static class FileLists
{
    public const string LocalListName = "eie_local.f";

    /// <summary>
    /// What Icarus command files cannot carry in a file name (they split on white space, and
    /// expand <c>$(VAR)</c>, comments and quotes), and Verilator's would read differently.
    /// </summary>
    private static readonly char[] Unlistable = [' ', '\t', '"', '\'', '\\', '$', '*', '#', '`'];

    /// <summary>
    /// The folder prefix of every entry of <c>eie.f</c> for output folder <paramref name="outFolder"/>
    /// seen from <paramref name="workingFolder"/>: "" for the working folder itself, else a
    /// normalised path ending in '/'.
    /// </summary>
    /// <exception cref="EieInputException">The path holds a character a command file cannot carry.</exception>
    public static string Prefix(string outFolder, string workingFolder)
    {
        string full = Path.GetFullPath(outFolder, workingFolder);
        string path = Path.IsPathRooted(outFolder) ? full : Path.GetRelativePath(workingFolder, full);
        path = path.Replace(Path.DirectorySeparatorChar, '/').TrimEnd('/');
        if (path == ".") return "";
        if (path.Length == 0) return "/";
        int bad = path.IndexOfAny(Unlistable);
        if (bad >= 0 || path.IndexOfAny(['\n', '\r']) >= 0)
            throw new EieInputException(
                $"--out: eie.f names each file by its path from the working folder, and a Verilog command file cannot hold white space, quotes, '\\', '$', '*', '#' or '`' in it, got '{path}' (generate from a folder whose path to the output has none of them)");
        // A relative entry that starts like an option would be read as one.
        if (path[0] is '-' or '+') path = "./" + path;
        return path + "/";
    }

    /// <summary><paramref name="rtl"/> with its file list naming every module under <paramref name="prefix"/>.</summary>
    public static RtlOutput WithPrefix(RtlOutput rtl, string prefix) =>
        rtl with { FileList = new RtlFile(rtl.FileList.Name, string.Concat(rtl.Modules.Select(m => prefix + m.Name + "\n"))) };

    /// <summary>The list of bare file names, for <c>verilator -F</c> from anywhere or any tool from inside the folder.</summary>
    public static RtlFile Local(RtlOutput rtl) =>
        new(LocalListName, string.Concat(rtl.Modules.Select(m => m.Name + "\n")));
}
