using EieHdl.Hardware;
using EieHdl.Processes;
using EieHdl.Tests.Fpga;
using EieHdl.Tests.Hardware;
using Xunit.Abstractions;

namespace EieHdl.Tests.Board;

/// <summary>
/// The same end-to-end run in a second simulator: Icarus, with the plain-Verilog PC of
/// <see cref="BoardTestbench"/> feeding a byte script to the iCEBreaker top's uart_rx_i and
/// writing what comes back on uart_tx_o to a file, which must decode to the golden outputs.
/// </summary>
public sealed class BoardIcarusTests(ITestOutputHelper output)
{
    [Fact]
    public void TheIcarusTestbenchRunsALayerBitExact()
    {
        var config = FpgaTestConfigs.Small;
        var board = BoardRtl.Generate(config, global::EieHdl.Hardware.Board.IceBreaker, BoardSimFixture.Baud);
        var (image, input, expected) = BoardUartSimTests.RandomCase(config, 3);
        var protocol = new UartHostProtocol(config);
        var frames = new List<UartFrame> { UartHostProtocol.Ident(), UartHostProtocol.Status() };
        frames.AddRange(protocol.LoadModel(image));
        frames.AddRange(protocol.LoadInput(input));
        frames.Add(protocol.Start());
        frames.Add(UartHostProtocol.Wait());
        frames.Add(protocol.ReadCycles());
        frames.AddRange(protocol.ReadOutputs(image.Layers[^1].Outputs, image.Layers.Count));
        frames.Add(UartHostProtocol.Status());
        string script = BoardTestbench.Script(frames);
        int words = script.Count(c => c == '\n');

        var folder = Directory.CreateTempSubdirectory("eiehdl-board-tb-").FullName;
        try
        {
            board.WriteTo(folder);
            File.WriteAllText(Path.Combine(folder, BoardTestbench.ScriptFile), script);
            File.WriteAllText(Path.Combine(folder, BoardTestbench.Module + ".v"), BoardTestbench.Verilog(board.Top, words, 2_000_000));
            var files = board.Rtl.Modules.Select(m => m.Name).Append(BoardTestbench.Module + ".v").ToArray();
            ToolAssert.CompileClean(RtlTools.Icarus(folder, files, BoardTestbench.Module));
            var run = RtlTools.Run("vvp", ["-n", "sim.vvp"], folder, TimeSpan.FromMinutes(20));
            output.WriteLine(run.Output.Trim());
            Assert.True(run.Ok && run.Output.Contains($"{BoardTestbench.Module}: done", StringComparison.Ordinal), run.ToString());

            var replies = File.ReadAllLines(Path.Combine(folder, BoardTestbench.RepliesFile))
                .Select(l => Convert.ToByte(l, 16)).ToArray();
            int outputs = expected.Length, actBytes = protocol.ActBytes;
            Assert.Equal(4 + 1 + 1 + 4 + outputs * actBytes + 1, replies.Length);
            Assert.Equal(protocol.ExpectedIdent, replies[..4]);
            var status = UartStatus.Decode(replies[5]);
            Assert.True(status.Done && !status.Busy && !status.Error, status.ToString());
            long cycles = (long)UartHostProtocol.DecodeWord(replies.AsSpan(6, 4));
            Assert.Equal(new global::EieHdl.CycleModel.EieCycleModel(image).Run(input).Cycles, cycles);
            for (int i = 0; i < outputs; i++)
            {
                int got = protocol.DecodeAct(replies.AsSpan(10 + i * actBytes, actBytes));
                Assert.True(expected[i] == got, $"output {i}: Icarus {got}, golden {expected[i]}");
            }
            Assert.False(UartStatus.Decode(replies[^1]).Dropped);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
