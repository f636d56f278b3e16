using System.Globalization;
using EieHdl.Hardware;

namespace EieHdl.Simulation;

/// <summary>Every AXI4-Lite signal of one slave, sampled just before a rising clock edge.</summary>
public readonly record struct AxiLiteSample(
    bool AwValid, bool AwReady, ulong AwAddr, uint AwProt,
    bool WValid, bool WReady, uint WData, uint WStrb,
    bool BValid, bool BReady, uint BResp,
    bool ArValid, bool ArReady, ulong ArAddr, uint ArProt,
    bool RValid, bool RReady, uint RData, uint RResp);

/// <summary>A broken AXI4-Lite handshake rule, with the cycle it was seen in.</summary>
public sealed class AxiLiteProtocolException(string message) : Exception(message);

/// <summary>
/// Checks every AXI4-Lite handshake rule on a sequence of per-cycle samples of one slave and
/// its master: a VALID stays high until its READY (AW, W, AR, B, R), the payload stays stable
/// while VALID and not READY, a write response comes only in a cycle after both its AW and W
/// were taken, a read response only after its AR, one response per request, and RESP is OKAY or
/// SLVERR. The first violation throws <see cref="AxiLiteProtocolException"/>.
/// </summary>
public sealed class AxiLiteMonitor
{
    private AxiLiteSample? previous;
    private long aw, w, b, ar, r;

    /// <summary>Samples seen (clock cycles).</summary>
    public long Cycles { get; private set; }

    /// <summary>Completed writes (B handshakes) and reads (R handshakes).</summary>
    public long Writes => b;

    public long Reads => r;

    /// <summary>Checks the sample of one cycle against the previous one and counts its handshakes.</summary>
    public void Observe(in AxiLiteSample s)
    {
        if (previous is { } p)
        {
            Held("AW", p.AwValid, p.AwReady, s.AwValid, p.AwAddr == s.AwAddr && p.AwProt == s.AwProt, "AWADDR/AWPROT");
            Held("W", p.WValid, p.WReady, s.WValid, p.WData == s.WData && p.WStrb == s.WStrb, "WDATA/WSTRB");
            Held("AR", p.ArValid, p.ArReady, s.ArValid, p.ArAddr == s.ArAddr && p.ArProt == s.ArProt, "ARADDR/ARPROT");
            Held("B", p.BValid, p.BReady, s.BValid, p.BResp == s.BResp, "BRESP");
            Held("R", p.RValid, p.RReady, s.RValid, p.RData == s.RData && p.RResp == s.RResp, "RDATA/RRESP");
        }
        if (s.BValid)
        {
            Require(aw > b && w > b, "BVALID without a write whose AW and W were both taken in an earlier cycle");
            Resp("BRESP", s.BResp);
        }
        if (s.RValid)
        {
            Require(ar > r, "RVALID without a read whose AR was taken in an earlier cycle");
            Resp("RRESP", s.RResp);
        }
        if (s.AwValid && s.AwReady) aw++;
        if (s.WValid && s.WReady) w++;
        if (s.ArValid && s.ArReady) ar++;
        if (s.BValid && s.BReady) b++;
        if (s.RValid && s.RReady) r++;
        previous = s;
        Cycles++;
    }

    /// <summary>At the end of a run: every request has had its one response.</summary>
    public void Finish()
    {
        Require(aw == b && w == b, Inv($"{aw} AW and {w} W handshakes but {b} write responses"));
        Require(ar == r, Inv($"{ar} AR handshakes but {r} read responses"));
    }

    private void Held(string channel, bool validBefore, bool readyBefore, bool validNow, bool payloadSame, string payload)
    {
        if (!validBefore || readyBefore) return;
        Require(validNow, $"{channel}VALID dropped before {channel}READY");
        Require(payloadSame, $"{payload} changed while {channel}VALID was high and {channel}READY low");
    }

    private void Resp(string name, uint resp) =>
        Require(resp is (uint)AxiResp.Okay or (uint)AxiResp.SlvErr, Inv($"{name} {resp}: the bridge answers only OKAY (0) or SLVERR (2)"));

    private void Require(bool ok, string rule)
    {
        if (!ok) throw new AxiLiteProtocolException(Inv($"AXI4-Lite protocol violation at cycle {Cycles}: {rule}"));
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
