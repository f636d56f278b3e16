using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace EieHdl.Config;

/// <summary>
/// Loads an <see cref="EieConfig"/> from a JSON file plus command-line overrides. Every field
/// is optional (absent fields keep the record's defaults), and every mistake - a misspelt
/// field, a wrong type, broken JSON, a value out of range - is one
/// <see cref="EieInputException"/> line naming the file, the field and the value.
/// </summary>
public static class ConfigLoader
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>The settable configuration fields, keyed case-insensitively to their record spelling.</summary>
    private static readonly Dictionary<string, JsonPropertyInfo> Fields = Options
        .GetTypeInfo(typeof(EieConfig)).Properties
        .Where(p => p.Set is not null)
        .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    private static readonly string KnownFields = string.Join(", ", Fields.Values.Select(p => p.Name));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            WriteIndented = true,
            // Fixed so that ToJson gives the same bytes on every OS.
            NewLine = "\n",
            IndentSize = 2,
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Loads and validates a config file.</summary>
    public static EieConfig Load(string path) => Load(path, null);

    /// <summary>
    /// Loads <paramref name="path"/> (or starts from the defaults when it is null), applies
    /// <paramref name="overrides"/> by field name on top of it, then validates the result.
    /// </summary>
    public static EieConfig Load(string? path, IReadOnlyDictionary<string, int>? overrides) => Load(path, overrides, null);

    /// <summary>
    /// As <see cref="Load(string?, IReadOnlyDictionary{string, int}?)"/>, then the
    /// <c>--set Field=Value</c> settings in order: a value is read as JSON (a number, true,
    /// false) unless the field is a string or an enum, whose value is the text itself. A field
    /// may be set once, by <paramref name="overrides"/> or by one setting.
    /// </summary>
    public static EieConfig Load(string? path, IReadOnlyDictionary<string, int>? overrides, IReadOnlyList<string>? settings)
    {
        // Canonical field name -> value, so a file's "pes" and an override "Pes" meet.
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (path is not null) ReadFile(path, values);

        var applied = new List<string>();
        var setOnCommandLine = new HashSet<string>(StringComparer.Ordinal);
        if (overrides is { Count: > 0 })
            foreach (var (name, value) in overrides)
            {
                var field = Find("command line", name);
                var element = JsonSerializer.SerializeToElement(value, Options);
                CheckType("command line", field, element);
                values[field.Name] = element;
                setOnCommandLine.Add(field.Name);
                applied.Add(string.Create(CultureInfo.InvariantCulture, $"{name}={value}"));
            }

        foreach (string setting in settings ?? [])
        {
            int eq = setting.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new EieInputException($"--set: must be Field=Value (a config field, '=', its value), got '{setting}'");
            var field = Find("--set", setting[..eq].Trim());
            string text = setting[(eq + 1)..].Trim();
            if (!setOnCommandLine.Add(field.Name))
                throw new EieInputException($"--set: field '{field.Name}' must be set once on the command line, got it again in '{setting}'");
            var element = SettingValue(field, text);
            CheckType("--set", field, element);
            values[field.Name] = element;
            applied.Add($"{field.Name}={text}");
        }

        var obj = new JsonObject();
        foreach (var (name, value) in values) obj[name] = JsonNode.Parse(value.GetRawText());
        var config = obj.Deserialize<EieConfig>(Options)
            ?? throw new InvalidOperationException("a JSON object deserialised to null");

        string source = path ?? "defaults";
        if (applied.Count > 0) source += " with overrides " + string.Join(", ", applied);
        return config.Validate(source);
    }

    /// <summary>The JSON value of a --set: the text as a JSON string for a string or enum field, else parsed as JSON.</summary>
    private static JsonElement SettingValue(JsonPropertyInfo field, string text)
    {
        var type = Nullable.GetUnderlyingType(field.PropertyType) ?? field.PropertyType;
        if (type != typeof(string) && !type.IsEnum)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                if (doc.RootElement.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) return doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Not a JSON literal: passed on as text, so the type check names the field and shows it.
            }
        }
        return JsonSerializer.SerializeToElement(text, Options);
    }

    /// <summary>
    /// The configuration fields as indented JSON in declaration order; derived quantities are
    /// left out, so the output loads back into an equal config.
    /// </summary>
    public static string ToJson(EieConfig config) => JsonSerializer.Serialize(config, Options);

    private static void ReadFile(string path, Dictionary<string, JsonElement> values)
    {
        if (path.Length == 0) throw new EieInputException("--config: must name a file, got an empty name");
        string text = IO.InputFile.ReadText(path, ReadBounded);

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions
            {
                // Hand-edited config files benefit from comments and a forgiving last comma.
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (JsonException e)
        {
            throw new EieInputException(
                $"{path}: malformed JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {Reason(e)}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new EieInputException($"{path}: top level must be a JSON object, got {Kind(root)}");
            foreach (var property in root.EnumerateObject())
            {
                var field = Find(path, property.Name);
                if (values.ContainsKey(field.Name))
                    throw new EieInputException($"{path}: field '{field.Name}' must appear once, got it again as '{property.Name}'");
                CheckType(path, field, property.Value);
                values[field.Name] = property.Value.Clone();
            }
        }
    }

    // A config is a few hundred bytes; the cap keeps a wrong path (a device, a huge file) from
    // being read without end.
    private const int MaxConfigBytes = 1 << 20;

    private static string ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        var buffer = new byte[MaxConfigBytes + 1];
        int length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (length > MaxConfigBytes)
            throw new EieInputException($"{path}: a config file must be at most {MaxConfigBytes} bytes, got more");
        return new System.Text.UTF8Encoding(false).GetString(buffer, 0, length).TrimStart('\uFEFF');
    }

    private static JsonPropertyInfo Find(string source, string name) =>
        Fields.TryGetValue(name, out var field) ? field
            : throw new EieInputException($"{source}: unknown field '{name}'; known fields: {KnownFields}");

    /// <summary>Deserialises one field on its own so a type error can name the field.</summary>
    private static void CheckType(string source, JsonPropertyInfo field, JsonElement value)
    {
        try
        {
            if (value.ValueKind == JsonValueKind.Null && field.PropertyType.IsValueType)
                throw new JsonException("null");
            value.Deserialize(field.PropertyType, Options);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            var type = Nullable.GetUnderlyingType(field.PropertyType) ?? field.PropertyType;
            if (type.IsEnum)
                throw ConfigEnum.NotOneOf(source, field.Name, type, value.ValueKind == JsonValueKind.String ? Quoted(value.GetString()!) : Shown(value));
            throw new EieInputException(
                $"{source}: field '{field.Name}' must be {Describe(field.PropertyType)}, got {Shown(value)}");
        }
    }

    private static string Describe(Type type) =>
        type == typeof(int) ? $"an integer in [{int.MinValue}, {int.MaxValue}]"
        : type == typeof(long) ? "a 64-bit integer"
        : type == typeof(bool) ? "true or false"
        : type == typeof(string) ? "a string"
        : type == typeof(double) ? "a number"
        : $"a {type.Name}";

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "the number",
        JsonValueKind.True or JsonValueKind.False => "the boolean",
        JsonValueKind.Null => "null",
        _ => e.ValueKind.ToString(),
    };

    /// <summary>A string value in quotes, on one line and at most 40 characters.</summary>
    private static string Quoted(string text)
    {
        text = text.ReplaceLineEndings(" ");
        return $"'{(text.Length <= 40 ? text : text[..37] + "...")}'";
    }

    private static string Shown(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Null) return "null";
        string raw = e.GetRawText().ReplaceLineEndings(" ");
        return $"{Kind(e)} {(raw.Length <= 40 ? raw : raw[..37] + "...")}";
    }

    /// <summary>The parser's reason without the position suffix it appends, which we report ourselves.</summary>
    private static string Reason(JsonException e)
    {
        string m = e.Message;
        int cut = m.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0) cut = m.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut >= 0 ? m[..cut] : m).Trim().ReplaceLineEndings(" ");
    }
}
