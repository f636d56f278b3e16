using EieHdl.Config;
using EieHdl.Encoding;

namespace EieHdl.Hardware;

/// <summary>One frame of the UART protocol and how many reply bytes the host waits for after it.</summary>
public sealed record UartFrame(byte[] Bytes, int ReplyBytes);

/// <summary>eie_top's status pins and the bridge's dropped flag, as the STATUS byte carries them.</summary>
public readonly record struct UartStatus(bool Busy, bool Done, bool Error, bool Dropped)
{
    public static UartStatus Decode(byte b) => new((b & 1) != 0, (b & 2) != 0, (b & 4) != 0, (b & 8) != 0);

    public override string ToString() =>
        $"busy {(Busy ? 1 : 0)}, done {(Done ? 1 : 0)}, error {(Error ? 1 : 0)}, dropped {(Dropped ? 1 : 0)}";
}

/// <summary>A byte link to a board: a serial port, or a simulated one.</summary>
public interface IUartLink
{
    void Send(ReadOnlySpan<byte> bytes);

    /// <summary>Waits for exactly <paramref name="count"/> bytes; throws if they do not come.</summary>
    byte[] Receive(int count);
}

/// <summary>What one run over the UART returned.</summary>
/// <param name="Outputs">The last layer's outputs, ActWidth-bit signed.</param>
/// <param name="Cycles">eie_top's cycle counter for the run.</param>
/// <param name="Status">The STATUS byte after the run (error: a PE addressed a row past its accumulators).</param>
/// <param name="BytesSent">Bytes sent to the board, model included.</param>
/// <param name="BytesReceived">Reply bytes.</param>
public sealed record UartRun(int[] Outputs, long Cycles, UartStatus Status, long BytesSent, long BytesReceived);

/// <summary>
/// The host side of eie_uart_host's byte protocol (<see cref="UartHost"/> documents it): the
/// transactions of <see cref="HostProtocol"/> as frames, and the decoding of the replies.
/// Writes carry only the data bytes they need, so a pointer or an act costs 1 + AddrBytes + 2
/// bytes and a 64-bit spmat word 1 + AddrBytes + 8.
/// </summary>
public sealed class UartHostProtocol
{
    public const byte OpWrite = 0x10, OpRead = 0x20, OpStatus = 0x30, OpWait = 0x40, OpIdent = 0x50;

    private readonly EieConfig config;

    public UartHostProtocol(EieConfig config)
    {
        this.config = config.Validate();
        Host = new HostProtocol(config);
        AddrBytes = (Host.Params.HostAddrWidth + 7) / 8;
        DataBytes = (Host.Params.HostDataWidth + 7) / 8;
        if (DataBytes > UartHost.MaxDataBytes)
            throw new EieInputException(
                $"config: the UART bridge moves host words of at most {UartHost.MaxDataBytes * 8} bits (SpmatWordBits), got {Host.Params.HostDataWidth}");
    }

    public HostProtocol Host { get; }
    public int AddrBytes { get; }
    public int DataBytes { get; }

    /// <summary>Bytes of an act (an output read).</summary>
    public int ActBytes => (config.ActWidth + 7) / 8;

    /// <summary>A write of the bytes <paramref name="data"/> needs (at least one).</summary>
    public UartFrame Write(ulong address, ulong data)
    {
        int n = Math.Max(1, (64 - System.Numerics.BitOperations.LeadingZeroCount(data) + 7) / 8);
        if (n > DataBytes) throw new ArgumentOutOfRangeException(nameof(data), $"data 0x{data:x} needs {n} bytes, the bus has {DataBytes}");
        var frame = new byte[1 + AddrBytes + n];
        frame[0] = (byte)(OpWrite | (n - 1));
        PutAddress(frame, address);
        for (int k = 0; k < n; k++) frame[1 + AddrBytes + k] = (byte)(data >> (8 * k));
        return new UartFrame(frame, 0);
    }

    /// <summary>A read whose reply is the low <paramref name="bytes"/> bytes of the word.</summary>
    public UartFrame Read(ulong address, int bytes)
    {
        if (bytes < 1 || bytes > Math.Min(DataBytes, 8))
            throw new ArgumentOutOfRangeException(nameof(bytes), $"a read returns 1..{Math.Min(DataBytes, 8)} bytes here, got {bytes}");
        var frame = new byte[1 + AddrBytes];
        frame[0] = (byte)(OpRead | (bytes - 1));
        PutAddress(frame, address);
        return new UartFrame(frame, bytes);
    }

