using EieHdl.Arithmetic;
using EieHdl.Compression;
using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Golden;
using EieHdl.Hardware;
using EieHdl.Simulation;

namespace EieHdl.Tests.Simulation;

/// <summary>The back-door load writes exactly what the host bus writes, and runs the same.</summary>
[Collection(nameof(SimCollection))]
public class BackdoorLoadTests
{
    private static ModelImage TwoLayers(EieConfig config, int seed)
    {
        var random = new Random(seed);
        int[] sizes = [41, 26, 13];
        var layers = Enumerable.Range(0, 2).Select(l =>
        {
            var w = Enumerable.Range(0, sizes[l] * sizes[l + 1]).Select(_ => (random.NextDouble() - 0.5) * 2).ToArray();
            var b = Enumerable.Range(0, sizes[l + 1]).Select(_ => random.NextDouble() - 0.5).ToArray();
            return LayerCompressor.Compress(config, $"fc{l}", w, sizes[l + 1], sizes[l], b, 0.25 + 0.3 * l, relu: l == 0).Layer;
        }).ToArray();
        return ModelImage.Build(config, layers);
    }

    [Fact]
    public void EveryArrayWordEqualsTheFrontDoorLoadAndTheRunsAgree()
    {
        var config = TopCosimTests.SmallConfig(3);
        var image = TwoLayers(config, 5);
        var fp = new FixedPoint(config);
        var random = new Random(6);
        var input = Enumerable.Range(0, 41).Select(j => j % 4 == 0 ? 0 : fp.QuantizeActivation(random.NextDouble() * 2 - 0.5)).ToArray();
        var library = EieTopSim.Build(config);

        using var front = new EieTopSim(config, library);
        using var back = new EieTopSim(config, library);
        front.LoadModel(image);
        back.LoadModelBackdoor(image);
        var frontModel = front.Model;
        var backModel = back.Model;

        // 6 arrays per PE and the CCU's codebook; the act halves and the PEs' codebooks (filled
        // by the CCU when a layer starts) hold no model data after a load and stay zero.
        Assert.Equal(6 * config.Pes + 1, frontModel.PublicVariables.Count);
        var backByName = backModel.PublicVariables.ToDictionary(v => v.Name);
        long nonZero = 0;
        foreach (var f in frontModel.PublicVariables)
        {
            var b = backByName[f.Name];
            Assert.Equal(f.Depth, b.Depth);
            for (int i = 0; i < f.Depth; i++)
            {
                ulong fv = f.Read(i), bv = b.Read(i);
                Assert.True(fv == bv, $"{f.Name}[{i}]: host bus 0x{fv:X}, back door 0x{bv:X}");
                if (fv != 0) nonZero++;
            }
        }
        Assert.True(nonZero > 100, $"only {nonZero} non-zero words: the model did not load");
        Assert.True(back.Ticks < front.Ticks / 4, $"back door took {back.Ticks} cycles, host bus {front.Ticks}");

        var expected = new GoldenModel(image).RunChain(input);
        var frontRun = front.RunInput(image, input);
        var backRun = back.RunInput(image, input);
        Assert.Equal(expected, frontRun.Outputs);
        Assert.Equal(expected, backRun.Outputs);
        Assert.Equal(frontRun.Cycles, backRun.Cycles);
        Assert.False(backRun.Error);
    }

    [Fact]
    public void ABackdoorLoadReplacesAnEarlierModelCompletely()
    {
        var config = TopCosimTests.SmallConfig(3);
        var first = TwoLayers(config, 7);
        var second = TwoLayers(config, 8);
        var input = Enumerable.Range(0, 41).Select(j => (j * 37 % 200) - 50).ToArray();
        using var sim = new EieTopSim(config, EieTopSim.Build(config));
        sim.LoadModelBackdoor(first);
        Assert.Equal(new GoldenModel(first).RunChain(input), sim.RunInput(first, input).Outputs);
        sim.LoadModelBackdoor(second);
        Assert.Equal(new GoldenModel(second).RunChain(input), sim.RunInput(second, input).Outputs);
    }

    [Fact]
    public void AWriteThatDoesNotFitTheArrayIsRefused()
    {
        var config = TopCosimTests.SmallConfig(3);
        using var sim = new EieTopSim(config, EieTopSim.Build(config));
        var spmat = sim.Model.PublicVariables.Single(v => v.Name.EndsWith("g_pe[0].u_pe.u_spmat_read.u_spmat.mem_q", StringComparison.Ordinal));
        Assert.Equal(config.SpmatWordBits, spmat.Width);
        Assert.Equal(config.SpmatDepth, spmat.Depth);
        var ptr = sim.Model.PublicVariables.Single(v => v.Name.EndsWith("g_pe[0].u_pe.u_ptr_read.u_even_bank.mem_q", StringComparison.Ordinal));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ptr.Write(0, 1UL << config.PtrWidth));
        Assert.Contains($"does not fit {config.PtrWidth} bits", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ptr.Read(ptr.Depth));
    }
}
