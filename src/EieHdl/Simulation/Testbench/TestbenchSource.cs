using EieHdl.Config;

namespace EieHdl.Simulation.Testbench;

/// <summary>
/// The testbench sources (sim/eie_tb.v, sim/eie_tb_axil.v and the eie_tb_common.vh both
/// `include), embedded in the assembly so that a testbench bundle needs no repository.
/// </summary>
public static class TestbenchSource
{
    private static readonly Lazy<string> Simple = new(() => Load("eie_tb.v"));
    private static readonly Lazy<string> AxiLite = new(() => Load("eie_tb_axil.v"));
    private static readonly Lazy<string> Common = new(() => Load(CommonFile));

    /// <summary>The include shared by both testbenches, under the name they `include it by.</summary>
    public const string CommonFile = "eie_tb_common.vh";

    private static string Load(string file)
    {
        string resource = "EieHdl.Sim." + file;
        using var stream = typeof(TestbenchSource).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"sim/{file} is not embedded (resource {resource})");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>sim/eie_tb.v (the simple host bus), byte for byte.</summary>
    public static string Text => Simple.Value;

    /// <summary>sim/eie_tb_common.vh, byte for byte.</summary>
    public static string CommonText => Common.Value;

    /// <summary>The testbench for <paramref name="config"/>'s host bus: sim/eie_tb.v, or sim/eie_tb_axil.v for AXI4-Lite.</summary>
    public static string For(EieConfig config) => config.IsAxiLite ? AxiLite.Value : Simple.Value;
}
