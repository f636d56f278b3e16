using System.Text;
using EieHdl.Config;

namespace EieHdl.Hardware;

/// <summary>
/// The RTL of a board top (eie_top and the UART bridge included), its pin constraints, and
/// eie_top's clock constraints at the board's clock.
/// </summary>
public sealed record BoardOutput(BoardTop Top, RtlOutput Rtl, RtlFile Constraints, RtlFile Sdc)
{
    /// <summary>Writes the modules, eie.f, the pin file and eie_top.sdc into <paramref name="folder"/>.</summary>
    public IReadOnlyList<string> WriteTo(string folder)
    {
        var paths = Rtl.WriteTo(folder).ToList();
        foreach (var file in new[] { Constraints, Sdc })
        {
            var path = Path.Combine(folder, file.Name);
            File.WriteAllText(path, file.Text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            paths.Add(path);
        }
        return paths;
    }
}

/// <summary>Generates a board's top, with everything below it, for one config and baud rate.</summary>
public static class BoardRtl
{
    /// <param name="build">How the memories are built for a synthesis (see
    /// <see cref="RtlGenerator.GenerateForSynthesis"/>); the plain arrays for the RTL that is simulated or committed.</param>
    public static BoardOutput Generate(EieConfig config, Board board, long? baud = null, SramBuild? build = null)
    {
        var top = new BoardTop(config, board, baud);
        var rtl = RtlGenerator.GenerateForSynthesis(config, build ?? SramBuild.Plain, top);
        return new BoardOutput(top, rtl, new RtlFile(board.ConstraintFile, BoardConstraints.For(board)),
            new RtlFile(BoardConstraints.SdcFile, BoardConstraints.Sdc(board)));
    }
}
