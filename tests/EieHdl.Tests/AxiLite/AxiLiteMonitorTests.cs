using EieHdl.Simulation;

namespace EieHdl.Tests.AxiLite;

/// <summary>
/// The AXI4-Lite protocol monitor fails on each broken handshake rule and passes a correct
/// write and read: a checker that could not fail would let the co-simulation pass anything.
/// </summary>
public class AxiLiteMonitorTests
{
    private static readonly AxiLiteSample Quiet = new(
        false, true, 0, 0, false, true, 0, 0, false, false, 0, false, true, 0, 0, false, false, 0, 0);

    /// <summary>A correct write (AW and W taken in cycle 0, B held a cycle by BREADY low) and read.</summary>
    private static AxiLiteSample[] GoodTrace() =>
    [
        Quiet with { AwValid = true, AwAddr = 0x40, WValid = true, WData = 7, WStrb = 0xf },
        Quiet with { AwReady = false, WReady = false },
        Quiet with { AwReady = false, WReady = false, BValid = true, BResp = 2 },
        Quiet with { AwReady = false, WReady = false, BValid = true, BResp = 2, BReady = true },
        Quiet with { ArValid = true, ArAddr = 0x48, ArReady = false },
        Quiet with { ArValid = true, ArAddr = 0x48 },
        Quiet with { RValid = true, RData = 9, RReady = true },
    ];

    private static void Run(IEnumerable<AxiLiteSample> trace)
    {
        var monitor = new AxiLiteMonitor();
        foreach (var s in trace) monitor.Observe(s);
        monitor.Finish();
    }

    private static void Fails(AxiLiteSample[] trace, string rule)
    {
        var e = Assert.Throws<AxiLiteProtocolException>(() => Run(trace));
        Assert.Contains(rule, e.Message);
    }

    [Fact]
    public void ACorrectWriteAndReadPass()
    {
        var monitor = new AxiLiteMonitor();
        foreach (var s in GoodTrace()) monitor.Observe(s);
        monitor.Finish();
        Assert.Equal((1, 1), (monitor.Writes, monitor.Reads));
    }

    [Fact]
    public void AValidDroppedBeforeItsReadyFails()
    {
        var t = GoodTrace();
        t[5] = t[5] with { ArValid = false };
        Fails(t, "ARVALID dropped before ARREADY");
        t = GoodTrace();
        t[3] = Quiet with { BReady = true };
        Fails(t, "BVALID dropped before BREADY");
        t = GoodTrace();
        t[0] = t[0] with { AwReady = false };
        t[1] = t[1] with { AwValid = false };
        Fails(t, "AWVALID dropped before AWREADY");
    }

    [Fact]
    public void APayloadChangedWhileWaitingFails()
    {
        var t = GoodTrace();
        t[5] = t[5] with { ArAddr = 0x4c };
        Fails(t, "ARADDR/ARPROT changed");
        t = GoodTrace();
        t[3] = t[3] with { BResp = 0 };
        Fails(t, "BRESP changed");
        t = GoodTrace();
        t[0] = t[0] with { WReady = false };
        t[1] = t[1] with { WValid = true, WData = 8, WStrb = 0xf, WReady = true };
        Fails(t, "WDATA/WSTRB changed");
    }

    [Fact]
    public void AResponseBeforeItsRequestFails()
    {
        // W not yet taken when BVALID rises.
        var t = GoodTrace();
        t[0] = t[0] with { WValid = false };
        Fails(t, "BVALID without a write");
        // B in the very cycle AW and W are taken.
        Fails([Quiet with { AwValid = true, WValid = true, WStrb = 0xf, BValid = true, BReady = true }], "BVALID without a write");
        Fails([Quiet with { RValid = true, RReady = true }], "RVALID without a read");
    }

    [Fact]
    public void AReservedRespAndAMissingResponseFail()
    {
        var t = GoodTrace();
        t[6] = t[6] with { RResp = 1 };
        Fails(t, "RRESP 1");
        Fails(GoodTrace()[..6], "1 AR handshakes but 0 read responses");
    }
}
