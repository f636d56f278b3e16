using System.Globalization;
using System.Numerics;
using System.Text;
using EieHdl.Processes;

namespace EieHdl.Tests.Hardware;

/// <summary>One port of the device under test as the testbench sees it.</summary>
/// <param name="Name">Port name.</param>
/// <param name="Width">Bits.</param>
/// <param name="ValidGate">For an output: compared only while this 1-bit output is high (0 otherwise).</param>
internal sealed record BenchPort(string Name, int Width, string? ValidGate = null);

/// <summary>
/// A self-checking Icarus testbench: each cycle it applies one stimulus word to the inputs,
/// waits for the combinational logic, compares the outputs with the expected word computed by
/// the C# model, then clocks. Both words come from $readmemh files; the DUT is reset for one
/// cycle first, matching a freshly constructed model.
/// </summary>
internal sealed class CosimBench(string module, IReadOnlyList<BenchPort> inputs, IReadOnlyList<BenchPort> outputs)
{
    private readonly List<BigInteger> _stimulus = [];
    private readonly List<BigInteger> _expected = [];

    public int InputWidth => inputs.Sum(p => p.Width);

    public int OutputWidth => outputs.Sum(p => p.Width);

    /// <summary>Records one cycle; values in port order, each masked to its width.</summary>
    public void Cycle(IReadOnlyList<BigInteger> inputValues, IReadOnlyList<BigInteger> outputValues)
    {
        _stimulus.Add(Pack(inputs, inputValues));
        _expected.Add(Pack(outputs, outputValues));
    }

    /// <summary>Writes the bench and the vectors, compiles and runs it; fails on any mismatch.</summary>
    public void Run(RtlScratch scratch, IEnumerable<string> rtlFiles)
    {
        scratch.Write("stim.hex", Hex(_stimulus, InputWidth));
        scratch.Write("expected.hex", Hex(_expected, OutputWidth));
        scratch.Write("tb.v", Testbench());
        var compile = RtlTools.Icarus(scratch.Folder, [.. rtlFiles, "tb.v"], "tb");
        Assert.True(compile.Ok, compile.ToString());
        var run = RtlTools.Vvp(scratch.Folder);
        Assert.True(run.Ok, run.ToString());
        Assert.Contains($"PASS {_stimulus.Count} cycles", run.Output);
    }

    private static BigInteger Pack(IReadOnlyList<BenchPort> ports, IReadOnlyList<BigInteger> values)
    {
        Assert.Equal(ports.Count, values.Count);
        var word = BigInteger.Zero;
        for (int i = 0; i < ports.Count; i++)
            word = (word << ports[i].Width) | (values[i] & ((BigInteger.One << ports[i].Width) - 1));
        return word;
    }

    private static string Hex(IEnumerable<BigInteger> words, int width)
    {
        int digits = (width + 3) / 4;
        var text = new StringBuilder();
        foreach (var w in words)
        {
            var hex = w.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
            text.Append(hex.PadLeft(digits, '0')).Append('\n');
        }
        return text.ToString();
    }

    private static string Decl(string kind, BenchPort p) =>
        p.Width == 1 ? $"  {kind} {p.Name};" : $"  {kind} [{p.Width - 1}:0] {p.Name};";

    private string Testbench()
    {
        string Gated(BenchPort p) => p.ValidGate is null ? p.Name : $"({p.ValidGate} ? {p.Name} : {p.Width}'d0)";
        var inputConcat = string.Join(", ", inputs.Select(p => p.Name));
        var connections = string.Join(",\n", new[] { "clk_i", "rst_ni" }.Concat(inputs.Concat(outputs).Select(p => p.Name))
            .Select(n => $"    .{n}({n})"));
        return $$"""
            `default_nettype none
            module tb;
              reg clk_i;
              reg rst_ni;
            {{string.Join("\n", inputs.Select(p => Decl("reg", p)))}}
            {{string.Join("\n", outputs.Select(p => Decl("wire", p)))}}
              reg [{{InputWidth - 1}}:0] stim [0:{{_stimulus.Count - 1}}];
              reg [{{OutputWidth - 1}}:0] expected [0:{{_stimulus.Count - 1}}];
              wire [{{OutputWidth - 1}}:0] got = {{{string.Join(", ", outputs.Select(Gated))}}};
              integer t;
              integer errors;

              {{module}} dut (
            {{connections}}
              );

              initial begin
                $readmemh("stim.hex", stim);
                $readmemh("expected.hex", expected);
                errors = 0;
                {{{inputConcat}}} = {{InputWidth}}'d0;
                clk_i = 1'b0;
                rst_ni = 1'b0;
                #1 clk_i = 1'b1;
                #1 clk_i = 1'b0;
                rst_ni = 1'b1;
                for (t = 0; t < {{_stimulus.Count}}; t = t + 1) begin
                  {{{inputConcat}}} = stim[t];
                  #1;
                  if (got !== expected[t]) begin
                    errors = errors + 1;
                    if (errors <= 5) $display("cycle %0d: got %h, expected %h", t, got, expected[t]);
                  end
                  clk_i = 1'b1;
                  #1 clk_i = 1'b0;
                end
                if (errors == 0) $display("PASS %0d cycles", t);
                else $display("FAIL %0d mismatches", errors);
                $finish;
              end
            endmodule
            `default_nettype wire

            """;
    }
}
