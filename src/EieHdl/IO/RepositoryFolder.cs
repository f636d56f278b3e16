namespace EieHdl.IO;

/// <summary>Finds the EieHdl checkout a command runs in or was built from, for files it ships (hw/configs, caches).</summary>
public static class RepositoryFolder
{
    /// <summary>
    /// The first ancestor of the working directory, else of the program, that holds .git;
    /// null when neither is inside a checkout.
    /// </summary>
    public static string? Find() => Above(Directory.GetCurrentDirectory()) ?? Above(AppContext.BaseDirectory);

    private static string? Above(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, ".git")) || File.Exists(Path.Combine(dir.FullName, ".git")))
                return dir.FullName;
        return null;
    }
}
