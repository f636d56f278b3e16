using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EieHdl.Config;

/// <summary>
/// The spelling of a config field's enum value in JSON and on the command line: the member's
/// <see cref="JsonStringEnumMemberNameAttribute"/> if it has one, else its name in snake_case.
/// A name, not a number, so that files do not depend on declaration order.
/// </summary>
public static class ConfigEnum
{
    /// <summary>The names of <paramref name="type"/>'s values in declaration order.</summary>
    public static IReadOnlyList<string> Names(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .OrderBy(f => f.MetadataToken)
            .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(f.Name))
            .ToArray();

    /// <summary>The name of <paramref name="value"/>, or its number if it is no member.</summary>
    public static string Name<T>(T value) where T : struct, Enum =>
        Enum.IsDefined(value) ? ConfigEnumConverter<T>.NameOf(value) : value.ToString("D");

    /// <summary>The one-line error for a value of field <paramref name="field"/> that is none of its names.</summary>
    public static EieInputException NotOneOf(string source, string field, Type type, string got) =>
        new($"{source}: {field} must be one of {string.Join(", ", Names(type))}, got {got}");

    /// <summary>Refuses a value that is no member of its enum (a cast number).</summary>
    public static void Check<T>(string source, string field, T value) where T : struct, Enum
    {
        if (!Enum.IsDefined(value)) throw NotOneOf(source, field, typeof(T), Name(value));
    }
}

/// <summary>
/// Reads a config enum from exactly one of its names (<see cref="ConfigEnum"/>; case is
/// ignored) and writes it by its name. Numbers, blanks and comma-joined lists are refused,
/// which <see cref="JsonStringEnumConverter"/> would read as a value.
/// </summary>
public sealed class ConfigEnumConverter<T> : JsonConverter<T> where T : struct, Enum
{
    private static readonly IReadOnlyList<string> Names = ConfigEnum.Names(typeof(T));
    private static readonly T[] Values = typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static)
        .OrderBy(f => f.MetadataToken).Select(f => (T)f.GetValue(null)!).ToArray();

    /// <summary>The name of a member of <typeparamref name="T"/>.</summary>
    public static string NameOf(T value) => Names[Array.IndexOf(Values, value)];

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException($"{typeof(T).Name} must be a name");
        string text = reader.GetString()!;
        for (int i = 0; i < Names.Count; i++)
            if (string.Equals(Names[i], text, StringComparison.OrdinalIgnoreCase)) return Values[i];
        throw new JsonException($"{typeof(T).Name} has no value '{text}'");
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        if (!Enum.IsDefined(value)) throw new JsonException($"{typeof(T).Name} has no value {value}");
        writer.WriteStringValue(NameOf(value));
    }
}
