using CsCheck;
using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Golden;
using EieHdl.Workloads;

namespace EieHdl.Tests.Golden;

public class GoldenModelTests
{
    /// <summary>What CsCheck draws; the layers themselves come from the seed so a failure prints compactly.</summary>
    public sealed record LayerCase(int ConfigKind, int Pes, int Inputs, int Outputs, bool HasBias, bool Relu,
        double WeightDensity, double ActDensity, ulong Seed);

    private static readonly Gen<LayerCase> GenLayerCase =
        Gen.Select(Gen.Int[0, GoldenCases.ConfigKinds - 1], Gen.Int[0, GoldenCases.PeCounts.Length - 1],
                Gen.Int[1, 40], Gen.Int[1, 150], Gen.Bool, Gen.Bool, Gen.Int[0, 100], Gen.Int[0, 100])
            .Select(Gen.ULong, (t, seed) => new LayerCase(t.Item1, GoldenCases.PeCounts[t.Item2], t.Item3, t.Item4,
                t.Item5, t.Item6, t.Item7 / 100.0, t.Item8 / 100.0, seed));

    private static void CheckSingleLayer(LayerCase c)
    {
        var config = GoldenCases.Config(c.ConfigKind, c.Pes);
        var random = new DeterministicRandom(c.Seed);
        var layer = GoldenCases.RandomLayer(config, random, c.Inputs, c.Outputs, c.HasBias, c.Relu, c.WeightDensity);
        var acts = GoldenCases.RandomActs(config, random, c.Inputs, c.ActDensity);
        var golden = new GoldenModel(ModelImage.Build(config, [layer.Encode(config, "fc")]));

        var (expected, expectedOverflows) = GoldenCases.Dense(config, layer, acts);
        var outputs = new int[c.Outputs];
        int overflows = golden.RunLayer(0, acts, outputs);
        Assert.Equal(expected, outputs);
        Assert.Equal(expectedOverflows, overflows);
        Assert.Equal(expected, golden.RunLayer(0, acts));
    }

