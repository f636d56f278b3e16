using System.Globalization;
using EieHdl.Flows;

namespace EieHdl.Cli.Commands;

/// <summary>The human summaries: one table of storage per layer, one of the golden run per layer.</summary>
internal static class Summary
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void PrintStorage(IReadOnlyList<LayerStorageReport> layers)
    {
        Console.WriteLine("Storage (Deep Compression Table 4 style; % of the dense float32 layer):");
        Console.WriteLine(string.Create(Inv,
            $"  {"layer",-10} {"in x out",-13} {"kept",7} {"entries",10} {"padding",8} {"v bits",12} {"z bits",12} {"size",7} {"+Huffman",9} {"ratio",14}"));
        foreach (var l in layers)
        {
            var h = l.Huffman;
            Console.WriteLine(string.Create(Inv,
                $"  {l.Name,-10} {l.Inputs + " x " + l.Outputs,-13} {100 * l.Density,6:F2}% {h.Entries,10} {h.PaddingEntries,8} " +
                $"{h.VBits + " -> " + h.HuffmanVBits.ToString("F2", Inv),12} {h.ZBits + " -> " + h.HuffmanZBits.ToString("F2", Inv),12} " +
                $"{h.PayloadPercent,6:F2}% {h.HuffmanPayloadPercent,8:F2}% {h.CompressionRatio.ToString("F1", Inv) + "x / " + h.HuffmanCompressionRatio.ToString("F1", Inv) + "x",14}"));
        }
    }

    public static void PrintRun(IReadOnlyList<LayerRunReport> layers)
    {
        Console.WriteLine("Golden run (bit-exact fixed point; error against a double-precision evaluation):");
        Console.WriteLine(string.Create(Inv,
            $"  {"layer",-10} {"active cols",11} {"entries",9} {"padding",8} {"ideal cyc",9} {"balance",7} {"overflow",8} {"max err",9} {"mean err",9} {"max err (orig w)",16}"));
        foreach (var l in layers)
            Console.WriteLine(string.Create(Inv,
                $"  {l.Name,-10} {l.ActiveColumns,11} {l.EntriesInActiveColumns,9} {l.PaddingInActiveColumns,8} {l.IdealCycles,9} " +
                $"{100 * l.LoadBalanceEfficiency,6:F1}% {l.Overflows,8} {l.VsQuantisedFloat.MaxAbsError,9:G3} {l.VsQuantisedFloat.MeanAbsError,9:G3} " +
                $"{(l.VsOriginalFloat is { } o ? o.MaxAbsError.ToString("G3", Inv) : "-"),16}"));
    }
}
