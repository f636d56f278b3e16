using System.Globalization;
using System.Text;
using EieHdl.Config;
using EieHdl.Hardware;

namespace EieHdl.Simulation.Testbench;

/// <summary>One group of a GTKWave save file: a title and full signal names as the VCD spells them.</summary>
public sealed record WaveGroup(string Title, IReadOnlyList<string> Signals);

/// <summary>
/// The GTKWave save file of the testbench bundle (<c>eie_tb.gtkw</c>): the host bus of
/// <c>eie_top</c> and the act queue, ptr read, spmat read and arithmetic unit ports of PE 0,
/// one group each. The signals come from the units' own <see cref="Port"/> lists and their
/// instance paths under <c>eie_tb.dut</c>, so a port a unit gains or loses follows here.
/// </summary>
public static class WaveSave
{
    public const string FileName = "eie_tb.gtkw";
    public const string DefaultDump = "eie_tb.vcd";

    /// <summary>The scope of PE <paramref name="pe"/> in a dump of eie_tb (the generate block of eie_top).</summary>
    public static string PeScope(int pe) => string.Create(CultureInfo.InvariantCulture, $"eie_tb.dut.g_pe[{pe}].u_pe");

    /// <summary>The groups, in display order.</summary>
    public static IReadOnlyList<WaveGroup> Groups(EieConfig config)
    {
        var groups = new List<WaveGroup>
        {
            new("Host bus", new Top(config).Ports.Select(p => "eie_tb.dut." + Name(p)).ToList()),
        };
        // Clock and reset are the host bus's; each PE unit's group shows its datapath ports.
        var shown = new[] { typeof(ActQueue), typeof(PtrRead), typeof(SpmatRead), typeof(ArithUnit) };
        foreach (var unit in new Pe(config).Units.Where(u => shown.Contains(u.GetType())))
        {
            var scope = PeScope(0) + ".u_" + unit.ModuleName["eie_".Length..];
            groups.Add(new($"PE 0 {unit.ModuleName["eie_".Length..].Replace('_', ' ')}",
                unit.Ports.Where(p => p.Name is not ("clk_i" or "rst_ni")).Select(p => scope + "." + Name(p)).ToList()));
        }
        return groups;
    }

    /// <summary>A port's name in the save file: GTKWave names a vector with its range, as Icarus's VCD declares it.</summary>
    private static string Name(Port p) => p.Name + (p.WidthExpression is null ? p.Range : VerilogText.Range(p.Width));

    /// <summary>The save file's text: one collapsed-open group per <see cref="Groups"/> entry, vectors in hex.</summary>
    public static string Text(EieConfig config)
    {
        var s = new StringBuilder();
        s.Append("[*] GTKWave save file written by EieHdl for eie_tb (see sim/README.md)\n");
        s.Append("[*] open with: gtkwave ").Append(DefaultDump).Append(' ').Append(FileName).Append('\n');
        s.Append("[dumpfile] \"").Append(DefaultDump).Append("\"\n");
        s.Append("[timestart] 0\n");
        foreach (var g in Groups(config))
        {
            s.Append("@800200\n-").Append(g.Title).Append('\n');
            foreach (var signal in g.Signals)
                s.Append(signal.EndsWith(']') ? "@22\n" : "@28\n").Append(signal).Append('\n');
            s.Append("@1000200\n-").Append(g.Title).Append('\n');
        }
        return s.ToString();
    }
}
