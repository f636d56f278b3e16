using System.Collections.Concurrent;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace EieHdl.Hardware;

/// <summary>
/// Renders a <see cref="HardwareUnit"/> through its Scriban template, embedded in this assembly
/// from <c>templates/*.v.sbn</c>. Templates are parsed once per process and shared. Variables
/// are strict, so a misspelt name fails with the template's name instead of printing nothing.
/// </summary>
public static class TemplateRenderer
{
    private const string ResourcePrefix = "EieHdl.Templates.";

    private static readonly ConcurrentDictionary<string, (string Text, Template Parsed)> Cache = new(StringComparer.Ordinal);

    /// <summary>Names of the embedded templates, e.g. <c>eie_act_queue.v.sbn</c>.</summary>
    public static IReadOnlyList<string> TemplateNames { get; } = typeof(TemplateRenderer).Assembly
        .GetManifestResourceNames()
        .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .Select(n => n[ResourcePrefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>
    /// Renders <paramref name="unit"/>. The template sees <c>unit</c> (the unit's template model),
    /// <c>header</c> (the file header comment, ending in a newline), <c>doc</c> (the unit's
    /// documentation, ports and latencies as comment lines, ending in a newline) and
    /// <c>module_head</c> (the <c>module</c> line to the port list's closing <c>);</c>, printed
    /// from the unit's ports), so that a template holds the module's body only.
    /// </summary>
    public static string Render(HardwareUnit unit, string header) => Render(unit.TemplateName, new ScriptObject
    {
        ["unit"] = unit.TemplateModel,
        ["header"] = header,
        ["doc"] = CommentBlock(unit.Doc + "\n\n" + InterfaceText.Comment(unit)),
        ["module_head"] = InterfaceText.ModuleHead(unit.ModuleName, unit.Parameters, unit.Ports),
    });

    /// <summary>Renders the embedded template <paramref name="name"/> with <paramref name="globals"/>, strictly.</summary>
    public static string Render(string name, ScriptObject globals)
    {
        var template = Load(name).Parsed;
        var context = new TemplateContext
        {
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            LoopLimit = 0,
            NewLine = "\n",
        };
        context.PushGlobal(globals);
        try
        {
            return template.Render(context);
        }
        catch (ScriptRuntimeException e)
        {
            throw new InvalidOperationException($"template {name}: {e.Message}", e);
        }
    }

    /// <summary>The text of the embedded template <paramref name="name"/> (line endings normalised).</summary>
    public static string Text(string name) => Load(name).Text;

    /// <summary>Turns plain text into <c>// </c> comment lines; a blank line becomes <c>//</c>.</summary>
    public static string CommentBlock(string text)
    {
        var lines = text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        return string.Concat(lines.Select(l => l.Length == 0 ? "//\n" : "// " + l.TrimEnd() + "\n"));
    }

    /// <summary>
    /// Environment variable naming a folder of templates to render instead of the embedded ones
    /// (found by file name, sub-folders included), so that an edited template can be tried without
    /// rebuilding the assembly: tests/mutation/run.sh renders mutated copies this way.
    /// </summary>
    public const string OverrideVariable = "EIEHDL_TEMPLATES";

    private static (string Text, Template Parsed) Load(string name) => Cache.GetOrAdd(name, static n =>
    {
        var folder = Environment.GetEnvironmentVariable(OverrideVariable);
        var file = string.IsNullOrEmpty(folder) ? null
            : Directory.EnumerateFiles(folder, n, SearchOption.AllDirectories).FirstOrDefault();
        using var stream = file is not null ? File.OpenRead(file)
            : typeof(TemplateRenderer).Assembly.GetManifestResourceStream(ResourcePrefix + n)
            ?? throw new InvalidOperationException(
                $"template {n} is not embedded; templates: {string.Join(", ", TemplateNames)}");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd().ReplaceLineEndings("\n");
        var template = Template.Parse(text, n);
        if (template.HasErrors)
            throw new InvalidOperationException(
                $"template {n}: {string.Join("; ", template.Messages.Select(m => m.ToString()))}");
        return (text, template);
    });
}
