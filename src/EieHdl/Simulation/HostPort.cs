using System.Globalization;
using EieHdl.Config;
using EieHdl.Hardware;

namespace EieHdl.Simulation;

/// <summary>How <see cref="EieTopSim"/> moves host transactions into a verilated eie_top.</summary>
internal interface IHostPort
{
    /// <summary>Drives the bus idle for one clock cycle.</summary>
    void Idle();

    /// <summary>Sets every input of the bus to idle without clocking (for reset).</summary>
    void Quiet();

    void Write(HostAccess access);

    /// <summary>The answers to the reads, in order.</summary>
    ulong[] Read(IReadOnlyList<HostAccess> reads);
}

/// <summary>The CCU's host bus: a write is one cycle, reads go back to back and answer 2 cycles later.</summary>
internal sealed class SimpleHostPort(VerilatedModel model, Action tick) : IHostPort
{
    private readonly int valid = model.Port("host_valid_i"), we = model.Port("host_we_i"), addr = model.Port("host_addr_i"),
        wdata = model.Port("host_wdata_i"), rvalid = model.Port("host_rvalid_o"), rdata = model.Port("host_rdata_o");

    public void Idle()
    {
        model.Set(valid, 0);
        tick();
    }

    public void Quiet() => model.Set(valid, 0);

    public void Write(HostAccess access)
    {
        model.Set(valid, 1);
        model.Set(we, access.Write ? 1UL : 0);
        model.Set(addr, access.Address);
        model.Set(wdata, access.Data);
        tick();
        model.Set(valid, 0);
    }

    public ulong[] Read(IReadOnlyList<HostAccess> reads)
    {
        var result = new ulong[reads.Count];
        int answered = 0;
        for (int k = 0; answered < reads.Count; k++)
        {
            if (k < reads.Count)
            {
                model.Set(valid, 1);
                model.Set(we, 0);
                model.Set(addr, reads[k].Address);
            }
            else model.Set(valid, 0);
            model.Eval();
            if (model.Get(rvalid) != 0) result[answered++] = model.Get(rdata);
            tick();
        }
        model.Set(valid, 0);
        return result;
    }
}

/// <summary>
/// An AXI4-Lite master on eie_top's s_axil_ ports: one transaction at a time, each host word as
/// the lane writes of <see cref="AxiLiteHost.Writes"/>, every cycle checked by an
/// <see cref="AxiLiteMonitor"/>. With <paramref name="stalls"/>, VALIDs start after random delays
/// and BREADY / RREADY are low in random cycles (back-pressure).
/// </summary>
public sealed class AxiLiteHostPort : IHostPort
{
    /// <summary>Cycles one transaction may take before the port gives up.</summary>
    public const int TimeoutCycles = 1000;

    private readonly VerilatedModel model;
    private readonly Action tick;
    private readonly Random? stalls;
    private readonly int awvalid, awready, awaddr, awprot, wvalid, wready, wdata, wstrb, bvalid, bready, bresp,
        arvalid, arready, araddr, arprot, rvalid, rready, rdata, rresp;

    internal AxiLiteHostPort(VerilatedModel model, Action tick, AxiLiteHost bridge, Random? stalls)
    {
        this.model = model;
        this.tick = tick;
        this.stalls = stalls;
        Bridge = bridge;
        int P(string name) => model.Port("s_axil_" + name);
        awvalid = P("awvalid"); awready = P("awready"); awaddr = P("awaddr"); awprot = P("awprot");
        wvalid = P("wvalid"); wready = P("wready"); wdata = P("wdata"); wstrb = P("wstrb");
        bvalid = P("bvalid"); bready = P("bready"); bresp = P("bresp");
        arvalid = P("arvalid"); arready = P("arready"); araddr = P("araddr"); arprot = P("arprot");
        rvalid = P("rvalid"); rready = P("rready"); rdata = P("rdata"); rresp = P("rresp");
    }

    public AxiLiteHost Bridge { get; }

    public AxiLiteMonitor Monitor { get; } = new();

    void IHostPort.Idle()
    {
        Drive(false, 0, false, 0, 0, false, 0, ready: false);
        Cycle();
    }

