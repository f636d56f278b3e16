using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Golden;
using EieHdl.Hardware;
using EieHdl.Simulation;
using EieHdl.Tests.Simulation;
using Xunit.Abstractions;

namespace EieHdl.Tests.AxiLite;

/// <summary>
/// eie_top with HostBus axi4lite, verilated and driven only through its AXI4-Lite slave with the
/// protocol monitor on every cycle: random chains bit-exact against the golden model and
/// cycle-exact against the cycle model, with and without random back-pressure; SLVERR (and no
/// write) for accesses while a run goes and for unmapped addresses.
/// </summary>
[Collection(nameof(SimCollection))]
public class AxiLiteCosimTests(ITestOutputHelper output)
{
    internal static EieConfig Config { get; } = (TopCosimTests.SmallConfig(4) with { HostBus = HostBus.AxiLite }).Validate();

    private static readonly Lazy<VerilatedLibrary> Library = new(() => EieTopSim.Build(Config));

    private static (ModelImage Image, int[] Input, int[] Expected) RandomChain(int seed)
    {
        var random = new Random(seed);
        int layerCount = 1 + random.Next(3);
        var sizes = Enumerable.Range(0, layerCount + 1).Select(_ => 5 + random.Next(45)).ToArray();
        var image = ModelImage.Build(Config, RandomModels.Layers(Config, random, sizes, _ => 0.2 + 0.6 * random.NextDouble(), l => l < layerCount - 1));
        var input = RandomModels.Input(Config, random, sizes[0], -1, 2);
        return (image, input, new GoldenModel(image).RunChain(input));
    }

    [Theory]
    [InlineData(31, false)]
    [InlineData(32, true)]
    [InlineData(33, true)]
    [InlineData(34, false)]
    public void RandomChainsRunBitExactThroughAxiLite(int seed, bool backPressure)
    {
        var (image, input, expected) = RandomChain(seed);
        using var sim = new EieTopSim(Config, Library.Value, backPressure ? new Random(seed) : null);
        var run = sim.Run(image, input);
        var axi = sim.Axi!;
        axi.Monitor.Finish();
        output.WriteLine($"seed {seed}: {image.Layers.Count} layers, {run.Cycles} cycles, {sim.Ticks} ticks, "
            + $"{axi.Monitor.Writes} AXI writes, {axi.Monitor.Reads} reads");
        Assert.False(run.Error);
        Assert.Equal(expected, run.Outputs);
        Assert.Equal(new global::EieHdl.CycleModel.EieCycleModel(image).Run(input).Cycles, run.Cycles);
        // Every transaction went through the monitor: the cycle counter and each output read.
        Assert.Equal(expected.Length + 1, axi.Monitor.Reads);
        Assert.True(axi.Monitor.Writes >= new HostProtocol(Config).LoadModel(image).Count());
    }

    [Fact]
    public void AccessesWhileARunGoesGetSlvErrAndLeaveTheMemoriesAsTheyWere()
    {
        var (image, input, expected) = RandomChain(40);
        using var sim = new EieTopSim(Config, Library.Value);
        var axi = sim.Axi!;
        var bridge = axi.Bridge;
        var host = new HostProtocol(Config);
        var p = host.Params;
        ulong A(HostRegion region, int pe, long offset, int lane = 0) => bridge.ByteAddress(p.Address(region, pe, offset), lane);
        void Write(HostAccess access)
        {
            foreach (var (address, data) in bridge.Writes(access)) Assert.Equal(AxiResp.Okay, axi.WriteWord(address, data));
        }
        uint Status() => axi.ReadWord(A(HostRegion.Registers, 0, (int)CcuRegister.Status)).Data;

        sim.LoadModel(image);
        foreach (var a in host.LoadInput(input)) Write(a);
        Write(host.Start());
        Assert.Equal(1u, Status() & 1);

        // Each refused access, with the response the C# decode predicts for it.
        (string What, ulong Address, bool Write)[] refused =
        [
            ("spmat word, high lane", A(HostRegion.Spmat, 1, 0, 1), true),
            ("spmat word, low lane", A(HostRegion.Spmat, 1, 0), true),
            ("pointer", A(HostRegion.Ptr, 2, 1), true),
            ("codebook", A(HostRegion.Codebook, 0, 3), true),
            ("layer table", A(HostRegion.LayerTable, 0, (int)LayerField.InLength), true),
            ("layer count", A(HostRegion.Registers, 0, (int)CcuRegister.LayerCount), true),
            ("act write", A(HostRegion.Act, 0, 0), true),
            ("act read", A(HostRegion.Act, 0, 0), false),
            ("layer table read", A(HostRegion.LayerTable, 0, (int)LayerField.OutLength), false),
        ];
        foreach (var (what, address, write) in refused)
        {
            Assert.Equal(AxiResp.SlvErr, bridge.Response(address, write, busy: true));
            var resp = write ? axi.WriteWord(address, 0x5a5a5a5a) : axi.ReadWord(address).Resp;
            Assert.True(resp == AxiResp.SlvErr, $"{what} while busy answered {resp}");
        }
        Assert.Equal(1u, Status() & 1);

        for (int waited = 0; (Status() & 1) != 0; waited++) Assert.True(waited < 100_000, "the run did not end");
        // The memories hold what the load wrote: spmat and pointer arrays, the layer table, the outputs.
        var arrays = sim.Model.PublicVariables.ToDictionary(v => v.Name, StringComparer.Ordinal);
        Assert.Equal(host.SpmatWords(image.Pes[1])[0], arrays[$"TOP.eie_top.g_pe[1].u_pe.u_spmat_read.u_spmat.{SramSinglePort.ArrayName}"].Read(0));
        Assert.Equal((ulong)image.Pes[2].Pointers[1], arrays[$"TOP.eie_top.g_pe[2].u_pe.u_ptr_read.u_odd_bank.{SramSinglePort.ArrayName}"].Read(0));
        Assert.Equal(host.CodebookWords(image)[3], arrays[$"TOP.eie_top.u_ccu.u_codebook.{SramSinglePort.ArrayName}"].Read(3));
        Assert.Equal((uint)image.Layers[0].Inputs, axi.ReadWord(A(HostRegion.LayerTable, 0, (int)LayerField.InLength)).Data);
        Assert.Equal((uint)image.Layers.Count, axi.ReadWord(A(HostRegion.Registers, 0, (int)CcuRegister.LayerCount)).Data);
        var outputs = host.ReadOutputs(expected.Length, image.Layers.Count)
            .Select(r => (int)(short)axi.ReadWord(bridge.ByteAddress(r.Address, 0)).Data).ToArray();
        Assert.Equal(expected, outputs);
        axi.Monitor.Finish();
    }

