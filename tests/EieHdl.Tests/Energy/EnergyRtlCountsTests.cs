using EieHdl.Config;
using EieHdl.CycleModel;
using EieHdl.Energy;
using EieHdl.Hardware;
using EieHdl.Simulation;
using EieHdl.Workloads;

namespace EieHdl.Tests.Energy;

/// <summary>
/// The energy model's SRAM and MAC counts, as the cycle model's units count them, against the
/// verilated eie_top: every eie_sram_sp instance's enable and write enable, and each arithmetic
/// unit's last-stage valid bit (one accumulation), are made public and summed over every cycle
/// from start to done. Checked: spmat reads, ptr reads of each bank, PE codebook reads and
/// writes, CCU codebook reads, act SRAM reads and writes, MACs. Not checked here: act queue
/// pushes and pops, offers and LNZD grants (registers, not memories).
/// </summary>
public sealed class EnergyRtlCountsTests
{
    private static readonly EieConfig Config = new EieConfig
    {
        Pes = 4, SpmatDepth = 1024, PtrDepth = 512, ActSramDepth = 256, ActRegEntries = 32, MaxLayers = 3,
    }.Validate();

    /// <summary>The back-door arrays plus the signals counted here, read-only.</summary>
    private static readonly string VerilatorConfig = SramSinglePort.BackdoorConfig
        + "public_flat_rd -module \"eie_sram_sp\" -var \"en_i\"\n"
        + "public_flat_rd -module \"eie_sram_sp\" -var \"we_i\"\n"
        + "public_flat_rd -module \"eie_arith_unit\" -var \"s4_valid_q\"\n";

