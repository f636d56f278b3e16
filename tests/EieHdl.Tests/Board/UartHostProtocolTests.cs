using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Tests.Fpga;

namespace EieHdl.Tests.Board;

/// <summary>The host-side encoder against the frame layout documented in eie_uart_host.</summary>
public sealed class UartHostProtocolTests
{
    private static readonly UartHostProtocol Small = new(FpgaTestConfigs.Small);

    [Fact]
    public void FieldSizesFollowTheHostBus()
    {
        // ice40-small: 12-bit addresses, 64-bit data.
        Assert.Equal(12, Small.Host.Params.HostAddrWidth);
        Assert.Equal((2, 8), (Small.AddrBytes, Small.DataBytes));
        var wide = new UartHostProtocol(new EieConfig { Pes = 64 });
        Assert.Equal(3, wide.AddrBytes);
        Assert.Equal(new byte[] { 0x46, 3, 8, 63 }, wide.ExpectedIdent);
        // The RLC count holds Pes x ActHalfDepth: 64 acts, 32,768.
        Assert.Equal((1, 2), (Small.CountBytes, wide.CountBytes));
    }

    [Fact]
    public void ABaudTooFastForTheActsDecoderIsBadInput()
    {
        // 2-bit acts: 10 pairs of 4-bit runs, 160 acts a word, 321 decoder cycles; a word takes
        // at least 76 bit times, 304 cycles at 4 clocks per bit: refused; at 5 (380) accepted.
        var tiny = new EieConfig { ActWidth = 2, ActFracBits = 0 };
        var e = Assert.Throws<EieInputException>(() => new UartHost(tiny, new UartTiming(4_000_000, 1_000_000)));
        Assert.StartsWith("baud: at most 947040 at 4000000 Hz", e.Message);
        Assert.EndsWith("got 1000000", e.Message);
        Assert.Equal(321, new UartHost(tiny, new UartTiming(5_000_000, 1_000_000)).DecodeCycles);
        // 16-bit acts: 96 acts a word, 193 cycles, within 304 at the fastest baud.
        Assert.Equal(193, new UartHost(FpgaTestConfigs.Small, new UartTiming(4_000_000, 1_000_000)).DecodeCycles);
    }

    [Fact]
    public void IdentCarriesTheProtocolVersion()
    {
        // A version-0 bridge (raw frames only) is still a board; the PC side moves raw acts to it.
        var old = global::EieHdl.Flows.BoardIdent.Decode([0x45, 2, 8, 1], "p");
        Assert.Equal((0, false, 2), (old.Version, old.HasRlc, old.Pes));
        var rlc = global::EieHdl.Flows.BoardIdent.Decode([0x46, 2, 8, 1], "p");
        Assert.True(rlc.HasRlc);
        Assert.Equal(global::EieHdl.Flows.BoardIdent.Of(FpgaTestConfigs.Small), rlc);
        Assert.Throws<EieInputException>(() => global::EieHdl.Flows.BoardIdent.Decode([0x47, 2, 8, 1], "p"));
        Assert.Throws<EieInputException>(() => global::EieHdl.Flows.BoardIdent.Decode([0x44, 2, 8, 1], "p"));
    }

    [Fact]
    public void AnActsFrameIsTheCountThenTheWords()
    {
        var frame = Small.Acts([0, 0, 12, 0, 0, 0, 0, 53, 0, 0, 22], half: 1);
        Assert.Equal(1, frame.ReplyBytes);
        Assert.Equal(new byte[] { 0x61, 11 }, frame.Bytes[..2]);
        Assert.Equal(Small.Rlc.EncodeBytes([0, 0, 12, 0, 0, 0, 0, 53, 0, 0, 22]), frame.Bytes[2..]);
        Assert.Equal(new byte[] { 0x70, 64 }, Small.Outs(64, 0).Bytes);
        Assert.Throws<ArgumentOutOfRangeException>(() => Small.Outs(65, 0));
        Assert.Throws<ArgumentException>(() => Small.Acts([], 0));
    }