    [Fact]
    public void RandomLayersMatchTheDenseComputation() => GenLayerCase.Sample(CheckSingleLayer, iter: 400);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(64)]
    public void EveryPeCountAndConfigMatchesTheDenseComputation(int pes)
    {
        for (int kind = 0; kind < GoldenCases.ConfigKinds; kind++)
            for (ulong seed = 0; seed < 6; seed++)
                CheckSingleLayer(new LayerCase(kind, pes, 23, 131, seed % 2 == 0, seed % 3 == 0, 0.1 + 0.15 * seed, 0.5, seed * 7919 + (ulong)kind));
    }

    [Fact]
    public void RandomChainsMatchTheDenseComputationLayerByLayer() =>
        GoldenCases.SampleChains(maxLayers: 4, maxSize: 60, reluLastAlways: false, maxDensity: 1.0, iter: 200, (config, layers, golden, input) =>
        {
            var runs = golden.RunChainLayers(input);
            Assert.Equal(layers.Length, runs.Length);
            var acts = input;
            for (int l = 0; l < layers.Length; l++)
            {
                var (expected, overflows) = GoldenCases.Dense(config, layers[l], acts);
                Assert.Equal(expected, runs[l].Outputs);
                Assert.Equal(overflows, runs[l].Overflows);
                acts = expected;
            }
            Assert.Equal(acts, golden.RunChain(input));
        });

    private static GoldenModel SingleLayer(EieConfig config, DenseLayer layer) =>
        new(ModelImage.Build(config, [layer.Encode(config, "fc")]));

    [Fact]
    public void AllZeroInputLeavesOnlyTheBias()
    {
        var config = new EieConfig { Pes = 4 };
        var random = new DeterministicRandom(5);
        var withBias = GoldenCases.RandomLayer(config, random, 30, 50, true, false, 0.5) with
        {
            Codebook = Enumerable.Range(0, 16).Select(v => (v - 8) * 4096).ToArray(),
        };
        withBias.Codebook[0] = 0;
        var zeros = new int[30];
        Assert.Equal(GoldenCases.Dense(config, withBias, zeros).Outputs, SingleLayer(config, withBias).RunLayer(0, zeros));
        Assert.Contains(SingleLayer(config, withBias).RunLayer(0, zeros), o => o != 0);

        var noBias = withBias with { HasBias = false, Indices = new byte[50 * 30] };
        Array.Fill(noBias.Indices, (byte)3);
        Assert.All(SingleLayer(config, noBias).RunLayer(0, zeros), o => Assert.Equal(0, o));
    }

    [Fact]
    public void EmptyMatrixGivesZeroOutputs()
    {
        var config = new EieConfig { Pes = 7 };
        var layer = new DenseLayer(20, 33, true, false, new byte[33 * 21], [0, 100, -100, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
        var golden = SingleLayer(config, layer);
        var acts = GoldenCases.RandomActs(config, new DeterministicRandom(1), 20, 1.0);
        Assert.All(golden.RunLayer(0, acts), o => Assert.Equal(0, o));
        Assert.Equal(0, golden.RunLayer(0, acts, new int[33]));
    }

    [Fact]
    public void LargeSumsSaturateAndNegativeSumsObeyRelu()
    {
        var config = new EieConfig { Pes = 2 };
        var codebook = new int[16];
        codebook[1] = 2 << 12;
        codebook[2] = -(2 << 12);
        codebook[3] = -(1 << 11);
        const int inputs = 16;
        // Row 0 weights 2.0, row 1 weights -2.0, row 2 only -0.5 on input 0.
        var indices = new byte[3 * inputs];
        for (int j = 0; j < inputs; j++) { indices[j] = 1; indices[inputs + j] = 2; }
        indices[2 * inputs] = 3;
        var linear = new DenseLayer(inputs, 3, false, false, indices, codebook);
        var rectified = linear with { Relu = true };

        // Acts 1.0 then fifteen 4.0: rows sum to +-2 x 61 = +-122 and -0.5, all representable.
        var acts = Enumerable.Repeat(4 << 8, inputs).ToArray();
        acts[0] = 1 << 8;
        Assert.Equal(new[] { 122 << 8, -(122 << 8), -(1 << 7) }, SingleLayer(config, linear).RunLayer(0, acts));
        Assert.Equal(new[] { 122 << 8, 0, 0 }, SingleLayer(config, rectified).RunLayer(0, acts));

        // All acts 4.0: +-128 is beyond Q7.8's top, so row 0 saturates; -128 is its bottom.
        acts[0] = 4 << 8;
        Assert.Equal(new[] { (int)short.MaxValue, short.MinValue, -(1 << 9) }, SingleLayer(config, linear).RunLayer(0, acts));
        Assert.Equal(GoldenCases.Dense(config, linear, acts).Outputs, SingleLayer(config, linear).RunLayer(0, acts));
    }

    [Fact]
    public void AccumulatorWrapsAtAccWidthAndIsCounted()
    {
        var config = GoldenCases.Config(1, 3);
        // 127 x 127 >> 3 = 2016 per input; 300 inputs sum to 604800, past 2^19, so the 20-bit
        // accumulator wraps to 604800 - 2^20 = -443776, which saturates low. Row 1's single
        // product does not wrap and saturates high.
        const int inputs = 300;
        var codebook = new int[8];
        codebook[1] = 127;
        var indices = new byte[2 * inputs];
        for (int j = 0; j < inputs; j++) indices[j] = 1;
        indices[inputs] = 1;
        var layer = new DenseLayer(inputs, 2, false, false, indices, codebook);
        var acts = Enumerable.Repeat(127, inputs).ToArray();
        var outputs = new int[2];
        Assert.Equal(1, SingleLayer(config, layer).RunLayer(0, acts, outputs));
        Assert.Equal(new[] { -128, 127 }, outputs);
    }

    [Fact]
    public void SumsBeyondSixtyFourBitsAreExact()
    {
        var config = GoldenCases.Config(3, 1);
        var codebook = new int[16];
        codebook[1] = int.MinValue;
        const int inputs = 5;
        var layer = new DenseLayer(inputs, 1, false, false, Enumerable.Repeat((byte)1, inputs).ToArray(), codebook);
        var acts = Enumerable.Repeat(int.MinValue, inputs).ToArray();
        var outputs = new int[1];
        // 5 x 2^62 overflows a long as well as the 62-bit accumulator; the wrap must still be exact.
        int overflows = SingleLayer(config, layer).RunLayer(0, acts, outputs);
        var (expected, expectedOverflows) = GoldenCases.Dense(config, layer, acts);
        Assert.Equal(1, overflows);
        Assert.Equal(expectedOverflows, overflows);
        Assert.Equal(expected, outputs);
    }

    [Fact]
    public void LongZeroRunsNeedPaddingAndStillDecode()
    {
        var config = new EieConfig { Pes = 1, ActRegEntries = 100 };
        var codebook = Enumerable.Range(0, 16).Select(v => v * 100).ToArray();
        var indices = new byte[100 * 2];
        indices[99 * 2] = 5;
        indices[40 * 2 + 1] = 7;
        var layer = new DenseLayer(2, 100, false, false, indices, codebook);
        Assert.True(layer.Encode(config, "fc").Pes[0].PaddingEntries(config.IndexBits) > 0);
        int[] acts = [3 << 8, -(2 << 8)];
        Assert.Equal(GoldenCases.Dense(config, layer, acts).Outputs, SingleLayer(config, layer).RunLayer(0, acts));
    }

    [Fact]
    public void WrongInputsAreRefused()
    {
        var config = new EieConfig { Pes = 2 };
        var golden = SingleLayer(config, GoldenCases.RandomLayer(config, new DeterministicRandom(2), 10, 10, false, true, 0.5));
        Assert.Throws<EieInputException>(() => golden.RunLayer(0, new int[9]));
        var tooLarge = new int[10];
        tooLarge[4] = 1 << 15;
        Assert.Contains("act 4", Assert.Throws<EieInputException>(() => golden.RunLayer(0, tooLarge)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => golden.RunLayer(1, new int[10]));
    }

    [Fact]
    public void ImagesTheHardwareCannotRunAreRefused()
    {
        var config = new EieConfig { Pes = 1 };
        var layer = GoldenCases.RandomLayer(config, new DeterministicRandom(3), 4, 4, false, true, 1.0).Encode(config, "fc");
        var entries = (ushort[])layer.Pes[0].Entries.Clone();
        entries[^1] = (ushort)((9 << config.IndexBits) | 1);
        var broken = layer with { Pes = [layer.Pes[0] with { Entries = entries }] };
        Assert.Contains("local row", Assert.Throws<EieInputException>(() => new GoldenModel(ModelImage.Build(config, [broken]))).Message);
    }
}
