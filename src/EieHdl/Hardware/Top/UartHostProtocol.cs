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

/// <summary>A link that counts the bytes each way.</summary>
public sealed class UartExchange(IUartLink link)
{
    public IUartLink Link => link;
    public long Sent { get; private set; }
    public long Received { get; private set; }

    public void Send(ReadOnlySpan<byte> bytes)
    {
        link.Send(bytes);
        Sent += bytes.Length;
    }

    public byte[] Receive(int count)
    {
        var reply = link.Receive(count);
        Received += reply.Length;
        return reply;
    }

    /// <summary>Sends a frame and waits for its reply (none for a write).</summary>
    public byte[] Ask(UartFrame frame)
    {
        Send(frame.Bytes);
        return frame.ReplyBytes == 0 ? [] : Receive(frame.ReplyBytes);
    }
}

/// <summary>
/// The host side of eie_uart_host's byte protocol (<see cref="UartHost"/> documents it): the
/// transactions of <see cref="HostProtocol"/> as frames, and the decoding of the replies.
/// Writes carry only the data bytes they need, so a pointer or an act costs 1 + AddrBytes + 2
/// bytes and a 64-bit spmat word 1 + AddrBytes + 8.
/// </summary>
public sealed class UartHostProtocol
{
    public const byte OpWrite = 0x10, OpRead = 0x20, OpStatus = 0x30, OpWait = 0x40, OpIdent = 0x50, OpActs = 0x60, OpOuts = 0x70;

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
        Rlc = new ActRlc(config.ActWidth);
        CountBytes = UartHost.CountBytesOf(config);
        ActCapacity = (long)config.Pes * config.ActHalfDepth;
    }

    /// <summary>The act packing of ACTS and OUTS frames.</summary>
    public ActRlc Rlc { get; }

    /// <summary>Bytes of the act count of ACTS and OUTS.</summary>
    public int CountBytes { get; }

    /// <summary>The longest vector an ACTS or OUTS frame moves: one half of every PE's act SRAM.</summary>
    public long ActCapacity { get; }

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
    public byte[] ExpectedIdent => [UartHost.IdentMagic + UartHost.RlcVersion, (byte)AddrBytes, (byte)DataBytes, (byte)(config.Pes - 1)];

    /// <summary>
    /// An ACTS frame: <paramref name="acts"/> RLC-coded into half <paramref name="half"/> from
    /// act 0; the reply is the STATUS byte once the bridge has written the last act.
    /// </summary>
    public UartFrame Acts(ReadOnlySpan<int> acts, int half = 0)
    {
        var words = Rlc.EncodeBytes(acts);
        var frame = new byte[1 + CountBytes + words.Length];
        frame[0] = (byte)(OpActs | CountHeader(acts.Length, half, frame));
        words.CopyTo(frame, 1 + CountBytes);
        return new UartFrame(frame, 1);
    }

    /// <summary>An OUTS frame: its reply is RLC words, as many as the acts need (<see cref="ReadRlc"/>).</summary>
    public UartFrame Outs(int count, int half)
    {
        var frame = new byte[1 + CountBytes];
        frame[0] = (byte)(OpOuts | CountHeader(count, half, frame));
        return new UartFrame(frame, 0);
    }

    /// <summary>Sends OUTS and decodes its reply words until <paramref name="count"/> acts are out.</summary>
    public int[] ReadRlc(UartExchange io, int count, int half)
    {
        io.Send(Outs(count, half).Bytes);
        var words = new List<ulong>();
        while (true)
        {
            // Each word needs at least one act, so a reply longer than the count is a broken stream.
            if (words.Count >= count)
                throw new InvalidOperationException($"the OUTS reply for {count} acts has no last word after {words.Count} words");
            words.Add(DecodeWord(io.Receive(ActRlc.WordBytes)));
            try
            {
                if (Rlc.Decode(words, count) is { } acts) return acts;
            }
            catch (InvalidDataException e)
            {
                throw new InvalidOperationException($"the OUTS reply is malformed: {e.Message}");
            }
        }
    }

    private int CountHeader(int count, int half, byte[] frame)
    {
        if (count < 1 || count > ActCapacity)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"an RLC frame moves 1..{ActCapacity} acts");
        if (half is not (0 or 1)) throw new ArgumentOutOfRangeException(nameof(half), half, "an act SRAM half is 0 or 1");
        for (int k = 0; k < CountBytes; k++) frame[1 + k] = (byte)(count >> (8 * k));
        return half;
    }

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
    /// outputs and the cycle count (<see cref="RunInput"/>). Checks the identification first (a
    /// board built for another config has other field sizes); moves the acts RLC-coded when
    /// <paramref name="rlc"/> is set and the board's protocol has the RLC frames.
    /// </summary>
    public UartRun Run(IUartLink link, ModelImage image, ReadOnlySpan<int> input, bool rlc = true)
    {
        var io = new UartExchange(link);
        int version = CheckIdent(io);
        io.Ask(Status());
        io.Send(Stream(LoadModel(image)));
        var run = RunInput(io, image, input, rlc && version >= UartHost.RlcVersion);
        return run with { BytesSent = io.Sent, BytesReceived = io.Received };
    }

    /// <summary>
    /// Asks the board who it is; returns its protocol version. Throws when its field sizes or
    /// PE count are not this config's.
    /// </summary>
    public int CheckIdent(UartExchange io)
    {
        var ident = io.Ask(Ident());
        int version = ident[0] - UartHost.IdentMagic;
        if (version < 0 || version > UartHost.RlcVersion || !ident.AsSpan(1).SequenceEqual(ExpectedIdent.AsSpan(1)))
            throw new InvalidOperationException(
                $"the board identifies as [{Convert.ToHexString(ident)}], this config expects [{Convert.ToHexString(ExpectedIdent)}] (magic + version, address bytes, data bytes, PEs - 1)");
        return version;
    }

    /// <summary>
    /// One input on a board whose model is loaded: the acts (RLC-coded or one write each), the
    /// start, WAIT, the cycle counter and the last layer's outputs (one OUTS frame or one read
    /// each). At the end the bridge must have dropped nothing. The byte counts are this input's.
    /// </summary>
    public UartRun RunInput(UartExchange io, ModelImage image, ReadOnlySpan<int> input, bool rlc)
    {
        long sent0 = io.Sent, received0 = io.Received;
        if (rlc)
        {
            var loaded = UartStatus.Decode(io.Ask(Acts(input))[0]);
            if (loaded.Dropped)
                throw new InvalidOperationException($"the bridge dropped a byte or a frame before the acts were written ({loaded})");
            io.Send(Stream([Write(Host.Params.Address(HostRegion.Registers, 0, (int)CcuRegister.SourceHalf), 0), Start()]));
        }
        else
        {
            io.Send(Stream(LoadInput(input).Append(Start())));
        }
        var status = UartStatus.Decode(io.Ask(Wait())[0]);
        if (status.Busy || !status.Done)
            throw new InvalidOperationException($"after WAIT the board reports {status}: the run did not finish");
        long cycles = (long)DecodeWord(io.Ask(ReadCycles()));
        int outputs = image.Layers[^1].Outputs, half = image.Layers.Count % 2;
        var values = rlc ? ReadRlc(io, outputs, half)
            : ReadOutputs(outputs, image.Layers.Count).Select(f => DecodeAct(io.Ask(f))).ToArray();
        var after = UartStatus.Decode(io.Ask(Status())[0]);
        if (after.Dropped)
            throw new InvalidOperationException($"the bridge dropped a byte or a frame during the run ({after})");
        return new UartRun(values, cycles, after, io.Sent - sent0, io.Received - received0);
    }

    private void PutAddress(byte[] frame, ulong address)
    {
        if (AddrBytes < 8 && address >> (8 * AddrBytes) != 0)
            throw new ArgumentOutOfRangeException(nameof(address), $"address 0x{address:x} needs more than {AddrBytes} bytes");
        for (int k = 0; k < AddrBytes; k++) frame[1 + k] = (byte)(address >> (8 * k));
    }
}
