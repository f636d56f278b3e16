using EieHdl.Arithmetic;
using EieHdl.Compression;
using EieHdl.Config;
using EieHdl.CycleModel;
using EieHdl.Encoding;
using EieHdl.Golden;
using Xunit.Abstractions;

namespace EieHdl.Tests.Compression;

public class LayerCompressorTests
{
    private static double[] RandomWeights(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
    }

    [Theory]
    [InlineData(15, 0)]
    [InlineData(16, 1)]
    [InlineData(31, 1)]
    [InlineData(32, 2)]
    public void RunsOfZerosArePaddedThroughTheFullCompressor(int zeros, int paddings)
    {
        var config = new EieConfig { Pes = 1 };
        int outputs = zeros + 1;
        var w = new double[outputs * 2];
        w[0 * 2 + 0] = 0.5;          // column 0: an entry, then the run, then an entry
        w[zeros * 2 + 0] = -0.5;
        w[zeros * 2 + 1] = 0.25;     // column 1: the run from the column start
        var layer = LayerCompressor.Compress(config, "pad", w, outputs, 2, null, 3.0 / w.Length, relu: true);
        var slice = layer.Layer.Pes[0];
        int perColumn0 = 2 + Math.Max(0, (zeros - 1) / 16);
        Assert.Equal([0, perColumn0, perColumn0 + paddings + 1], slice.Pointers);
        Assert.Equal(paddings + ((zeros - 1) / 16), slice.PaddingEntries(config.IndexBits));
        Assert.Equal(zeros - 16 * paddings, slice.Entries[^1] >> 4);
        for (int p = 0; p < paddings; p++) Assert.Equal(15 << 4, slice.Entries[perColumn0 + p]);
        Assert.Equal(3, layer.KeptWeights);
        AssertDecodesToQuantized(config, layer);
    }

    [Fact]
    public void AllZeroAndFullyDenseColumns()
    {
        var config = new EieConfig { Pes = 4 };
        const int outputs = 37, inputs = 3;
        var w = new double[outputs * inputs];
        for (int r = 0; r < outputs; r++) { w[r * inputs + 1] = 0.1 + r * 0.01; w[r * inputs + 2] = r == 20 ? -1 : 0; }
        var layer = LayerCompressor.Compress(config, "cols", w, outputs, inputs, null, 1.0, relu: false);
        foreach (var slice in layer.Layer.Pes)
        {
            Assert.Equal(slice.Pointers[0], slice.Pointers[1]);
            Assert.Equal(slice.LocalRows, slice.Pointers[2] - slice.Pointers[1]);
            Assert.All(slice.Entries[slice.Pointers[1]..slice.Pointers[2]], e => Assert.Equal(0, e >> 4));
        }
        Assert.Equal(outputs + 1, layer.KeptWeights);
        Assert.Equal((outputs + 1.0) / (outputs * inputs), layer.Density);
        AssertDecodesToQuantized(config, layer);
    }

    [Fact]
    public void CodebookHasEntryZeroAtZeroAndAtMostCodebookSizeValues()
    {
        var config = new EieConfig { Pes = 8 };
        var w = RandomWeights(200 * 100, 11);
        var layer = LayerCompressor.Compress(config, "fc", w, 200, 100, RandomWeights(200, 12), 0.1, relu: true);
        Assert.Equal(0, layer.Layer.Codebook[0]);
        Assert.Equal(0.0, layer.Layer.CodebookFloat[0]);
        Assert.Equal(config.CodebookSize, layer.Layer.Codebook.Length);
        Assert.True(layer.QuantizedWeights.Distinct().Count() <= config.CodebookSize);
        Assert.Equal(2000, layer.KeptWeights);
        Assert.Equal(0.1, layer.Density);
        Assert.True(layer.KMeansIterations > 0);
        for (int r = 0; r < 200; r++)
            for (int c = 0; c < 100; c++)
            {
                double q = layer.QuantizedWeights[r * 101 + c];
                if (q != 0) Assert.True(Math.Abs(q - w[r * 100 + c]) < 0.1);
            }
        AssertDecodesToQuantized(config, layer);
    }

