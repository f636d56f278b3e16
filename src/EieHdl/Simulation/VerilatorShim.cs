using System.Globalization;
using Scriban.Runtime;

using EieHdl.Hardware;

namespace EieHdl.Simulation;

/// <summary>
/// The C++ shim compiled into every Verilated model library: plain <c>extern "C"</c> functions
/// (<c>eiehdl_sim_*</c>) that create and destroy an instance, each with its own
/// VerilatedContext, evaluate it, tick a clock, set and read ports by index and, in a trace
/// build, write an FST file. Rendered from the embedded template
/// <c>templates/sim/verilator_shim.cpp.sbn</c> with the top's port list.
/// </summary>
public static class VerilatorShim
{
    public const string TemplateName = "verilator_shim.cpp.sbn";

    /// <summary>Version of the C entry points; the shim reports it through <c>eiehdl_sim_abi</c>.</summary>
    public const int Abi = 2;

    /// <summary>Prefix of every exported symbol; the linker version script keeps only these.</summary>
    public const string SymbolPrefix = "eiehdl_sim_";

    /// <summary>The template's text; part of the build cache key, since it decides the shim.</summary>
    public static string TemplateText => TemplateRenderer.Text(TemplateName);

    /// <summary>The shim for <paramref name="top"/> with <paramref name="ports"/> (header order).</summary>
    public static string Render(string top, IReadOnlyList<VerilatedPort> ports, bool trace)
    {
        var portObjects = new ScriptArray();
        foreach (var p in ports)
        {
            portObjects.Add(new ScriptObject
            {
                ["index"] = p.Index,
                ["name"] = p.Name,
                ["width"] = p.Width,
                ["dir_code"] = (int)p.Direction,
                ["is_input"] = p.IsInput,
                ["is_wide"] = p.IsWide,
                ["words"] = p.Words,
                ["c_type"] = p.CType,
                ["mask"] = p.IsWide ? "" : Hex(p.Width >= 64 ? ulong.MaxValue : (1UL << p.Width) - 1),
                ["top_word_mask"] = Hex(p.Width % 32 == 0 ? uint.MaxValue : (1U << (p.Width % 32)) - 1),
            });
        }
        var globals = new ScriptObject
        {
            ["top"] = top,
            ["ports"] = portObjects,
            ["port_count"] = ports.Count,
            ["trace"] = trace,
        };
        return TemplateRenderer.Render(TemplateName, globals);
    }

    /// <summary>GNU ld version script exporting the shim's symbols only.</summary>
    public static string VersionScript => "{\n  global: " + SymbolPrefix + "*;\n  local: *;\n};\n";

    private static string Hex(ulong value) => "0x" + value.ToString("X", CultureInfo.InvariantCulture) + "ULL";
}
