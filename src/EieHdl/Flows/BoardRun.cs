using System.Diagnostics;
using EieHdl.Config;
using EieHdl.CycleModel;
using EieHdl.Golden;
using EieHdl.Hardware;

namespace EieHdl.Flows;

/// <summary>
/// What a board's bridge says it is in its IDENT reply: the host bus field sizes and the PE
/// count it was built for, and its protocol version (1: it has the RLC frames).
/// </summary>
public sealed record BoardIdent(int AddrBytes, int DataBytes, int Pes, int Version)
{
    /// <summary>Decodes an IDENT reply; a reply without the magic byte is no EieHdl bridge.</summary>
    public static BoardIdent Decode(ReadOnlySpan<byte> reply, string port)
    {
        int version = reply.Length == 4 ? reply[0] - UartHost.IdentMagic : -1;
        if (version < 0 || version > UartHost.RlcVersion)
            throw new EieInputException(
                $"--port {port}: must answer IDENT with 0x{UartHost.IdentMagic:X2} + a version up to {UartHost.RlcVersion} and three size bytes (an EieHdl board top), got [{Convert.ToHexString(reply)}]");
        return new BoardIdent(reply[1], reply[2], reply[3] + 1, version);
    }

    /// <summary>The reply a board built for <paramref name="config"/> gives.</summary>
    public static BoardIdent Of(EieConfig config)
    {
        var protocol = new UartHostProtocol(config);
        return new BoardIdent(protocol.AddrBytes, protocol.DataBytes, config.Pes, UartHost.RlcVersion);
    }

    /// <summary>The board has the RLC frames ACTS and OUTS.</summary>
    public bool HasRlc => Version >= UartHost.RlcVersion;

    public override string ToString() => $"{Pes} PEs, {AddrBytes} address bytes, {DataBytes} data bytes";
}

/// <summary>One run of a model on a board, set against the golden model and the cycle model.</summary>
/// <param name="Run">What the board returned (outputs in row order, cycles, status, bytes).</param>
/// <param name="Golden">The golden model's outputs for the same fixed-point input, in row order.</param>
/// <param name="ModelCycles">EieCycleModel's count for the run.</param>
/// <param name="BytesSent">Every byte sent, the identity check included.</param>
/// <param name="BytesReceived">Every reply byte, the identity check included.</param>
/// <param name="Wall">Time from the identity check to the last reply.</param>
public sealed record BoardRunResult(UartRun Run, BoardIdent Ident, int[] Golden, long ModelCycles, long BytesSent, long BytesReceived, TimeSpan Wall)
{
    /// <summary>The board against the golden model and the cycle model.</summary>
    public Verdict Verdict { get; } = new(Golden, Run.Outputs, Run.Cycles, ModelCycles, Run.Status.Error);
}

/// <summary>
/// Runs a compiled model on a real board over its UART (<see cref="UartHostProtocol"/>): first
/// the board's identity, which must be the model's config, then load, run and read back. The
/// golden model and the exact cycle model give what the board must return.
/// </summary>
public static class BoardRunFlow
{
    /// <summary>
    /// Asks the board who it is and refuses one built for another PE count or bus width: its
    /// memories and addresses would not be the model's, and the run would be garbage.
    /// </summary>
    public static BoardIdent Identify(IUartLink link, EieConfig config, string port)
    {
        var frame = UartHostProtocol.Ident();
        link.Send(frame.Bytes);
        var ident = BoardIdent.Decode(link.Receive(frame.ReplyBytes), port);
        var expected = BoardIdent.Of(config);
        if (ident with { Version = expected.Version } != expected)
            throw new EieInputException($"--port {port}: the board must be built for the model's config ({expected}), got a board with {ident}");
        return ident;
    }

    /// <summary>Runs one input; the acts move RLC-coded when <paramref name="rlc"/> is set and the board has the RLC frames.</summary>
    public static BoardRunResult Run(IUartLink link, LoadedModel model, int[] fixedInput, string port, bool rlc = true)
    {
        var clock = Stopwatch.StartNew();
        var ident = Identify(link, model.Config, port);
        var run = new UartHostProtocol(model.Config).Run(link, model.Image, fixedInput, rlc && ident.HasRlc);
        clock.Stop();
        var identFrame = UartHostProtocol.Ident();
        return new BoardRunResult(run, ident,
            new GoldenModel(model.Image).RunChain(fixedInput), new EieCycleModel(model.Image).Run(fixedInput).Cycles,
            run.BytesSent + identFrame.Bytes.Length, run.BytesReceived + identFrame.ReplyBytes, clock.Elapsed);
    }
}