    [Fact]
    public void SramAndMacCountsMatchTheVerilatedRtl()
    {
        var library = VerilatedModelBuilder.Build(RtlGenerator.Generate(Config), "eie_top",
            new VerilatedBuildOptions { ConfigFile = VerilatorConfig });
        using var sim = new EieTopSim(Config, library);
        var model = sim.Model;
        var variables = model.PublicVariables.ToDictionary(v => v.Name, StringComparer.Ordinal);
        (PublicVariable En, PublicVariable We)[] Srams(string instance)
        {
            var found = variables.Keys.Where(n => n.EndsWith($".{instance}.en_i", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
                .Select(n => (variables[n], variables[n[..^"en_i".Length] + "we_i"])).ToArray();
            Assert.True(found.Length > 0, $"no public {instance}.en_i among: {string.Join(", ", variables.Keys.Take(40))}");
            return found;
        }
        var spmat = Srams("u_spmat_read.u_spmat");
        var even = Srams("u_ptr_read.u_even_bank");
        var odd = Srams("u_ptr_read.u_odd_bank");
        var peCodebook = Srams("u_arith_unit.u_codebook");
        var ccuCodebook = Srams("u_ccu.u_codebook");
        var act = variables.Keys.Where(n => n.Contains(".u_act_rw.u_", StringComparison.Ordinal) && n.EndsWith(".en_i", StringComparison.Ordinal))
            .Select(n => (variables[n], variables[n[..^"en_i".Length] + "we_i"])).ToArray();
        var macs = variables.Keys.Where(n => n.EndsWith("u_arith_unit.s4_valid_q", StringComparison.Ordinal)).Select(n => variables[n]).ToArray();
        Assert.Equal(Config.Pes, spmat.Length);
        Assert.Equal(Config.Pes, peCodebook.Length);
        Assert.Single(ccuCodebook);
        Assert.Equal(2 * Config.Pes, act.Length);
        Assert.Equal(Config.Pes, macs.Length);

        var host = new HostProtocol(Config);
        int clk = model.Port("clk_i"), valid = model.Port("host_valid_i"), we = model.Port("host_we_i"),
            addr = model.Port("host_addr_i"), wdata = model.Port("host_wdata_i"), done = model.Port("done_o");
        void Apply(HostAccess a)
        {
            model.Set(valid, 1);
            model.Set(we, a.Write ? 1UL : 0);
            model.Set(addr, a.Address);
            model.Set(wdata, a.Data);
            model.Tick(clk);
        }

        int cases = 0;
        var total = new Counts();
        for (ulong seed = 1; cases < 6; seed++)
        {
            var c = RandomCosimCase.Generate(Config, seed);
            var expected = Sum(new EieCycleModel(c.Image).Run(c.Input).Layers.Select(CycleActivity.FromLayer));
            sim.Reset();
            sim.LoadModelBackdoor(c.Image);
            foreach (var a in host.LoadInput(c.Input)) Apply(a);
            Apply(host.Start());
            model.Set(valid, 0);
            model.Eval();
            // Each cycle's enables, read before the clock edge that acts on them, from start to done.
            var counted = new Counts();
            while (model.Get(done) == 0)
            {
                counted.SpmatReads += Reads(spmat);
                counted.EvenReads += Reads(even);
                counted.OddReads += Reads(odd);
                counted.CodebookReads += Reads(peCodebook);
                counted.CodebookWrites += Writes(peCodebook);
                counted.CcuCodebookReads += Reads(ccuCodebook);
                counted.ActReads += Reads(act);
                counted.ActWrites += Writes(act);
                counted.Macs += macs.Count(m => m.Read(0) != 0);
                model.Tick(clk);
                Assert.True(++counted.Cycles < 1_000_000, $"seed {seed}: no done");
            }
            // The last accumulations and write-backs end before done rises; none is left in flight.
            string where = $"seed {seed} ({c.Label})";
            Assert.True(expected.SpmatWordReads == counted.SpmatReads, $"{where}: spmat reads {expected.SpmatWordReads} vs RTL {counted.SpmatReads}");
            Assert.True(expected.PtrEvenReads == counted.EvenReads, $"{where}: ptr even {expected.PtrEvenReads} vs RTL {counted.EvenReads}");
            Assert.True(expected.PtrOddReads == counted.OddReads, $"{where}: ptr odd {expected.PtrOddReads} vs RTL {counted.OddReads}");
            Assert.True(expected.CodebookReads == counted.CodebookReads, $"{where}: codebook reads {expected.CodebookReads} vs RTL {counted.CodebookReads}");
            Assert.True(expected.CodebookWrites == counted.CodebookWrites, $"{where}: codebook writes {expected.CodebookWrites} vs RTL {counted.CodebookWrites}");
            Assert.True(expected.CcuCodebookReads == counted.CcuCodebookReads, $"{where}: CCU codebook reads {expected.CcuCodebookReads} vs RTL {counted.CcuCodebookReads}");
            Assert.True(expected.ActSramReads == counted.ActReads, $"{where}: act reads {expected.ActSramReads} vs RTL {counted.ActReads}");
            Assert.True(expected.ActSramWrites == counted.ActWrites, $"{where}: act writes {expected.ActSramWrites} vs RTL {counted.ActWrites}");
            Assert.True(expected.Multiplies == counted.Macs, $"{where}: MACs {expected.Multiplies} vs RTL {counted.Macs}");
            total.SpmatReads += counted.SpmatReads;
            total.EvenReads += counted.EvenReads;
            total.CodebookWrites += counted.CodebookWrites;
            total.CcuCodebookReads += counted.CcuCodebookReads;
            total.ActReads += counted.ActReads;
            total.ActWrites += counted.ActWrites;
            total.Macs += counted.Macs;
            cases++;
        }
        // The cases exercised every counter.
        Assert.All(new[] { total.SpmatReads, total.EvenReads, total.CodebookWrites, total.CcuCodebookReads, total.ActReads, total.ActWrites, total.Macs },
            n => Assert.True(n > 0));
    }

    private static UnitActivity Sum(IEnumerable<UnitActivity> layers) => CycleActivity.Sum(layers);

    private static int Reads((PublicVariable En, PublicVariable We)[] srams) => srams.Count(s => s.En.Read(0) != 0 && s.We.Read(0) == 0);

    private static int Writes((PublicVariable En, PublicVariable We)[] srams) => srams.Count(s => s.En.Read(0) != 0 && s.We.Read(0) != 0);

    private sealed class Counts
    {
        public long SpmatReads, EvenReads, OddReads, CodebookReads, CodebookWrites, CcuCodebookReads, ActReads, ActWrites, Macs, Cycles;
    }
}