    public static UartFrame Status() => new([OpStatus], 1);

    public static UartFrame Wait() => new([OpWait], 1);

    public static UartFrame Ident() => new([OpIdent], 4);

    /// <summary>The identification reply this config's bridge sends.</summary>
    public byte[] ExpectedIdent => [UartHost.IdentMagic, (byte)AddrBytes, (byte)DataBytes, (byte)(config.Pes - 1)];

    public UartFrame Encode(HostAccess access) =>
        access.Write ? Write(access.Address, access.Data) : Read(access.Address, Math.Min(DataBytes, 8));

    public IEnumerable<UartFrame> LoadModel(ModelImage image) => Host.LoadModel(image).Select(Encode);

    public IEnumerable<UartFrame> LoadInput(ReadOnlySpan<int> acts) => Host.LoadInput(acts).Select(Encode).ToArray();

    public UartFrame Start() => Encode(Host.Start());

    public UartFrame ReadCycles() => Read(Host.ReadCycles().Address, CcuParams.CycleWidth / 8);

    public IEnumerable<UartFrame> ReadOutputs(int outputs, int layers) =>
        Host.ReadOutputs(outputs, layers).Select(a => Read(a.Address, ActBytes));

    /// <summary>The frames as one byte stream (for frames without replies: writes).</summary>
    public static byte[] Stream(IEnumerable<UartFrame> frames) => frames.SelectMany(f => f.Bytes).ToArray();

    /// <summary>A little-endian reply as a word.</summary>
    public static ulong DecodeWord(ReadOnlySpan<byte> reply)
    {
        ulong v = 0;
        for (int k = reply.Length - 1; k >= 0; k--) v = (v << 8) | reply[k];
        return v;
    }

    /// <summary>An act reply as a signed ActWidth-bit value.</summary>
    public int DecodeAct(ReadOnlySpan<byte> reply)
    {
        int shift = 64 - config.ActWidth;
        return (int)((long)(DecodeWord(reply) << shift) >> shift);
    }

    /// <summary>
    /// Loads a model and an input over <paramref name="link"/>, runs them and reads back the
    /// outputs and the cycle count. Checks the identification first (a board built for
    /// another config has other field sizes) and, at the end, that the bridge dropped nothing.
    /// </summary>
    public UartRun Run(IUartLink link, ModelImage image, ReadOnlySpan<int> input)
    {
        long sent = 0, received = 0;
        byte[] Ask(UartFrame f)
        {
            link.Send(f.Bytes);
            sent += f.Bytes.Length;
            received += f.ReplyBytes;
            return f.ReplyBytes == 0 ? [] : link.Receive(f.ReplyBytes);
        }

        var ident = Ask(Ident());
        if (!ident.AsSpan().SequenceEqual(ExpectedIdent))
            throw new InvalidOperationException(
                $"the board identifies as [{Convert.ToHexString(ident)}], this config expects [{Convert.ToHexString(ExpectedIdent)}] (magic, address bytes, data bytes, PEs - 1)");
        Ask(Status());
        var load = Stream(LoadModel(image).Concat(LoadInput(input)).Append(Start()));
        link.Send(load);
        sent += load.Length;
        var status = UartStatus.Decode(Ask(Wait())[0]);
        if (status.Busy || !status.Done)
            throw new InvalidOperationException($"after WAIT the board reports {status}: the run did not finish");
        long cycles = (long)DecodeWord(Ask(ReadCycles()));
        var outputs = ReadOutputs(image.Layers[^1].Outputs, image.Layers.Count).Select(f => DecodeAct(Ask(f))).ToArray();
        var after = UartStatus.Decode(Ask(Status())[0]);
        if (after.Dropped)
            throw new InvalidOperationException($"the bridge dropped a byte or a frame during the run ({after})");
        return new UartRun(outputs, cycles, after, sent, received);
    }

    private void PutAddress(byte[] frame, ulong address)
    {
        if (AddrBytes < 8 && address >> (8 * AddrBytes) != 0)
            throw new ArgumentOutOfRangeException(nameof(address), $"address 0x{address:x} needs more than {AddrBytes} bytes");
        for (int k = 0; k < AddrBytes; k++) frame[1 + k] = (byte)(address >> (8 * k));
    }
}
