using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EieHdl.Fpga;

/// <summary>Cell counts from <c>yosys stat -json</c>: the whole design's cells by type.</summary>
public sealed record YosysStat(IReadOnlyDictionary<string, int> Cells)
{
    public int Count(string type) => Cells.GetValueOrDefault(type);

    /// <summary>Cells whose type is one of <paramref name="types"/>, each weighted (default 1).</summary>
    public double Sum(IEnumerable<string> types, IReadOnlyDictionary<string, double>? weights = null) =>
        types.Sum(t => Count(t) * (weights?.GetValueOrDefault(t, 1) ?? 1));

    /// <summary>Cells whose type starts with one of <paramref name="prefixes"/>.</summary>
    public int SumPrefixed(IEnumerable<string> prefixes) =>
        Cells.Where(c => prefixes.Any(p => c.Key.StartsWith(p, StringComparison.Ordinal))).Sum(c => c.Value);

    public static YosysStat Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        // "design" totals a hierarchy; a flattened design has one module and the same numbers.
        JsonElement scope = root.TryGetProperty("design", out var design)
            ? design
            : root.GetProperty("modules").EnumerateObject().Single().Value;
        var cells = new Dictionary<string, int>(StringComparer.Ordinal);
        if (scope.TryGetProperty("num_cells_by_type", out var byType))
            foreach (var p in byType.EnumerateObject()) cells[p.Name] = p.Value.GetInt32();
        return new YosysStat(cells);
    }
}

/// <summary>Where yosys put one memory: a RAM cell type (block or LUT RAM) or flip-flops.</summary>
public sealed record MemoryMapping(string Memory, string MappedTo)
{
    public const string FlipFlops = "flip-flops";

    public bool InFlipFlops => MappedTo == FlipFlops;

    /// <summary>Distributed RAM built from LUTs (7-series LUTRAM, ECP5 DPR16X4, Gowin RAM16).</summary>
    public bool InLutRam => !InFlipFlops && (MappedTo.Contains("LUTRAM", StringComparison.OrdinalIgnoreCase)
        || MappedTo.Contains("DPR16", StringComparison.OrdinalIgnoreCase) || MappedTo.Contains("RAM16", StringComparison.OrdinalIgnoreCase));

    /// <summary>A block RAM (EBR, RAMB18/36, DP16KD, BSRAM) or UP5K SPRAM.</summary>
    public bool InBlockRam => !InFlipFlops && !InLutRam;

    /// <summary>"block RAM", "LUT RAM" or "flip-flops", with the cell yosys chose.</summary>
    public string Kind => InFlipFlops ? FlipFlops : InLutRam ? "LUT RAM" : "block RAM";

    /// <summary>True for the eie_sram_sp arrays (spmat, ptr banks, act SRAM, codebook): they must be RAM.</summary>
    public bool IsSram => Memory.EndsWith(".mem_q", StringComparison.Ordinal);
}

/// <summary>Parsers for yosys's memory_libmap lines and nextpnr's report and log.</summary>
public static partial class ToolLogs
{
    /// <summary>
    /// memory_libmap's decisions from a yosys log: "mapping memory M via T" and "using FF
    /// mapping for memory M". A memory listed twice (a second libmap run) keeps its last line.
    /// </summary>
    public static IReadOnlyList<MemoryMapping> Memories(string yosysLog)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in MemoryLine().Matches(yosysLog))
            result[m.Groups["ff"].Success ? m.Groups["ff"].Value : m.Groups["mem"].Value] =
                m.Groups["ff"].Success ? MemoryMapping.FlipFlops : m.Groups["via"].Value;
        return result.Select(r => new MemoryMapping(r.Key, r.Value)).OrderBy(r => r.Memory, StringComparer.Ordinal).ToArray();
    }

    [GeneratedRegex(@"^(?:mapping memory (?<mem>\S+) via (?<via>\S+)|using FF mapping for memory (?<ff>\S+))\s*$", RegexOptions.Multiline)]
    private static partial Regex MemoryLine();

    /// <summary>The error lines of a tool's output or log ("ERROR: ...", "Error: ..."), at most a few.</summary>
    public static IReadOnlyList<string> ErrorLines(string text, int max = 4) =>
        text.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("ERROR", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)
                || l.Contains("error:", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .Take(max)
            .ToArray();

    /// <summary>Achieved Fmax (MHz) of the design's clock from nextpnr's log, the worst clock if several.</summary>
    public static double? FmaxFromLog(string nextpnrLog)
    {
        var values = FmaxLine().Matches(nextpnrLog)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        // nextpnr prints the figure after placement and again after routing: the last is final.
        return values.Length == 0 ? null : values[^1];
    }

    /// <summary>nextpnr's "Device utilisation" lines that ask for more than the device has, as "BEL used/available".</summary>
    public static IReadOnlyList<string> OverfullBels(string nextpnrLog) =>
        UtilLine().Matches(nextpnrLog)
            .Where(m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) > int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture))
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}/{m.Groups[3].Value}")
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    [GeneratedRegex(@"^Info:\s+(\w+):\s+(\d+)/\s*(\d+)\s+\d+%", RegexOptions.Multiline)]
    private static partial Regex UtilLine();

    [GeneratedRegex(@"Max frequency for clock '[^']*': ([0-9.]+) MHz")]
    private static partial Regex FmaxLine();

    /// <summary>nextpnr's --report JSON: used/available per BEL type and the achieved Fmax per clock.</summary>
    public static (IReadOnlyDictionary<string, (int Used, int Available)> Utilisation, double? FmaxMhz) NextpnrReport(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var util = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        if (doc.RootElement.TryGetProperty("utilization", out var u))
            foreach (var p in u.EnumerateObject())
                util[p.Name] = (p.Value.GetProperty("used").GetInt32(), p.Value.GetProperty("available").GetInt32());
        double? fmax = null;
        if (doc.RootElement.TryGetProperty("fmax", out var f))
            foreach (var clock in f.EnumerateObject())
            {
                double achieved = clock.Value.GetProperty("achieved").GetDouble();
                fmax = fmax is null ? achieved : Math.Min(fmax.Value, achieved);
            }
        return (util, fmax);
    }
}
