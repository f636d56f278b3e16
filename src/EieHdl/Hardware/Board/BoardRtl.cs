using System.Text;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>The RTL of a board top (eie_top and the UART bridge included) and its pin constraints.</summary>
public sealed record BoardOutput(BoardTop Top, RtlOutput Rtl, RtlFile Constraints)
{
    /// <summary>Writes the modules, eie.f and the constraint file into <paramref name="folder"/>.</summary>
    public IReadOnlyList<string> WriteTo(string folder)
    {
        var paths = Rtl.WriteTo(folder).ToList();
        var path = Path.Combine(folder, Constraints.Name);
        File.WriteAllText(path, Constraints.Text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        paths.Add(path);
        return paths;
    }
}

/// <summary>Generates a board's top, with everything below it, for one config and baud rate.</summary>
public static class BoardRtl
{
    public static BoardOutput Generate(EieConfig config, Board board, long? baud = null)
    {
        var top = new BoardTop(config, board, baud);
        var rtl = RtlGenerator.Generate(config, top);
        return new BoardOutput(top, rtl, new RtlFile(board.ConstraintFile, BoardConstraints.For(board)));
    }
}
