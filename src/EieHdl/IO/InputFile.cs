namespace EieHdl.IO;

/// <summary>Reads a text input file, turning every way it can fail into one <see cref="EieInputException"/> line naming it.</summary>
public static class InputFile
{
    /// <summary>Returns <paramref name="read"/>(<paramref name="path"/>) (default: the whole file as text).</summary>
    public static string ReadText(string path, Func<string, string>? read = null)
    {
        try
        {
            return (read ?? File.ReadAllText)(path);
        }
        catch (FileNotFoundException) { throw new EieInputException($"{path}: file not found"); }
        catch (DirectoryNotFoundException) { throw new EieInputException($"{path}: file not found (no such directory)"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EieInputException($"{path}: cannot read: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
