using System.Globalization;
using System.Text.Json;

namespace EieHdl.Energy;

/// <summary>
/// One process technology as data: per-event energies, areas and static power of the
/// primitives the energy model builds a PE from. Loaded from a JSON file under hw/tech/
/// (format in docs/energy.md); every figure carries its unit, which the loader checks, and
/// its source, which reports can show.
/// </summary>
public sealed record TechModel
{
    public required string Process { get; init; }
    public required string Description { get; init; }

    /// <summary>Integer adder energy per add (pJ) against operand width.</summary>
    public required WidthCurve IntAddEnergyPj { get; init; }
    /// <summary>Integer adder area (µm²) against operand width.</summary>
    public required WidthCurve IntAddAreaUm2 { get; init; }
    /// <summary>n x n integer multiplier energy per multiply (pJ) against n.</summary>
    public required WidthCurve IntMultiplyEnergyPj { get; init; }
    /// <summary>n x n integer multiplier area (µm²) against n.</summary>
    public required WidthCurve IntMultiplyAreaUm2 { get; init; }
    public required double FloatAdd32EnergyPj { get; init; }
    public required double FloatMultiply32EnergyPj { get; init; }
    public required double FloatAdd32AreaUm2 { get; init; }
    public required double FloatMultiply32AreaUm2 { get; init; }
    /// <summary>Off-chip DRAM energy per 64 bits moved.</summary>
    public required double DramEnergyPer64BitsPj { get; init; }
    /// <summary>Area of one register (flip-flop) bit.</summary>
    public required double RegisterBitAreaUm2 { get; init; }
    /// <summary>Energy to write one bit of a clock-gated register, its clock pulse included.</summary>
    public required double RegisterBitWriteEnergyFj { get; init; }
    /// <summary>Energy to read one bit out of a register file.</summary>
    public required double RegisterBitReadEnergyFj { get; init; }
    public required double RegisterBitLeakageNw { get; init; }
    /// <summary>Energy per clock edge of one flip-flop that is clocked every cycle.</summary>
    public required double FlipFlopClockEnergyFj { get; init; }
    /// <summary>Leakage of combinational logic per unit area.</summary>
    public required double LogicLeakageMwPerMm2 { get; init; }
    /// <summary>On-chip wire energy per bit and millimetre.</summary>
    public required double WireEnergyFjPerBitMm { get; init; }
    public required SramModel Sram { get; init; }

    /// <summary>Optional opt-in scale factors (`--calibrate`); the model never applies them by itself.</summary>
    public CalibrationFactors? Calibration { get; init; }

    /// <summary>The source of each figure, by its JSON field name.</summary>
    public required IReadOnlyDictionary<string, string> Sources { get; init; }

    /// <summary>The 45 nm technology shipped with EieHdl (hw/tech/45nm.json), found from the working directory or the program's folder upwards.</summary>
    public static string DefaultPath()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "hw", "tech", "45nm.json");
                if (File.Exists(candidate)) return candidate;
            }
        throw new EieInputException("hw/tech/45nm.json: file not found in the working directory or any parent; pass a technology file");
    }

    /// <summary>Loads and validates a technology file.</summary>
    public static TechModel Load(string path)
    {
        return Parse(IO.InputFile.ReadText(path), path);
    }

    /// <summary>Parses and validates technology JSON; <paramref name="source"/> names it in errors.</summary>
    public static TechModel Parse(string json, string source)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (JsonException e)
        {
            string reason = e.Message;
            int cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut >= 0) reason = reason[..cut];
            throw new EieInputException(
                $"{source}: malformed JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {reason.Trim().ReplaceLineEndings(" ")}");
        }
        using (doc) return new TechReader(source).Read(doc.RootElement);
    }
}

