using EieHdl.Config;
using EieHdl.Encoding;

namespace EieHdl.Tests.Encoding;

public class SpmatEncoderTests
{
    private static byte[] Column(params int[] rows)
    {
        var m = new byte[rows.Length];
        for (int i = 0; i < rows.Length; i++) m[i] = (byte)rows[i];
        return m;
    }

    [Theory]
    [InlineData(15, 0)]
    [InlineData(16, 1)]
    [InlineData(31, 1)]
    [InlineData(32, 2)]
    [InlineData(47, 2)]
    [InlineData(48, 3)]
    public void RunOfZerosBeforeAnEntryNeedsFloorOfRunOver16Paddings(int zeros, int paddings)
    {
        var config = new EieConfig { Pes = 1 };
        var rows = new int[zeros + 1];
        rows[zeros] = 7;
        var slices = SpmatEncoder.Encode(config, Column(rows), rows.Length, 1);
        var entries = slices[0].Entries;
        Assert.Equal(paddings + 1, entries.Length);
        for (int p = 0; p < paddings; p++) Assert.Equal((15 << 4) | 0, entries[p]);
        Assert.Equal(((zeros - 16 * paddings) << 4) | 7, entries[^1]);
        Assert.Equal(rows.Select(r => (byte)r), SpmatEncoder.Decode(config, slices, rows.Length, 1));
    }

    [Fact]
    public void TrailingZerosAndEmptyColumnsCostNoEntries()
    {
        var config = new EieConfig { Pes = 1 };
        var slices = SpmatEncoder.Encode(config, new byte[40], 40, 1);
        Assert.Empty(slices[0].Entries);
        Assert.Equal(new[] { 0, 0 }, slices[0].Pointers);
    }
}
