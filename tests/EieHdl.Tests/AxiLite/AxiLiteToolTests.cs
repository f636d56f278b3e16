using EieHdl.Config;
using EieHdl.Processes;
using EieHdl.Simulation.Testbench;
using EieHdl.Tests.Cli;
using EieHdl.Tests.Hardware;
using EieHdl.Tests.Sim;
using Xunit.Abstractions;

namespace EieHdl.Tests.AxiLite;

/// <summary>
/// The AXI4-Lite eie_top under the external tools: Verilator -Wall lint clean at 4 PEs, and the
/// portable testbench (Icarus) bit-exact through AXI4-Lite with its in-testbench protocol checker,
/// which fails a bridge that drops BVALID before BREADY.
/// </summary>
public class AxiLiteToolTests(ITestOutputHelper output)
{
    [Fact]
    public void FourPesWithAxiLiteLintCleanAndCompileUnderIcarus()
    {
        using var scratch = new ScratchFolder();
        var generate = CliRunner.Run(scratch.Path, "generate", "--pes", "4", "--set", "HostBus=axi4lite", "--out", "rtl");
        Assert.True(generate.ExitCode == 0, generate.Stderr);
        var top = File.ReadAllText(Path.Combine(scratch["rtl"], "eie_top.v"));
        Assert.Contains("eie_axil_host u_axil_host", top);
        Assert.Contains("input  wire [21:0] s_axil_awaddr", top);
        Assert.DoesNotContain("host_valid_i", top[..top.IndexOf(");", StringComparison.Ordinal)]);
        ToolAssert.LintClean(RtlTools.Run("verilator",
            ["--lint-only", "-Wall", "--default-language", "1364-2005", "--top-module", "eie_top", "-f", "rtl/eie.f"], scratch.Path));
        ToolAssert.CompileClean(RtlTools.Run("iverilog", ["-g2005", "-Wall", "-s", "eie_top", "-o", "sim.vvp", "-c", "rtl/eie.f"], scratch.Path));
    }

    [Fact]
    public void TheIcarusTestbenchPassesThroughAxiLiteAndItsCheckerCatchesADroppedBvalid()
    {
        var config = (SimCase.Config with { HostBus = HostBus.AxiLite }).Validate();
        var (image, input, expected) = SimCase.Case.Value;
        using var scratch = new Scratch();
        var good = Path.Combine(scratch.Path, "good");
        TestbenchWriter.Write(good, config, image, input, expected);
        Assert.Contains("s_axil_awvalid", File.ReadAllText(Path.Combine(good, TestbenchWriter.TestbenchFile)));
        var pass = TestbenchTests.RunScript(good, "iverilog");
        output.WriteLine(pass.Output);
        Assert.True(pass.ExitCode == 0, pass.Output);
        Assert.Matches($@"(?m)^PASS {expected.Length} outputs, [1-9][0-9]* cycles, [1-9][0-9]* AXI writes, {expected.Length + 1} AXI reads$", pass.Output);
        Assert.DoesNotContain("AXI CHECK", pass.Output);

        // The bridge leaves its write response after one cycle whatever BREADY says.
        var bad = Path.Combine(scratch.Path, "bad");
        TestbenchWriter.Write(bad, config, image, input, expected);
        string bridge = Path.Combine(bad, "eie_axil_host.v");
        string text = File.ReadAllText(bridge);
        const string held = "StB: if (s_axil_bready) state_q <= StIdle;";
        Assert.Contains(held, text);
        File.WriteAllText(bridge, text.Replace(held, "StB: state_q <= StIdle;", StringComparison.Ordinal));
        var fail = TestbenchTests.RunScript(bad, "iverilog");
        output.WriteLine(fail.Output);
        Assert.Equal(1, fail.ExitCode);
        Assert.Contains("AXI CHECK at", fail.Output);
        Assert.Contains("BVALID dropped before BREADY", fail.Output);
        Assert.Matches(@"(?m)^FAIL [1-9][0-9]* AXI4-Lite protocol violations$", fail.Output);
    }
}
