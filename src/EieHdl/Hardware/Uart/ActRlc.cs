using System.Globalization;

namespace EieHdl.Hardware;

/// <summary>
/// Run-length coding of an act vector for the UART link, after Eyeriss's I/O compression
/// (Chen et al., ISSCC 2016): 64-bit words of (run, level) pairs, where run is the number of
/// zero acts before the level. The packing follows the act width: level = ActWidth bits, as
/// many pairs as fit in 63 bits with a run field of at least 4 bits (at most 5, Eyeriss's
/// size, so that a word never costs the bridge more than Pairs x 32 writes); bit 63 marks the
/// vector's last word. 16-bit acts: 3 pairs of 5-bit run + 16-bit level, as in Eyeriss;
/// 8-bit acts: 5 pairs of 4 + 8. Pair k sits at bits [k x PairBits, (k + 1) x PairBits), run in
/// its low RunBits. A run longer than MaxRun is split with a zero level ((MaxRun, 0) stands
/// for MaxRun + 1 zeros); the vector's last act always ends a pair, so trailing zeros end in
/// (run, 0); the last word's unused pairs are zero.
/// </summary>
public sealed class ActRlc
{
    public const int WordBits = 64;
    public const int WordBytes = 8;
    public const int MinRunBits = 4;
    public const int MaxRunBits = 5;

    /// <summary>Bit 63: this is the vector's last word.</summary>
    public const ulong LastWord = 1UL << 63;

    public ActRlc(int actWidth)
    {
        if (actWidth < 2 || actWidth > 32)
            throw new ArgumentOutOfRangeException(nameof(actWidth), actWidth, "act width must be in [2, 32]");
        LevelBits = actWidth;
        Pairs = Math.Max(1, (WordBits - 1) / (actWidth + MinRunBits));
        RunBits = Math.Min(MaxRunBits, (WordBits - 1) / Pairs - actWidth);
    }

    public int LevelBits { get; }
    public int RunBits { get; }
    public int Pairs { get; }
    public int PairBits => RunBits + LevelBits;
    public int MaxRun => (1 << RunBits) - 1;

    /// <summary>Most acts one word can stand for (every pair a longest run and its level).</summary>
    public int MaxActsPerWord => Pairs * (MaxRun + 1);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Pairs} pairs of {RunBits}-bit run + {LevelBits}-bit level per 64-bit word, bit 63 = last word");

    /// <summary>The (run, level) pairs of a vector, levels as ActWidth-bit signed values.</summary>
    public List<(int Run, int Level)> PairsOf(ReadOnlySpan<int> acts)
    {
        var pairs = new List<(int, int)>();
        int run = 0;
        for (int j = 0; j < acts.Length; j++)
        {
            if (acts[j] == 0 && run < MaxRun && j != acts.Length - 1)
            {
                run++;
                continue;
            }
            pairs.Add((run, acts[j]));
            run = 0;
        }
        return pairs;
    }

    /// <summary>The words of a vector of at least one act.</summary>
    public ulong[] Encode(ReadOnlySpan<int> acts)
    {
        if (acts.IsEmpty) throw new ArgumentException("an RLC vector holds at least one act", nameof(acts));
        var pairs = PairsOf(acts);
        var words = new ulong[(pairs.Count + Pairs - 1) / Pairs];
        ulong levelMask = (1UL << LevelBits) - 1;
        for (int k = 0; k < pairs.Count; k++)
        {
            var (run, level) = pairs[k];
            ulong pair = (uint)run | (((ulong)(uint)level & levelMask) << RunBits);
            words[k / Pairs] |= pair << (k % Pairs * PairBits);
        }
        words[^1] |= LastWord;
        return words;
    }

    /// <summary>The bytes of <see cref="Encode"/>, each word little-endian.</summary>
    public byte[] EncodeBytes(ReadOnlySpan<int> acts)
    {
        var words = Encode(acts);
        var bytes = new byte[words.Length * WordBytes];
        for (int w = 0; w < words.Length; w++)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(w * WordBytes), words[w]);
        return bytes;
    }

    /// <summary>
    /// Decodes words into acts until <paramref name="count"/> acts are out. Returns null while
    /// more words are needed; throws on a malformed stream (a pair running past the count, a
    /// last-word flag in the wrong word, non-zero padding).
    /// </summary>
    public int[]? Decode(IReadOnlyList<ulong> words, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "an RLC vector holds at least one act");
        var acts = new int[count];
        int j = 0;
        int shift = 32 - LevelBits;
        ulong pairMask = (1UL << PairBits) - 1;
        for (int w = 0; w < words.Count; w++)
        {
            ulong word = words[w];
            for (int k = 0; k < Pairs; k++)
            {
                ulong pair = (word >> (k * PairBits)) & pairMask;
                if (j == count)
                {
                    if (pair != 0) throw new InvalidDataException(Inv($"RLC word {w}: pair {k} after the vector's last act is not zero"));
                    continue;
                }
                int run = (int)(pair & (ulong)MaxRun);
                int level = (int)((uint)(pair >> RunBits) << shift) >> shift;
                if (j + run + 1 > count)
                    throw new InvalidDataException(Inv($"RLC word {w}: pair {k} ({run} zeros, then {level}) runs past the vector's {count} acts"));
                j += run;
                acts[j++] = level;
            }
            bool last = (word & LastWord) != 0;
            if (last != (j == count))
                throw new InvalidDataException(Inv($"RLC word {w}: the last-word bit is {(last ? 1 : 0)} with {j} of {count} acts decoded"));
            if (last)
            {
                if (w != words.Count - 1) throw new InvalidDataException(Inv($"RLC: {words.Count - 1 - w} word(s) after the last word"));
                return acts;
            }
        }
        return null;
    }

    /// <summary>
    /// The order-0 entropy bound in bits: the acts' empirical entropy (over every act of every
    /// vector given) times their number, what an ideal coder of independent act values needs.
    /// </summary>
    public static double EntropyBits(IEnumerable<int[]> vectors)
    {
        var counts = new Dictionary<int, long>();
        long total = 0;
        foreach (var v in vectors)
            foreach (var a in v)
            {
                counts[a] = counts.GetValueOrDefault(a) + 1;
                total++;
            }
        double bits = 0;
        foreach (var n in counts.Values) bits -= n * Math.Log2((double)n / total);
        return bits;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
