using System.Numerics;
using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Processes;

namespace EieHdl.Tests.Hardware;

/// <summary>eie_act_rw under Verilator, Yosys and Icarus, and co-checked against its model.</summary>
public class ActRwToolTests
{
    private const string Module = "eie_act_rw";

    private static readonly string[] Files = ["eie_sram_sp.v", "eie_requant.v", "eie_act_rw.v"];

    [Theory]
    [InlineData(1, 2, 16384)]
    [InlineData(3, 32, 64)]
    [InlineData(64, 1024, 16384)]
    [InlineData(256, 1024, 1000)]
    [InlineData(5, 200, 16384)]
    public void Lints(int pes, int actSramDepth, int ptrDepth)
    {
        using var scratch = new RtlScratch(new EieConfig { Pes = pes, ActSramDepth = actSramDepth, PtrDepth = ptrDepth });
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, Files, Module));
        ToolAssert.CompileClean(RtlTools.Icarus(scratch.Folder, Files, Module));
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(3, 32)]
    public void SynthesisesWithoutLatchesOrLoops(int pes, int actSramDepth)
    {
        using var scratch = new RtlScratch(new EieConfig { Pes = pes, ActSramDepth = actSramDepth, AccWidth = 20 });
        ToolAssert.SynthClean(RtlTools.SynthCheck(scratch.Folder, Files, Module));
    }

    [Fact]
    public void KeepsBothHalvesAsMemories()
    {
        using var scratch = new RtlScratch(new EieConfig());
        var result = RtlTools.Yosys(scratch.Folder, Files,
            $"hierarchy -check -top {Module}; proc; flatten; opt; memory -nomap; select -assert-count 2 t:$mem t:$mem_v2");
        Assert.True(result.Ok, result.ToString());
        Assert.Contains("eie_sram_sp", scratch.Output.FileList.Text);
    }

    [Theory]
    [InlineData(0, 1, 32, 16384, 1)]
    [InlineData(2, 3, 32, 64, 2)]
    [InlineData(5, 64, 32, 16384, 3)]
    [InlineData(4, 5, 16, 32, 4)]   // j is 6 bits wide, offer_idx_o 5: the truncating path
    public void RtlMatchesTheModel(int pe, int pes, int actSramDepth, int ptrDepth, int seed)
    {
        var config = new EieConfig { Pes = pes, ActSramDepth = actSramDepth, PtrDepth = ptrDepth, ActRegEntries = 16 };
        var unit = new ActRw(config, pe);
        var p = unit.Params;
        var bench = new CosimBench(Module,
            [new("pe_i", p.PeWidth), new("src_sel_i", 1), new("scan_start_i", 1), new("in_len_i", p.LenWidth),
             new("offer_ready_i", 1), new("wb_start_i", 1), new("out_len_i", p.LenWidth), new("relu_i", 1),
             new("out_base_i", p.HalfAddrWidth),
             new("acc_rd_data_i", p.AccWidth), new("acc_rd_live_i", 1), new("host_we_i", 1), new("host_re_i", 1), new("host_half_i", 1),
             new("host_addr_i", p.HalfAddrWidth), new("host_wdata_i", p.ActWidth)],
            [new("offer_valid_o", 1), new("offer_act_o", p.ActWidth, "offer_valid_o"),
             new("offer_idx_o", p.IdxWidth, "offer_valid_o"), new("scan_done_o", 1), new("acc_rd_en_o", 1),
             new("acc_rd_addr_o", p.ActRegAddrWidth), new("wb_done_o", 1), new("host_rvalid_o", 1),
             new("host_rdata_o", p.ActWidth, "host_rvalid_o")]);
        var rng = new Random(seed);
        // The accumulators' valid bits from a stream of their own, so the rest of the run is as random as before.
        var liveRng = new Random(~seed);
        uint RandomAct() => rng.Next(3) == 0 ? 0u : (uint)rng.Next(1 << p.ActWidth);
        int offersTaken = 0, rowsRead = 0, hostReads = 0;
        void Cycle(ActRwInputs i)
        {
            var o = unit.Step(i);
            offersTaken += o.OfferValid && i.OfferReady ? 1 : 0;
            rowsRead += o.AccRdEn ? 1 : 0;
            hostReads += o.HostRvalid ? 1 : 0;
            bench.Cycle(
                [pe, B(i.SrcSel), B(i.ScanStart), i.InLen, B(i.OfferReady), B(i.WbStart), i.OutLen, B(i.Relu), i.OutBase,
                 i.AccRdData, B(i.AccRdLive), B(i.HostWe), B(i.HostRe), B(i.HostHalf), i.HostAddr, i.HostWdata],
                [B(o.OfferValid), o.OfferValid ? o.OfferAct : 0, o.OfferValid ? o.OfferIdx : 0, B(o.ScanDone),
                 B(o.AccRdEn), o.AccRdAddr, B(o.WbDone), B(o.HostRvalid), o.HostRvalid ? o.HostRdata : 0]);
        }

        // Every word of both halves is written and each half read once, so nothing reads X.
        for (int h = 0; h < 2; h++)
            for (int a = 0; a < p.HalfDepth; a++)
                Cycle(new ActRwInputs { HostWe = true, HostHalf = h == 1, HostAddr = a, HostWdata = RandomAct() });
        Cycle(new ActRwInputs { HostRe = true, HostHalf = false });
        Cycle(new ActRwInputs { HostRe = true, HostHalf = true });

        bool srcSel = false;
        for (int layer = 0; layer < 40; layer++)
        {
            // A layer: scan under random back-pressure while the accumulators are written
            // back (they use different halves), then a few host accesses, then swap.
            long inLen = rng.Next(0, (int)p.MaxLen + 1), outLen = rng.Next(0, (int)Math.Min(p.MaxLen, (long)p.Pes * 16) + 1);
            bool relu = rng.Next(2) == 0;
            // An output batch's place: rows past the half's end wrap, as the address adder does.
            int outBase = rng.Next(p.HalfDepth);
            double readyRate = rng.NextDouble();
            // A write-back starts only while none runs, with out_len and relu held from the
            // cycle before its start (the preload); some layers have none.
            int wbAt = rng.Next(1, 60);
            int length = rng.Next(20, 80);
            if (wbAt < length) length = Math.Max(length, wbAt + 20);
            for (int t = 0; t < length; t++)
            {
                Cycle(new ActRwInputs
                {
                    SrcSel = srcSel,
                    ScanStart = t == 0,
                    InLen = t == 0 ? inLen : rng.Next((int)p.MaxLen + 1),
                    OfferReady = rng.NextDouble() < readyRate,
                    WbStart = t == wbAt,
                    OutLen = t >= wbAt - 1 ? outLen : rng.Next((int)p.MaxLen + 1),
                    Relu = t >= wbAt - 1 ? relu : rng.Next(2) == 0,
                    OutBase = t >= wbAt - 1 ? outBase : rng.Next(p.HalfDepth),
                    AccRdData = rng.NextInt64() >> rng.Next(0, 40),
                    AccRdLive = liveRng.Next(4) != 0,
                });
            }
            for (int t = 0; t < 6; t++)
            {
                bool we = rng.Next(2) == 0;
                Cycle(new ActRwInputs
                {
                    SrcSel = srcSel, HostWe = we, HostRe = !we || rng.Next(4) == 0, HostHalf = rng.Next(2) == 0,
                    HostAddr = rng.Next(p.HalfDepth), HostWdata = RandomAct(), OfferReady = true,
                });
            }
            srcSel = !srcSel;
        }
        // The run must have exercised every activity, not only idled.
        Assert.True(offersTaken > 100 && rowsRead > 50 && hostReads > 40, $"{offersTaken} offers, {rowsRead} rows, {hostReads} host reads");
        using var scratch = new RtlScratch(config);
        bench.Run(scratch, Files);
    }

    private static BigInteger B(bool bit) => bit ? BigInteger.One : BigInteger.Zero;
}