    [Fact]
    public void AWriteCarriesTheBytesItsDataNeedsLittleEndian()
    {
        Assert.Equal(new byte[] { 0x11, 0x23, 0x01, 0xef, 0xbe }, Small.Write(0x123, 0xbeef).Bytes);
        Assert.Equal(new byte[] { 0x10, 0x00, 0x08, 0x00 }, Small.Write(0x800, 0).Bytes);
        Assert.Equal(new byte[] { 0x17, 0xff, 0x0f, 1, 2, 3, 4, 5, 6, 7, 0x88 }, Small.Write(0xfff, 0x8807060504030201).Bytes);
        Assert.Equal(0, Small.Write(1, 1).ReplyBytes);
    }

    [Fact]
    public void ReadsAndStatusCommandsAndTheirReplies()
    {
        var read = Small.Read(0x345, 2);
        Assert.Equal(new byte[] { 0x21, 0x45, 0x03 }, read.Bytes);
        Assert.Equal(2, read.ReplyBytes);
        Assert.Equal(new byte[] { 0x30 }, UartHostProtocol.Status().Bytes);
        Assert.Equal(new byte[] { 0x40 }, UartHostProtocol.Wait().Bytes);
        Assert.Equal(new byte[] { 0x50 }, UartHostProtocol.Ident().Bytes);
        Assert.Equal(4, UartHostProtocol.Ident().ReplyBytes);
        Assert.Equal(4, Small.ReadCycles().ReplyBytes);

        Assert.Equal(0x0102_0304UL, UartHostProtocol.DecodeWord([4, 3, 2, 1]));
        Assert.Equal(-2, Small.DecodeAct([0xfe, 0xff]));
        Assert.Equal(0x7fff, Small.DecodeAct([0xff, 0x7f]));
        Assert.Equal(new UartStatus(Busy: false, Done: true, Error: true, Dropped: true), UartStatus.Decode(0x0e));
    }

    [Fact]
    public void AnAddressOrAReadBeyondTheBusThrows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Small.Write(0x1_0000, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Small.Read(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Small.Read(0, 9));
    }

    [Fact]
    public void TheModelLoadIsHostProtocolsWritesOneFrameEach()
    {
        var (image, input, _) = BoardUartSimTests.RandomCase(FpgaTestConfigs.Small, 1);
        var accesses = Small.Host.LoadModel(image).Concat(Small.Host.LoadInput(input)).ToArray();
        var frames = Small.LoadModel(image).Concat(Small.LoadInput(input)).ToArray();
        Assert.Equal(accesses.Length, frames.Length);
        foreach (var (a, f) in accesses.Zip(frames))
        {
            Assert.Equal(UartHostProtocol.OpWrite, f.Bytes[0] & 0xf0);
            Assert.Equal(a.Address, UartHostProtocol.DecodeWord(f.Bytes.AsSpan(1, Small.AddrBytes)));
            Assert.Equal(a.Data, UartHostProtocol.DecodeWord(f.Bytes.AsSpan(1 + Small.AddrBytes)));
            Assert.Equal((f.Bytes[0] & 0x0f) + 1, f.Bytes.Length - 1 - Small.AddrBytes);
        }
    }

    [Fact]
    public void AHostWordWiderThan128BitsIsRefusedAsBadInput()
    {
        var config = new EieConfig { Pes = 2, IndexBits = 8, RunBits = 8, CodebookSize = 16, SpmatWordBits = 256 };
        var e = Assert.Throws<EieInputException>(() => new UartHostProtocol(config));
        Assert.Contains("at most 128 bits", e.Message);
        Assert.Contains("got 256", e.Message);
        Assert.Throws<EieInputException>(() => BoardRtl.Generate(config, global::EieHdl.Hardware.Board.IceBreaker));
    }
}
