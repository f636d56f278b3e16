namespace EieHdl.Simulation.Testbench;

/// <summary>The text of sim/eie_tb.v, embedded in the assembly so that a testbench bundle needs no repository.</summary>
public static class TestbenchSource
{
    private const string ResourceName = "EieHdl.Sim.eie_tb.v";

    private static readonly Lazy<string> Loaded = new(() =>
    {
        using var stream = typeof(TestbenchSource).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"sim/eie_tb.v is not embedded (resource {ResourceName})");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>sim/eie_tb.v, byte for byte.</summary>
    public static string Text => Loaded.Value;
}
