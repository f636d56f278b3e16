using EieHdl.Hardware;
using EieHdl.Simulation;
using EieHdl.Tests.Fpga;
using EieHdl.Tests.Simulation;

namespace EieHdl.Tests.Board;

/// <summary>
/// eie_uart_host alone at 100 clocks per bit (115200 baud from 11.52 MHz), verilated, talked to
/// by a PC whose UART runs 4% slow or fast: mid-bit sampling must still read every bit, as
/// eie_uart_rx's header promises.
/// </summary>
[Collection(SimCollection.Name)]
public sealed class UartToleranceTests
{
    private static readonly Lazy<(VerilatedLibrary Library, int Divisor)> Bridge = new(() =>
    {
        var host = new UartHost(FpgaTestConfigs.Small, new UartTiming(11_520_000, 115_200));
        var rtl = RtlGenerator.Generate(FpgaTestConfigs.Small, host);
        var files = rtl.Modules.Where(m => m.Name.StartsWith("eie_uart_", StringComparison.Ordinal)).ToArray();
        return (VerilatedModelBuilder.Build(files, host.ModuleName), host.Timing.Divisor);
    });

    [Theory]
    [InlineData(96)]
    [InlineData(100)]
    [InlineData(104)]
    public void ASenderFourPercentOffIsStillReceived(int hostBitCycles)
    {
        var (library, divisor) = Bridge.Value;
        Assert.Equal(100, divisor);
        using var port = new SimulatedSerialPort(library, divisor, hostBitCycles);
        var protocol = new UartHostProtocol(FpgaTestConfigs.Small);
        int addr = port.Model.Port("host_addr_o"), wdata = port.Model.Port("host_wdata_o");
        foreach (var (address, data) in new[] { (0x5a3UL, 0xa5c3UL), (0x0ffUL, 0x3cUL), (0xc30UL, 0xffffUL) })
        {
            // A write frame's bytes go back to back: each start bit follows the previous stop bit.
            port.Send(protocol.Write(address, data).Bytes);
            port.Send(UartHostProtocol.Ident().Bytes);
            Assert.Equal(protocol.ExpectedIdent, port.Receive(4));
            Assert.Equal(address, port.Model.Get(addr));
            Assert.Equal(data, port.Model.Get(wdata));
        }
        port.Send(UartHostProtocol.Status().Bytes);
        Assert.Equal(new byte[] { 0 }, port.Receive(1));
    }

    [Fact]
    public void ASenderEightPercentSlowIsNot()
    {
        // The check that the tolerance test can fail: at 8% the stop bit is sampled in the next
        // start bit, so the bridge sees framing errors and garbage.
        var (library, divisor) = Bridge.Value;
        using var port = new SimulatedSerialPort(library, divisor, 108) { ReceiveTimeoutCycles = 20_000 };
        var protocol = new UartHostProtocol(FpgaTestConfigs.Small);
        bool allRight;
        try
        {
            port.Send(protocol.Write(0x5a3, 0xa5c3).Bytes);
            port.Send(UartHostProtocol.Ident().Bytes);
            allRight = port.Receive(4).SequenceEqual(protocol.ExpectedIdent)
                && port.Model.Get(port.Model.Port("host_addr_o")) == 0x5a3 && port.Model.Get(port.Model.Port("host_wdata_o")) == 0xa5c3;
        }
        catch (TimeoutException)
        {
            allRight = false;
        }
        Assert.False(allRight);
    }
}