    [Fact]
    public void BiasIsTheLastColumnAndIsNeverPruned()
    {
        var config = new EieConfig { Pes = 3 };
        const int outputs = 10, inputs = 6;
        var w = RandomWeights(outputs * inputs, 2);
        double[] bias = [1e-6, 0, -1e-6, 0.5, 0, 0, 2, 0, 0, -3];
        var layer = LayerCompressor.Compress(config, "b", w, outputs, inputs, bias, 0.2, relu: true);
        Assert.True(layer.Layer.HasBias);
        Assert.Equal(inputs + 1, layer.Columns);
        Assert.Equal(12, layer.KeptWeights);
        byte[] indices = SpmatEncoder.Decode(config, layer.Layer.Pes, outputs, inputs + 1);
        for (int r = 0; r < outputs; r++)
        {
            int v = indices[r * (inputs + 1) + inputs];
            if (bias[r] == 0) Assert.Equal(0, v);
            if (Math.Abs(bias[r]) >= 0.5) Assert.Equal(Math.Sign(bias[r]), Math.Sign(layer.QuantizedWeights[r * (inputs + 1) + inputs]));
            // +-1e-6 is stored only if it shares a value that is not 0 in fixed point.
            if (v != 0) Assert.NotEqual(0, layer.Layer.Codebook[v]);
        }
        AssertDecodesToQuantized(config, layer);
    }

    [Fact]
    public void BiasValuesSharingAZeroValueAreNotStoredAndChangeNoOutput()
    {
        var config = new EieConfig { Pes = 3 }.Validate();
        const int outputs = 30, inputs = 8;
        var w = RandomWeights(outputs * inputs, 4);
        // Rows 0, 3, 6, ... (all on PE 0) have a real bias; the others one far below the
        // weight step 2^-12, whose shared centroid rounds to 0.
        var bias = Enumerable.Range(0, outputs).Select(r => r % 3 == 0 ? (r % 2 == 0 ? 1 : -1) * (0.4 + 0.02 * r) : (r % 2 == 0 ? 1e-5 : -1e-5)).ToArray();
        var layer = LayerCompressor.Compress(config, "b", w, outputs, inputs, bias, 0.5, relu: false);

        byte[] indices = SpmatEncoder.Decode(config, layer.Layer.Pes, outputs, inputs + 1);
        for (int r = 0; r < outputs; r++)
            Assert.True((r % 3 == 0) == (indices[r * (inputs + 1) + inputs] != 0), $"row {r}: bias index {indices[r * (inputs + 1) + inputs]}");
        foreach (var slice in layer.Layer.Pes)
            foreach (ushort e in slice.Entries)
                if ((e & 15) != 0) Assert.NotEqual(0, layer.Layer.Codebook[e & 15]);
        Assert.All(layer.Layer.Pes.Skip(1), s => Assert.Equal(s.Pointers[inputs], s.Pointers[inputs + 1]));
        AssertDecodesToQuantized(config, layer);

        // The same layer with the zero-valued bias entries stored computes the same outputs in more cycles.
        int zero = Enumerable.Range(1, config.CodebookSize - 1).First(v => layer.Layer.Codebook[v] == 0);
        var stored = (byte[])indices.Clone();
        for (int r = 0; r < outputs; r++)
            if (r % 3 != 0) stored[r * (inputs + 1) + inputs] = (byte)zero;
        var withZeros = layer.Layer with { Pes = SpmatEncoder.Encode(config, stored, outputs, inputs + 1) };
        var fp = new FixedPoint(config);
        var random = new Random(5);
        var input = Enumerable.Range(0, inputs).Select(_ => fp.QuantizeActivation(random.NextDouble() * 2 - 1)).ToArray();
        var dropped = ModelImage.Build(config, [layer.Layer]);
        var kept = ModelImage.Build(config, [withZeros]);
        Assert.Equal(new GoldenModel(kept).RunChain(input), new GoldenModel(dropped).RunChain(input));
        long droppedCycles = new EieCycleModel(dropped).Run(input).Cycles, keptCycles = new EieCycleModel(kept).Run(input).Cycles;
        Assert.True(droppedCycles < keptCycles, $"without the zero biases {droppedCycles} cycles, with them {keptCycles}");
    }

    [Fact]
    public void SameInputGivesTheSameLayer()
    {
        var config = new EieConfig { Pes = 5 };
        var w = RandomWeights(64 * 48, 9);
        var a = LayerCompressor.Compress(config, "d", w, 64, 48, null, 0.3, relu: true);
        var b = LayerCompressor.Compress(config, "d", w, 64, 48, null, 0.3, relu: true);
        Assert.Equal(a.Layer.CodebookFloat, b.Layer.CodebookFloat);
        Assert.Equal(a.QuantizedWeights, b.QuantizedWeights);
        Assert.Equal(a.Layer.Pes.SelectMany(p => p.Entries), b.Layer.Pes.SelectMany(p => p.Entries));
    }

