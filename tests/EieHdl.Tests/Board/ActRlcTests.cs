using EieHdl.Hardware;

namespace EieHdl.Tests.Board;

/// <summary>The act RLC of the UART link: packing, hand-built words, and decode(encode(x)) = x on random sparse vectors.</summary>
public sealed class ActRlcTests
{
    [Theory]
    [InlineData(16, 3, 5)]
    [InlineData(8, 5, 4)]
    [InlineData(12, 3, 5)]
    [InlineData(2, 10, 4)]
    [InlineData(32, 1, 5)]
    public void ThePackingFollowsTheActWidth(int actWidth, int pairs, int runBits)
    {
        var rlc = new ActRlc(actWidth);
        Assert.Equal(pairs, rlc.Pairs);
        Assert.Equal(runBits, rlc.RunBits);
        Assert.True(rlc.Pairs * rlc.PairBits <= 63);
    }

    [Fact]
    public void TheEyerissExampleEncodesAsOnTheSlide()
    {
        // 0, 0, 12, 0, 0, 0, 0, 53, 0, 0, 22: (2, 12) (4, 53) (2, 22) in one last word.
        var rlc = new ActRlc(16);
        var words = rlc.Encode([0, 0, 12, 0, 0, 0, 0, 53, 0, 0, 22]);
        ulong expected = (2UL | (12UL << 5)) | ((4UL | (53UL << 5)) << 21) | ((2UL | (22UL << 5)) << 42) | ActRlc.LastWord;
        Assert.Equal([expected], words);
    }

    [Fact]
    public void LongRunsSplitWithAZeroLevelAndTrailingZerosEndInAZeroPair()
    {
        var rlc = new ActRlc(16);
        var acts = new int[80];
        acts[40] = -7;
        // 40 zeros: (31, 0) covers 32 acts, (8, -7) the next 9; 39 trailing zeros: (31, 0), (6, 0).
        Assert.Equal([(31, 0), (8, -7), (31, 0), (6, 0)], rlc.PairsOf(acts));
        var words = rlc.Encode(acts);
        Assert.Equal(2, words.Length);
        Assert.Equal(0UL, words[0] & ActRlc.LastWord);
        Assert.Equal(ActRlc.LastWord | 6UL, words[1]);
        Assert.Equal(acts, rlc.Decode(words, acts.Length));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(784)]
    public void AllZeroVectors(int length)
    {
        var rlc = new ActRlc(16);
        var acts = new int[length];
        var words = rlc.Encode(acts);
        Assert.Equal((length + 31) / 32, rlc.PairsOf(acts).Count);
        Assert.Equal(acts, rlc.Decode(words, length));
    }

    [Fact]
    public void NoZeroVectorsCostOnePairPerAct()
    {
        var rlc = new ActRlc(16);
        var acts = Enumerable.Range(1, 10).Select(i => i % 2 == 0 ? -i * 1000 : i * 3000).ToArray();
        var words = rlc.Encode(acts);
        Assert.Equal(4, words.Length);
        // The last word holds one pair; its other two are zero padding.
        Assert.Equal(0UL, words[^1] >> 21 & ((1UL << 42) - 1));
        Assert.Equal(acts, rlc.Decode(words, acts.Length));
        // (0, -10000): level 0xd8f0 above a 5-bit run of 0.
        Assert.Equal([0x00, 0x1e, 0x1b, 0, 0, 0, 0, 0x80], rlc.EncodeBytes(acts)[^8..]);
    }

    [Theory]
    [InlineData(16, 1)]
    [InlineData(16, 2)]
    [InlineData(8, 3)]
    [InlineData(12, 4)]
    [InlineData(2, 5)]
    [InlineData(32, 6)]
    public void RandomSparseVectorsRoundTrip(int actWidth, int seed)
    {
        var rlc = new ActRlc(actWidth);
        var random = new Random(seed);
        long min = -(1L << (actWidth - 1)), max = (1L << (actWidth - 1)) - 1;
        for (int round = 0; round < 400; round++)
        {
            int length = random.Next(1, 600);
            double density = random.NextDouble() switch { < 0.2 => 0, < 0.4 => 1, var d => d * d };
            var acts = Enumerable.Range(0, length)
                .Select(_ => random.NextDouble() < density ? (int)(random.NextInt64(min, max + 1) is var v && v == 0 ? 1 : v) : 0).ToArray();
            var words = rlc.Encode(acts);
            Assert.Equal(acts, rlc.Decode(words, length));
            var pairs = rlc.PairsOf(acts);
            Assert.Equal((pairs.Count + rlc.Pairs - 1) / rlc.Pairs, words.Length);
            Assert.All(pairs, p => Assert.InRange(p.Run, 0, rlc.MaxRun));
            Assert.Equal(length, pairs.Sum(p => p.Run + 1));
            // Every word but the last is needed: decoding stops short without it.
            if (words.Length > 1) Assert.Null(rlc.Decode(words[..^1], length));
        }
    }

    [Fact]
    public void MalformedStreamsAreRefused()
    {
        var rlc = new ActRlc(16);
        var words = rlc.Encode([0, 5, 0, 0, 9, 1, 2]);
        // A count shorter than the stream: the pair runs past it.
        Assert.Throws<InvalidDataException>(() => rlc.Decode(words, 3));
        // A last-word bit missing on the last word, or set too early.
        Assert.Throws<InvalidDataException>(() => rlc.Decode([words[0], words[1] & ~ActRlc.LastWord], 7));
        var two = rlc.Encode(new int[100]);
        Assert.Throws<InvalidDataException>(() => rlc.Decode([two[0] | ActRlc.LastWord, two[1]], 100));
        // Non-zero padding after the last act.
        Assert.Throws<InvalidDataException>(() => rlc.Decode([rlc.Encode([3])[0] | (1UL << 21)], 1));
    }

    [Fact]
    public void TheEntropyBoundIsThatOfTheActValues()
    {
        // Half zeros, a quarter each of two values: 1.5 bits per act.
        Assert.Equal(6.0, ActRlc.EntropyBits([[0, 0, 1, 2]]), 9);
        Assert.Equal(0.0, ActRlc.EntropyBits([new int[50]]), 9);
    }
}