    [Fact]
    public void UnmappedAndWrongWayAccessesGetSlvErrAsTheDecodePredicts()
    {
        using var sim = new EieTopSim(Config, Library.Value, new Random(3));
        var axi = sim.Axi!;
        var bridge = axi.Bridge;
        var p = bridge.Params;
        ulong A(int region, int pe, long offset, int lane = 0) => bridge.ByteAddress(((ulong)region << (p.PeWidth + p.OffsetWidth)) | ((ulong)pe << p.OffsetWidth) | (ulong)offset, lane);
        (string What, ulong Address, bool Write, uint Strobe, AxiResp Expected)[] cases =
        [
            ("region 6", A(6, 0, 0), true, 0xf, AxiResp.SlvErr),
            ("region 7 read", A(7, 0, 0), false, 0xf, AxiResp.SlvErr),
            ("pointer past its depth", A((int)HostRegion.Ptr, 3, Config.PtrDepth), true, 0xf, AxiResp.SlvErr),
            ("pointer read (write-only)", A((int)HostRegion.Ptr, 0, 0), false, 0xf, AxiResp.SlvErr),
            ("register high lane", A((int)HostRegion.Registers, 0, (int)CcuRegister.LayerCount, 1), true, 0xf, AxiResp.SlvErr),
            ("register 5", A((int)HostRegion.Registers, 0, 5), false, 0xf, AxiResp.SlvErr),
            ("status write (read-only)", A((int)HostRegion.Registers, 0, (int)CcuRegister.Status), true, 0xf, AxiResp.SlvErr),
            ("control read (write-only)", A((int)HostRegion.Registers, 0, (int)CcuRegister.Control), false, 0xf, AxiResp.SlvErr),
            ("codebook of PE 1", A((int)HostRegion.Codebook, 1, 0), true, 0xf, AxiResp.SlvErr),
            ("layer field 6", A((int)HostRegion.LayerTable, 0, 6), true, 0xf, AxiResp.SlvErr),
            ("layer row past MaxLayers", A((int)HostRegion.LayerTable, 0, Config.MaxLayers * CcuParams.LayerRowFields), false, 0xf, AxiResp.SlvErr),
            ("act past both halves", A((int)HostRegion.Act, 1, Config.ActHalfDepth * 2), true, 0xf, AxiResp.SlvErr),
            ("partial strobe", A((int)HostRegion.Act, 1, 0), true, 0x3, AxiResp.SlvErr),
            ("act write", A((int)HostRegion.Act, 3, Config.ActHalfDepth * 2 - 1), true, 0xf, AxiResp.Okay),
            ("spmat high lane", A((int)HostRegion.Spmat, 3, Config.SpmatDepth - 1, 1), true, 0xf, AxiResp.Okay),
            ("layer count read", A((int)HostRegion.Registers, 0, (int)CcuRegister.LayerCount), false, 0xf, AxiResp.Okay),
            ("codebook read", A((int)HostRegion.Codebook, 0, Config.MaxLayers * Config.CodebookSize - 1), false, 0xf, AxiResp.Okay),
        ];
        foreach (var (what, address, write, strobe, expected) in cases)
        {
            Assert.True(bridge.Response(address, write, busy: false, strobe) == expected, $"{what}: the C# decode disagrees with the test");
            var resp = write ? axi.WriteWord(address, 0x1234, strobe) : axi.ReadWord(address).Resp;
            Assert.True(resp == expected, $"{what} (0x{address:x}) answered {resp}, expected {expected}");
        }
        axi.Monitor.Finish();
    }

    [Fact]
    public void TheMonitorFailsARunOnABridgeThatDropsBvalidBeforeBready()
    {
        // The bridge leaves its write response after one cycle whatever BREADY says.
        const string held = "StB: if (s_axil_bready) state_q <= StIdle;";
        var rtl = RtlGenerator.Generate(Config);
        Assert.Single(rtl.Modules, m => m.Text.Contains(held, StringComparison.Ordinal));
        var broken = rtl with
        {
            Modules = [.. rtl.Modules.Select(m => m with { Text = m.Text.Replace(held, "StB: state_q <= StIdle;", StringComparison.Ordinal) })],
        };
        var library = VerilatedModelBuilder.Build(broken, "eie_top");
        var (image, input, _) = RandomChain(32);
        using var sim = new EieTopSim(Config, library, new Random(32));
        var e = Assert.Throws<AxiLiteProtocolException>(() => sim.Run(image, input));
        output.WriteLine(e.Message);
        Assert.Contains("BVALID dropped before BREADY", e.Message);
    }
}
