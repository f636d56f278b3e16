using System.Globalization;
using System.Text;
using EieHdl.Config;
using EieHdl.IO;

namespace EieHdl.Encoding;

/// <summary>The memory contents read back from the $readmemh files of <see cref="ImageWriter"/>.</summary>
/// <param name="Pes">Per PE: absolute pointers (even and odd banks merged) and spmat entries.</param>
/// <param name="Codebooks">All layers' codebook entries, sign-extended.</param>
public sealed record ImageFiles(PeImage[] Pes, int[] Codebooks);

/// <summary>
/// Writes a <see cref="ModelImage"/> as the $readmemh files the generated SRAMs load: per PE
/// the spmat memory (EntriesPerWord entries a word, entry 0 in the least significant bits,
/// as the spmat read unit selects an entry by the pointer's low bits) and the two pointer
/// banks (p[2k] in the even bank, p[2k+1] in the odd, so p_j and p_j+1 come from different
/// banks in one cycle), and one codebook memory for all layers. Output is a pure function
/// of the image: same image, same bytes.
/// </summary>
public static class ImageWriter
{
    public static string SpmatFileName(int pe) => $"pe{pe:D3}_spmat.hex";
    public static string PtrEvenFileName(int pe) => $"pe{pe:D3}_ptr_even.hex";
    public static string PtrOddFileName(int pe) => $"pe{pe:D3}_ptr_odd.hex";
    public const string CodebookFileName = "codebook.hex";

    /// <summary>Writes all files into <paramref name="folder"/>, which must exist; wrap in
    /// <see cref="AtomicOutput.WriteFolder"/> for an all-or-nothing output folder.</summary>
    public static void Write(ModelImage image, string folder)
    {
        var config = image.Config;
        foreach (var pe in image.Pes)
        {
            Save(folder, SpmatFileName(pe.Pe), SpmatHex(config, pe));
            Save(folder, PtrEvenFileName(pe.Pe), PointerHex(config, pe, 0));
            Save(folder, PtrOddFileName(pe.Pe), PointerHex(config, pe, 1));
        }
        Save(folder, CodebookFileName, CodebookHex(config, image.Codebooks));
    }