    void IHostPort.Quiet() => Drive(false, 0, false, 0, 0, false, 0, ready: false);

    void IHostPort.Write(HostAccess access)
    {
        foreach (var (address, data) in Bridge.Writes(access))
        {
            var resp = WriteWord(address, data);
            if (resp != AxiResp.Okay)
                throw new InvalidOperationException(Inv($"AXI4-Lite write of 0x{data:x} to 0x{address:x} answered {resp}"));
        }
    }

    ulong[] IHostPort.Read(IReadOnlyList<HostAccess> reads) => reads.Select(read =>
    {
        ulong address = Bridge.ByteAddress(read.Address, 0);
        var (resp, data) = ReadWord(address);
        if (resp != AxiResp.Okay) throw new InvalidOperationException(Inv($"AXI4-Lite read of 0x{address:x} answered {resp}"));
        return (ulong)data;
    }).ToArray();

    /// <summary>One AXI write; returns BRESP.</summary>
    public AxiResp WriteWord(ulong address, uint data, uint strobe = 0xf)
    {
        bool awDone = false, wDone = false;
        int awDelay = Delay(), wDelay = Delay();
        for (int cycles = 0; cycles < TimeoutCycles; cycles++)
        {
            Drive(!awDone && awDelay <= 0, address, !wDone && wDelay <= 0, data, strobe, false, 0, Ready());
            var s = Cycle();
            awDone |= s.AwValid && s.AwReady;
            wDone |= s.WValid && s.WReady;
            awDelay--; wDelay--;
            if (s.BValid && s.BReady)
            {
                Drive(false, 0, false, 0, 0, false, 0, ready: false);
                return (AxiResp)s.BResp;
            }
        }
        throw new TimeoutException(Inv($"AXI4-Lite write to 0x{address:x}: no response within {TimeoutCycles} cycles"));
    }

    /// <summary>One AXI read; returns RRESP and RDATA.</summary>
    public (AxiResp Resp, uint Data) ReadWord(ulong address)
    {
        bool arDone = false;
        int arDelay = Delay();
        for (int cycles = 0; cycles < TimeoutCycles; cycles++)
        {
            Drive(false, 0, false, 0, 0, !arDone && arDelay <= 0, address, Ready());
            var s = Cycle();
            arDone |= s.ArValid && s.ArReady;
            arDelay--;
            if (s.RValid && s.RReady)
            {
                Drive(false, 0, false, 0, 0, false, 0, ready: false);
                return ((AxiResp)s.RResp, s.RData);
            }
        }
        throw new TimeoutException(Inv($"AXI4-Lite read of 0x{address:x}: no response within {TimeoutCycles} cycles"));
    }

    private int Delay() => stalls is null ? 0 : stalls.Next(3);

    private bool Ready() => stalls is null || stalls.Next(3) != 0;

    private void Drive(bool aw, ulong awAddress, bool wr, uint data, uint strobe, bool ar, ulong arAddress, bool ready)
    {
        model.Set(awvalid, aw ? 1UL : 0);
        model.Set(awaddr, aw ? awAddress : 0);
        model.Set(awprot, 0);
        model.Set(wvalid, wr ? 1UL : 0);
        model.Set(wdata, wr ? data : 0);
        model.Set(wstrb, wr ? strobe : 0);
        model.Set(arvalid, ar ? 1UL : 0);
        model.Set(araddr, ar ? arAddress : 0);
        model.Set(arprot, 0);
        model.Set(bready, ready ? 1UL : 0);
        model.Set(rready, ready ? 1UL : 0);
    }

    /// <summary>Settles the inputs, samples every channel into the monitor, then clocks.</summary>
    private AxiLiteSample Cycle()
    {
        model.Eval();
        bool B(int port) => model.Get(port) != 0;
        uint U(int port) => (uint)model.Get(port);
        var s = new AxiLiteSample(
            B(awvalid), B(awready), model.Get(awaddr), U(awprot),
            B(wvalid), B(wready), U(wdata), U(wstrb),
            B(bvalid), B(bready), U(bresp),
            B(arvalid), B(arready), model.Get(araddr), U(arprot),
            B(rvalid), B(rready), U(rdata), U(rresp));
        Monitor.Observe(s);
        tick();
        return s;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
