using System.Diagnostics;
using EieHdl.Simulation.Testbench;
using EieHdl.Tests.Processes;
using Xunit.Abstractions;

namespace EieHdl.Tests.Sim;

/// <summary>The portable Verilog testbench (sim/eie_tb.v) under Icarus and Verilator.</summary>
public class TestbenchTests(ITestOutputHelper output)
{
    [Fact]
    public void ARunThatOutlastsItsWaitFailsWithATimeout()
    {
        var (image, input, expected) = SimCase.Case.Value;
        using var scratch = new Scratch();
        var folder = Path.Combine(scratch.Path, "short");
        // Three cycles cannot hold a layer's codebook stream, so done_o is still 0 when the wait ends.
        TestbenchWriter.Write(folder, SimCase.Config, image, input, expected, maxCycles: 3);
        var result = RunScript(folder, "iverilog");
        output.WriteLine(result.Output);
        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"(?m)^FAIL timeout: done_o still 0 after 3 cycles \(transaction [0-9]+\)$", result.Output);
        Assert.DoesNotContain("PASS", result.Output);
    }

    [Fact]
    public void LinesHaveTheDocumentedFixedWidth()
    {
        var (image, input, expected) = SimCase.Case.Value;
        var (ad, dd) = TestbenchWriter.FieldDigits(SimCase.Config);
        var transactions = TestbenchWriter.Transactions(SimCase.Config, image, input, expected);
        var lines = transactions.Select(t => TestbenchWriter.FormatLine(t, ad, dd)).ToArray();
        Assert.All(lines, l => Assert.Equal(1 + ad + 2 * dd, l.Length));
        Assert.Equal(expected.Length, transactions.Count(t => t.Kind == TbKind.ReadExpect));
        Assert.Equal(TbKind.End, transactions[^1].Kind);
        var read = transactions.First(t => t.Kind == TbKind.ReadExpect);
        Assert.Equal(((ulong)expected[0] & 0xffff).ToString("x" + dd), lines[Array.IndexOf(transactions.ToArray(), read)][(1 + ad + dd)..]);
    }

    [Theory]
    [InlineData("iverilog")]
    [InlineData("verilator")]
    public void PassesAndReportsACorruptedExpectedValue(string simulator)
    {
        var (image, input, expected) = SimCase.Case.Value;
        using var scratch = new Scratch();
        var clock = Stopwatch.StartNew();

        var good = Path.Combine(scratch.Path, "good");
        TestbenchWriter.Write(good, SimCase.Config, image, input, expected);
        var pass = RunScript(good, simulator);
        output.WriteLine($"{simulator} good: {clock.Elapsed.TotalSeconds:F1} s\n{pass.Output}");
        Assert.True(pass.ExitCode == 0, pass.Output);
        Assert.Matches($@"(?m)^PASS {expected.Length} outputs, [1-9][0-9]* cycles$", pass.Output);

        // Corrupt output 5 (PE 1): the testbench must name it. Only the transaction file changes,
        // so the Verilator binary is reused (its make finds nothing to do).
        const int bad = 5;
        var corrupted = expected.ToArray();
        corrupted[bad] ^= 0x40;
        var transactions = TestbenchWriter.Transactions(SimCase.Config, image, input, corrupted);
        var (ad, dd) = TestbenchWriter.FieldDigits(SimCase.Config);
        File.WriteAllLines(Path.Combine(good, TestbenchWriter.TransactionsFile), transactions.Select(t => TestbenchWriter.FormatLine(t, ad, dd)));
        var fail = RunScript(good, simulator);
        output.WriteLine($"{simulator} corrupted: {clock.Elapsed.TotalSeconds:F1} s\n{fail.Output}");
        Assert.Equal(1, fail.ExitCode);
        Assert.Contains($"MISMATCH output {bad} (PE {bad % SimCase.Config.Pes}): expected", fail.Output);
        Assert.Matches($@"(?m)^FAIL 1 of {expected.Length} outputs differ, first output {bad} \(PE 1\): expected {corrupted[bad]}, got {expected[bad]}; [1-9][0-9]* cycles$", fail.Output);
    }

    private static (int ExitCode, string Output) RunScript(string folder, string simulator)
    {
        var script = simulator == "iverilog" ? TestbenchWriter.IverilogScript : TestbenchWriter.VerilatorScript;
        var start = new ProcessStartInfo("sh");
        start.ArgumentList.Add(Path.Combine(folder, script));
        // The C++ of a 9-output run needs no optimisation; -O0 roughly halves the build.
        start.Environment["VERILATOR_OPT"] = "-O0";
        var (exitCode, stdout, stderr) = ChildRun.Run(start, TimeSpan.FromMinutes(30));
        return (exitCode, stdout + stderr);
    }
}

/// <summary>A temporary folder, removed afterwards.</summary>
internal sealed class Scratch : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("eiehdl-sim-").FullName;
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
