using EieHdl.Config;
using EieHdl.Hardware;

namespace EieHdl.Tests.Hardware;

/// <summary>A temp folder holding the generated RTL of one config; removed on dispose.</summary>
internal sealed class RtlScratch : IDisposable
{
    public RtlScratch(EieConfig config)
    {
        Folder = Directory.CreateTempSubdirectory("eiehdl-rtl-").FullName;
        Output = RtlGenerator.Generate(config);
        Output.WriteTo(Folder);
    }

    public string Folder { get; }

    public RtlOutput Output { get; }

    /// <summary>The files <paramref name="unit"/> needs, submodules first.</summary>
    public static IReadOnlyList<string> FilesFor(HardwareUnit unit)
    {
        var files = new List<string>();
        void Visit(HardwareUnit u)
        {
            foreach (var sub in u.Submodules) Visit(sub);
            if (!files.Contains(u.ModuleName + ".v")) files.Add(u.ModuleName + ".v");
        }
        Visit(unit);
        return files;
    }

    public void Write(string name, string text) => File.WriteAllText(Path.Combine(Folder, name), text);

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }
}
