using EieHdl.Tests.Cli;
using EieHdl.Tests.Sim;
using Xunit.Abstractions;

namespace EieHdl.Tests.AxiLite;

/// <summary>`eiehdl cosim` of a model compressed with HostBus axi4lite: the run goes through AXI4-Lite
/// under the protocol monitor, and the testbench it writes passes under Icarus through AXI4-Lite too.</summary>
public class AxiLiteCosimCommandTests(ITestOutputHelper output)
{
    [Fact]
    public void CosimOfAnAxiLiteModelIsBitExactAndItsTestbenchPasses()
    {
        using var dir = CosimCommandTests.CompressedModel(out _, "HostBus=axi4lite");
        var run = CliRunner.Run(dir.Path, "cosim", "--model", "model", "--input", "x.npy", "--testbench", "tb");
        output.WriteLine(run.Stdout + run.Stderr);
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);
        Assert.Matches(@"AXI4-Lite protocol monitor: [1-9][0-9]* writes and 10 reads, every handshake rule held", run.Stderr);
        Assert.Contains("s_axil_awvalid", File.ReadAllText(Path.Combine(dir["tb"], "eie_top.v")));
        var tb = TestbenchTests.RunScript(dir["tb"], "iverilog");
        output.WriteLine(tb.Output);
        Assert.True(tb.ExitCode == 0, tb.Output);
        Assert.Matches($@"(?m)^PASS {SimCase.Outputs} outputs, [1-9][0-9]* cycles, [1-9][0-9]* AXI writes, {SimCase.Outputs + 1} AXI reads$", tb.Output);
    }
}