    public static string SpmatHex(EieConfig config, PeImage pe)
    {
        int perWord = config.EntriesPerWord, entryBits = config.EntryBits;
        int words = (pe.Entries.Length + perWord - 1) / perWord;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"// PE {pe.Pe} spmat: {words} words of {config.SpmatWordBits} bits, {perWord} entries (v: low {config.IndexBits} bits, z: next {config.RunBits}) per word, entry 0 in the least significant bits\n");
        var limbs = new ulong[(config.SpmatWordBits + 63) / 64];
        for (int w = 0; w < words; w++)
        {
            Array.Clear(limbs);
            for (int k = 0; k < perWord; k++)
            {
                int at = w * perWord + k;
                if (at < pe.Entries.Length) SetBits(limbs, k * entryBits, entryBits, pe.Entries[at]);
            }
            AppendHex(text, limbs, config.SpmatWordBits);
        }
        return text.ToString();
    }

    public static string PointerHex(EieConfig config, PeImage pe, int bank)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"// PE {pe.Pe} pointers, {(bank == 0 ? "even" : "odd")} bank: word k is p[2k{(bank == 0 ? "" : "+1")}], {config.PtrWidth} bits\n");
        var limbs = new ulong[(config.PtrWidth + 63) / 64];
        for (int p = bank; p < pe.Pointers.Length; p += 2)
        {
            limbs[0] = (ulong)pe.Pointers[p];
            AppendHex(text, limbs, config.PtrWidth);
        }
        return text.ToString();
    }

    public static string CodebookHex(EieConfig config, int[] codebooks)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"// codebook: layer l at l * {config.CodebookSize}, {config.WeightWidth}-bit two's complement, {config.WeightFracBits} fraction bits\n");
        var limbs = new ulong[1];
        ulong mask = (1UL << config.WeightWidth) - 1;
        foreach (int c in codebooks)
        {
            limbs[0] = (ulong)(long)c & mask;
            AppendHex(text, limbs, config.WeightWidth);
        }
        return text.ToString();
    }

    /// <summary>Reads the files of <see cref="Write"/> back for <paramref name="config"/>.Pes PEs.</summary>
    public static ImageFiles Read(EieConfig config, string folder)
    {
        var pes = new PeImage[config.Pes];
        for (int pe = 0; pe < config.Pes; pe++)
        {
            var even = ReadWords(folder, PtrEvenFileName(pe), config.PtrWidth);
            var odd = ReadWords(folder, PtrOddFileName(pe), config.PtrWidth);
            if (even.Count != odd.Count && even.Count != odd.Count + 1)
                throw new EieInputException(
                    $"image {Path.Combine(folder, PtrOddFileName(pe))}: must have {even.Count} or {even.Count - 1} words to match the even bank, got {odd.Count}");
            var pointers = new int[even.Count + odd.Count];
            for (int p = 0; p < pointers.Length; p++)
                pointers[p] = (int)(p % 2 == 0 ? even[p / 2] : odd[p / 2])[0];

            // The last pointer of the last layer is the PE's entry count; the rest of the last
            // word is zero fill.
            int count = pointers.Length == 0 ? 0 : pointers[^1];
            var words = ReadWords(folder, SpmatFileName(pe), config.SpmatWordBits);
            int perWord = config.EntriesPerWord;
            if ((long)words.Count * perWord < count)
                throw new EieInputException(
                    $"image {Path.Combine(folder, SpmatFileName(pe))}: must hold the {count} entries the pointers address, got {words.Count} words of {perWord}");
            var entries = new ushort[count];
            for (int e = 0; e < count; e++)
                entries[e] = (ushort)GetBits(words[e / perWord], e % perWord * config.EntryBits, config.EntryBits);
            pes[pe] = new PeImage(pe, pointers, entries);
        }
        int unused = 64 - config.WeightWidth;
        var codebooks = ReadWords(folder, CodebookFileName, config.WeightWidth)
            .Select(w => (int)((long)(w[0] << unused) >> unused)).ToArray();
        return new ImageFiles(pes, codebooks);
    }

    private static void Save(string folder, string name, string text) =>
        File.WriteAllText(Path.Combine(folder, name), text, AtomicOutput.Utf8);

    private static void SetBits(ulong[] limbs, int at, int width, ulong value)
    {
        for (int b = 0; b < width; b++)
            if ((value >> b & 1) != 0) limbs[(at + b) / 64] |= 1UL << ((at + b) % 64);
    }

    private static ulong GetBits(ulong[] limbs, int at, int width)
    {
        ulong value = 0;
        for (int b = 0; b < width; b++)
            value |= (limbs[(at + b) / 64] >> ((at + b) % 64) & 1) << b;
        return value;
    }

    private static void AppendHex(StringBuilder text, ulong[] limbs, int bits)
    {
        for (int digit = (bits + 3) / 4 - 1; digit >= 0; digit--)
            text.Append("0123456789abcdef"[(int)(limbs[digit * 4 / 64] >> (digit * 4 % 64) & 0xF)]);
        text.Append('\n');
    }

    /// <summary>The data words of a $readmemh file, skipping blank lines and // comments.</summary>
    private static List<ulong[]> ReadWords(string folder, string name, int bits)
    {
        string path = Path.Combine(folder, name);
        if (!File.Exists(path)) throw new EieInputException($"image {path}: file is missing");
        int digits = (bits + 3) / 4;
        var words = new List<ulong[]>();
        int lineNumber = 0;
        foreach (string raw in File.ReadLines(path))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal)) continue;
            if (line.Length != digits)
                throw new EieInputException($"image {path}: line {lineNumber} must have {digits} hex digits, got \"{line}\"");
            var limbs = new ulong[(bits + 63) / 64];
            for (int i = 0; i < digits; i++)
            {
                int nibble = HexValue(line[digits - 1 - i]);
                if (nibble < 0)
                    throw new EieInputException($"image {path}: line {lineNumber} must be hex digits, got \"{line}\"");
                limbs[i * 4 / 64] |= (ulong)nibble << (i * 4 % 64);
            }
            words.Add(limbs);
        }
        return words;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
