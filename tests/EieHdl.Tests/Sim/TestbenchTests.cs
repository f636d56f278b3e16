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
    public void TheEmbeddedSourcesAreTheFilesUnderSim()
    {
        string sim = Path.Combine(EieHdl.Tests.Fpga.FpgaTestConfigs.RepoRoot, "sim");
        Assert.Equal(File.ReadAllText(Path.Combine(sim, "eie_tb.v")), TestbenchSource.Text);
        Assert.Equal(File.ReadAllText(Path.Combine(sim, "eie_tb_axil.v")), TestbenchSource.For(SimCase.Config with { HostBus = EieHdl.Config.HostBus.AxiLite }));
        Assert.Equal(File.ReadAllText(Path.Combine(sim, TestbenchSource.CommonFile)), TestbenchSource.CommonText);
        // Both testbenches hold only their bus side and take the rest from the shared include.
        foreach (var bench in new[] { "eie_tb.v", "eie_tb_axil.v" })
        {
            string text = File.ReadAllText(Path.Combine(sim, bench));
            Assert.Contains($"`include \"{TestbenchSource.CommonFile}\"", text);
            Assert.DoesNotContain("$readmemh", text);
        }
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

    [Fact]
    public void DumpsAVcdOnlyOnThePlusargAndTheSaveFileNamesItsSignals()
    {
        var (image, input, expected) = SimCase.Case.Value;
        using var scratch = new Scratch();
        var folder = Path.Combine(scratch.Path, "waves");
        var bundle = TestbenchWriter.Write(folder, SimCase.Config, image, input, expected);
        Assert.Contains(WaveSave.FileName, bundle.Files);

        var quiet = RunScript(folder, "iverilog");
        Assert.True(quiet.ExitCode == 0, quiet.Output);
        Assert.DoesNotContain("dumpfile", quiet.Output);
        Assert.Empty(Directory.GetFiles(folder, "*.vcd"));

        var dumped = RunScript(folder, "iverilog", "+vcd");
        output.WriteLine(dumped.Output);
        Assert.True(dumped.ExitCode == 0, dumped.Output);
        Assert.Matches($@"(?m)^PASS {expected.Length} outputs, [1-9][0-9]* cycles$", dumped.Output);
        var vcd = VcdSignals(Path.Combine(folder, WaveSave.DefaultDump));
        foreach (var host in new[] { "clk_i", "rst_ni", "host_valid_i", "host_we_i", "done_o" })
            Assert.Contains("eie_tb.dut." + host, vcd);
        foreach (var host in new[] { "host_addr_i", "host_wdata_i", "host_rdata_o" })
            Assert.Contains(vcd, n => n.StartsWith("eie_tb.dut." + host + "[", StringComparison.Ordinal));

        // Every signal the save file shows is in the dump, under the name GTKWave looks up.
        var groups = WaveSave.Groups(SimCase.Config);
        Assert.Equal(5, groups.Count);
        Assert.All(groups, g => Assert.NotEmpty(g.Signals));
        foreach (var signal in groups.SelectMany(g => g.Signals))
            Assert.True(vcd.Contains(signal), $"{signal} is not in the VCD");
        var saved = File.ReadAllText(Path.Combine(folder, WaveSave.FileName));
        output.WriteLine(saved);
        Assert.All(groups.SelectMany(g => g.Signals), s => Assert.Contains("\n" + s + "\n", saved));

        var named = RunScript(folder, "iverilog", "+vcd=named.vcd");
        Assert.True(named.ExitCode == 0, named.Output);
        Assert.Contains("eie_tb.dut.host_we_i", VcdSignals(Path.Combine(folder, "named.vcd")));
    }

    /// <summary>Full names of a VCD's variables: scopes joined by dots, then the name and its range, if any.</summary>
    private static HashSet<string> VcdSignals(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var scopes = new List<string>();
        var names = new HashSet<string>();
        foreach (var line in File.ReadLines(path))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 0) continue;
            if (f[0] == "$enddefinitions") break;
            if (f[0] == "$scope") scopes.Add(f[2]);
            else if (f[0] == "$upscope") scopes.RemoveAt(scopes.Count - 1);
            else if (f[0] == "$var")
                names.Add(string.Join('.', scopes) + "." + f[4] + (f[5] == "$end" ? "" : f[5]));
        }
        return names;
    }

    internal static (int ExitCode, string Output) RunScript(string folder, string simulator, params string[] args)
    {
        var script = simulator == "iverilog" ? TestbenchWriter.IverilogScript : TestbenchWriter.VerilatorScript;
        var start = new ProcessStartInfo("sh");
        start.ArgumentList.Add(Path.Combine(folder, script));
        foreach (var a in args) start.ArgumentList.Add(a);
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