    [Fact]
    public void ShapeMismatchesAreRefusedNamingTheInput()
    {
        var config = new EieConfig();
        Assert.Equal("layer fc: weights must have outputs x inputs = 3 x 4 = 12 values, got 11",
            Assert.Throws<EieInputException>(() => LayerCompressor.Compress(config, "fc", new double[11], 3, 4, null, 0.5, true)).Message);
        Assert.Equal("layer fc: bias must have outputs = 3 values, got 4",
            Assert.Throws<EieInputException>(() => LayerCompressor.Compress(config, "fc", new double[12], 3, 4, new double[4], 0.5, true)).Message);
        Assert.Equal("layer fc: inputs must be at least 1, got 0",
            Assert.Throws<EieInputException>(() => LayerCompressor.Compress(config, "fc", [], 3, 0, null, 0.5, true)).Message);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1.5, "1.5")]
    public void BadDensityIsRefused(double density, string shown)
    {
        var e = Assert.Throws<EieInputException>(() =>
            LayerCompressor.Compress(new EieConfig(), "fc7", new double[12], 3, 4, null, density, true));
        Assert.Equal($"layer fc7: density must be in (0, 1], got {shown}", e.Message);
    }

    [Fact]
    public void NonFiniteWeightOrBiasIsRefused()
    {
        var w = new double[12];
        w[5] = double.NaN;
        Assert.Equal("layer fc7: weight at row 1, column 1 must be finite, got NaN",
            Assert.Throws<EieInputException>(() => LayerCompressor.Compress(new EieConfig(), "fc7", w, 3, 4, null, 0.5, true)).Message);
        double[] bias = [0, double.PositiveInfinity, 0];
        Assert.Equal("layer fc7: bias at row 1, column 0 must be finite, got Infinity",
            Assert.Throws<EieInputException>(() => LayerCompressor.Compress(new EieConfig(), "fc7", new double[12], 3, 4, bias, 0.5, true)).Message);
    }

    [Fact]
    public void CentroidOutOfRangeIsRefused()
    {
        double[] w = [9.31, 9.31, -0.5, 0.25];
        var config = new EieConfig { CodebookSize = 4 };
        var e = Assert.Throws<EieInputException>(() => LayerCompressor.Compress(config, "fc7", w, 2, 2, null, 1.0, true));
        Assert.Equal("layer fc7: codebook value 9.31 exceeds the range of WeightWidth 16 / WeightFracBits 12 ([-8, 7.99976]); lower WeightFracBits", e.Message);
        var ok = LayerCompressor.Compress(config with { WeightFracBits = 8 }, "fc7", w, 2, 2, null, 1.0, true);
        Assert.Contains((int)Math.Round(9.31 * 256), ok.Layer.Codebook);
    }

    [Fact]
    public void FromIndicesBuildsTheSameLayerAsTheIndicesSay()
    {
        var config = new EieConfig { Pes = 2, CodebookSize = 4, IndexBits = 2, RunBits = 2, SpmatWordBits = 16 };
        byte[] indices = [1, 0, 3, 0, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0];
        var layer = LayerCompressor.FromIndices(config, "ix", indices, 14, 1, true, [0, 0.5, -0.25, 1], relu: false);
        Assert.Equal(indices, SpmatEncoder.Decode(config, layer.Layer.Pes, 14, 2));
        Assert.Equal([0, 2048, -1024, 4096], layer.Layer.Codebook);
        Assert.Equal(4, layer.KeptWeights);
        Assert.Equal("layer ix: codebook entry 0 must be 0, got 0.5",
            Assert.Throws<EieInputException>(() => LayerCompressor.FromIndices(config, "ix", indices, 14, 1, true, [0.5, 0.5, -0.25, 1], false)).Message);
    }

    private static void AssertDecodesToQuantized(EieConfig config, CompressedLayer layer)
    {
        var l = layer.Layer;
        byte[] indices = SpmatEncoder.Decode(config, l.Pes, l.Outputs, l.Columns);
        Assert.Equal(indices.Select(v => l.CodebookFloat[v]), layer.QuantizedWeights);
    }
}

public class LayerCompressorScaleTests(ITestOutputHelper output)
{
    [Fact]
    public void AnAlexNetFc7SizedLayerKeepsTheDensityAndThePayloadOfDeepCompression()
    {
        const int n = 4096;
        var rng = new Random(8);
        var w = new double[n * n];
        for (int i = 0; i < w.Length; i++) w[i] = (rng.NextDouble() - 0.5) * 0.05;
        var bias = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 0.1).ToArray();
        var config = new EieConfig();
        var layer = LayerCompressor.Compress(config, "fc7", w, n, n, bias, 0.09, relu: true);
        var report = HuffmanReport.Of(config, layer.Layer);
        output.WriteLine($"{layer.KMeansIterations} k-means iterations");
        output.WriteLine(HuffmanReport.TableHeader);
        output.WriteLine(report.TableRow());
        Assert.Equal((long)Math.Round(0.09 * n * n), layer.KeptWeights);
        Assert.Equal(layer.KeptWeights + n, report.KeptWeights);
        Assert.InRange(report.PayloadPercent, 2.25, 3.0);
    }
}