/// <summary>Reads the technology JSON field by field, so each error names the file, the field, the limit and the value.</summary>
internal sealed class TechReader(string source)
{
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);

    /// <summary>The top-level fields, in the order docs/energy.md lists them.</summary>
    private static readonly string[] Fields =
    [
        "process", "description", "intAddEnergy", "intAddArea", "intMultiplyEnergy", "intMultiplyArea",
        "floatAdd32Energy", "floatMultiply32Energy", "floatAdd32Area", "floatMultiply32Area", "dramEnergyPer64Bits",
        "registerBitArea", "registerBitWriteEnergy", "registerBitReadEnergy", "registerBitLeakage",
        "flipFlopClockEnergy", "logicLeakageDensity", "wireEnergy", "sram", "calibration",
    ];

    private static readonly string[] SramTables = ["readEnergy", "writeEnergy", "leakage", "area"];
    private static readonly string[] SramUnits = ["pJ", "pJ", "mW", "mm2"];

    public TechModel Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw Error("top level", "a JSON object", Shown(root));
        foreach (var property in root.EnumerateObject())
            if (!Fields.Contains(property.Name))
                throw new EieInputException(
                    $"{source}: unknown field '{property.Name}'; known fields: {string.Join(", ", Fields)}");

        return new TechModel
        {
            Process = Text(root, "process"),
            Description = Text(root, "description"),
            IntAddEnergyPj = Curve(root, "intAddEnergy", "pJ"),
            IntAddAreaUm2 = Curve(root, "intAddArea", "um2"),
            IntMultiplyEnergyPj = Curve(root, "intMultiplyEnergy", "pJ"),
            IntMultiplyAreaUm2 = Curve(root, "intMultiplyArea", "um2"),
            FloatAdd32EnergyPj = Value(root, "floatAdd32Energy", "pJ"),
            FloatMultiply32EnergyPj = Value(root, "floatMultiply32Energy", "pJ"),
            FloatAdd32AreaUm2 = Value(root, "floatAdd32Area", "um2"),
            FloatMultiply32AreaUm2 = Value(root, "floatMultiply32Area", "um2"),
            DramEnergyPer64BitsPj = Value(root, "dramEnergyPer64Bits", "pJ"),
            RegisterBitAreaUm2 = Value(root, "registerBitArea", "um2"),
            RegisterBitWriteEnergyFj = Value(root, "registerBitWriteEnergy", "fJ"),
            RegisterBitReadEnergyFj = Value(root, "registerBitReadEnergy", "fJ"),
            RegisterBitLeakageNw = Value(root, "registerBitLeakage", "nW"),
            FlipFlopClockEnergyFj = Value(root, "flipFlopClockEnergy", "fJ"),
            LogicLeakageMwPerMm2 = Value(root, "logicLeakageDensity", "mW/mm2"),
            WireEnergyFjPerBitMm = Value(root, "wireEnergy", "fJ/bit/mm"),
            Sram = Sram(Required(root, "sram", "sram")),
            Calibration = root.TryGetProperty("calibration", out var calibration) ? Calibration(calibration) : null,
            Sources = _sources,
        };
    }

    private EieInputException Error(string field, string limit, string got) =>
        new($"{source}: {field} must be {limit}, got {got}");

    private JsonElement Required(JsonElement obj, string name, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw Error(Parent(path), "an object", Shown(obj));
        return obj.TryGetProperty(name, out var value) ? value
            : throw new EieInputException($"{source}: missing field '{path}'");
    }

    private static string Parent(string path) => path.Contains('.') ? path[..path.LastIndexOf('.')] : path;

    private string Text(JsonElement obj, string name, string? path = null)
    {
        path ??= name;
        var e = Required(obj, name, path);
        return e.ValueKind == JsonValueKind.String && e.GetString()!.Trim().Length > 0
            ? e.GetString()! : throw Error(path, "a non-empty string", Shown(e));
    }

    private double Positive(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out double v))
            throw Error(path, "a number", Shown(e));
        return v > 0 && double.IsFinite(v) ? v : throw Error(path, "a finite number > 0", Shown(e));
    }

    /// <summary>A figure object: its unit must be <paramref name="unit"/>, its source a non-empty string.</summary>
    private JsonElement Figure(JsonElement root, string name, string unit, string valueKey)
    {
        var figure = Required(root, name, name);
        if (figure.ValueKind != JsonValueKind.Object) throw Error(name, "an object with unit, " + valueKey + " and source", Shown(figure));
        foreach (var property in figure.EnumerateObject())
            if (property.Name is not ("unit" or "source") && property.Name != valueKey)
                throw new EieInputException($"{source}: unknown field '{name}.{property.Name}'; known fields: unit, {valueKey}, source");
        string givenUnit = Text(figure, "unit", name + ".unit");
        if (givenUnit != unit) throw Error(name + ".unit", $"\"{unit}\"", $"\"{givenUnit}\"");
        _sources[name] = Text(figure, "source", name + ".source");
        return Required(figure, valueKey, name + "." + valueKey);
    }

    private double Value(JsonElement root, string name, string unit) =>
        Positive(Figure(root, name, unit, "value"), name + ".value");

    private WidthCurve Curve(JsonElement root, string name, string unit)
    {
        var points = Figure(root, name, unit, "points");
        string path = name + ".points";
        if (points.ValueKind != JsonValueKind.Array || points.GetArrayLength() < 2)
            throw Error(path, "an array of at least 2 [bits, value] pairs", Shown(points));
        var list = new List<(double, double)>();
        int i = 0;
        foreach (var point in points.EnumerateArray())
        {
            string at = $"{path}[{i}]";
            if (point.ValueKind != JsonValueKind.Array || point.GetArrayLength() != 2)
                throw Error(at, "a [bits, value] pair", Shown(point));
            double bits = Positive(point[0], at + "[0]"), value = Positive(point[1], at + "[1]");
            if (list.Count > 0 && bits <= list[^1].Item1)
                throw Error(at + "[0]", $"greater than the previous width {Num(list[^1].Item1)}", Num(bits));
            list.Add((bits, value));
            i++;
        }
        return new WidthCurve(list);
    }

    /// <summary>The optional calibration object: three positive factors and where they come from.</summary>
    private CalibrationFactors Calibration(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Error("calibration", "an object with sram, logic, clock and source", Shown(e));
        string[] known = ["sram", "logic", "clock", "source"];
        foreach (var property in e.EnumerateObject())
            if (!known.Contains(property.Name))
                throw new EieInputException($"{source}: unknown field 'calibration.{property.Name}'; known fields: {string.Join(", ", known)}");
        string text = Text(e, "source", "calibration.source");
        _sources["calibration"] = text;
        return new CalibrationFactors(
            Positive(Required(e, "sram", "calibration.sram"), "calibration.sram"),
            Positive(Required(e, "logic", "calibration.logic"), "calibration.logic"),
            Positive(Required(e, "clock", "calibration.clock"), "calibration.clock"),
            text);
    }

    private SramModel Sram(JsonElement sram)
    {
        if (sram.ValueKind != JsonValueKind.Object) throw Error("sram", "an object", Shown(sram));
        var known = new[] { "source", "widths", "depths" }.Concat(SramTables).ToArray();
        foreach (var property in sram.EnumerateObject())
            if (!known.Contains(property.Name))
                throw new EieInputException($"{source}: unknown field 'sram.{property.Name}'; known fields: {string.Join(", ", known)}");
        _sources["sram"] = Text(sram, "source", "sram.source");
        int[] widths = Axis(sram, "widths"), depths = Axis(sram, "depths");
        var tables = new double[SramTables.Length][,];
        for (int k = 0; k < SramTables.Length; k++)
            tables[k] = Table(sram, SramTables[k], SramUnits[k], widths, depths);
        return new SramModel(widths, depths, tables[0], tables[1], tables[2], tables[3]);
    }

    private int[] Axis(JsonElement sram, string name)
    {
        string path = "sram." + name;
        var axis = Required(sram, name, path);
        if (axis.ValueKind != JsonValueKind.Array || axis.GetArrayLength() < 2)
            throw Error(path, "an array of at least 2 integers", Shown(axis));
        var values = new List<int>();
        foreach (var e in axis.EnumerateArray())
        {
            string at = $"{path}[{values.Count}]";
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int v) || v < 1)
                throw Error(at, "an integer >= 1", Shown(e));
            if (values.Count > 0 && v <= values[^1])
                throw Error(at, $"greater than the previous entry {values[^1]}", v.ToString(CultureInfo.InvariantCulture));
            values.Add(v);
        }
        return values.ToArray();
    }

    /// <summary>One grid table, [width][depth], positive and non-decreasing along both axes.</summary>
    private double[,] Table(JsonElement sram, string name, string unit, int[] widths, int[] depths)
    {
        string path = "sram." + name;
        var table = Required(sram, name, path);
        if (table.ValueKind != JsonValueKind.Object) throw Error(path, "an object with unit and values", Shown(table));
        foreach (var property in table.EnumerateObject())
            if (property.Name is not ("unit" or "values"))
                throw new EieInputException($"{source}: unknown field '{path}.{property.Name}'; known fields: unit, values");
        string givenUnit = Text(table, "unit", path + ".unit");
        if (givenUnit != unit) throw Error(path + ".unit", $"\"{unit}\"", $"\"{givenUnit}\"");
        var rows = Required(table, "values", path + ".values");
        if (rows.ValueKind != JsonValueKind.Array || rows.GetArrayLength() != widths.Length)
            throw Error(path + ".values", $"an array of {widths.Length} rows (one per width)", Shown(rows));
        var result = new double[widths.Length, depths.Length];
        for (int i = 0; i < widths.Length; i++)
        {
            var row = rows[i];
            string rowPath = $"{path}.values[{i}]";
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != depths.Length)
                throw Error(rowPath, $"an array of {depths.Length} numbers (one per depth)", Shown(row));
            for (int j = 0; j < depths.Length; j++)
            {
                string at = $"{rowPath}[{j}]";
                double v = Positive(row[j], at);
                // A bigger array must never cost less: the interpolation's monotonicity rests on it.
                if (j > 0 && v < result[i, j - 1])
                    throw Error(at, $">= the value at the smaller depth {depths[j - 1]} ({Num(result[i, j - 1])})", Num(v));
                if (i > 0 && v < result[i - 1, j])
                    throw Error(at, $">= the value at the narrower width {widths[i - 1]} ({Num(result[i - 1, j])})", Num(v));
                result[i, j] = v;
            }
        }
        return result;
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Shown(JsonElement e)
    {
        string kind = e.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "the string",
            JsonValueKind.Number => "the number",
            JsonValueKind.True or JsonValueKind.False => "the boolean",
            JsonValueKind.Null => "null",
            _ => e.ValueKind.ToString(),
        };
        if (e.ValueKind is JsonValueKind.Null) return kind;
        string raw = e.GetRawText().ReplaceLineEndings(" ");
        return $"{kind} {(raw.Length <= 40 ? raw : raw[..37] + "...")}";
    }
}
