using EieHdl.Compression;
using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Golden;
using EieHdl.Workloads;

namespace EieHdl.Tests.Encoding;

/// <summary>The model compiler's output batches: the split by hand, the layer table, and what does not fit.</summary>
public class OutputBatchingTests
{
    private static ushort E(EieConfig c, int z, int v) => (ushort)((z << c.IndexBits) | v);

    [Fact]
    public void FiveRowsOnOnePeWithTwoAccumulatorsAreThreeBatches()
    {
        var config = new EieConfig { Pes = 1, ActRegEntries = 2, MaxLayers = 3 }.Validate();
        // One column; rows 1 and 4 hold weights 3 and 7.
        byte[] indices = [0, 3, 0, 0, 7];
        var whole = SpmatEncoder.Encode(config, indices, 5, 1);
        Assert.Equal([E(config, 1, 3), E(config, 2, 7)], whole[0].Entries);

        Assert.Equal((3, 2), OutputBatches.Of(config, 5));
        Assert.Equal((0, 2), OutputBatches.Slice(config, 5, 0));
        Assert.Equal((2, 2), OutputBatches.Slice(config, 5, 1));
        Assert.Equal((4, 1), OutputBatches.Slice(config, 5, 2));

        var b0 = SpmatEncoder.SliceRows(config, whole[0], 1, 0, 2);
        var b1 = SpmatEncoder.SliceRows(config, whole[0], 1, 2, 2);
        var b2 = SpmatEncoder.SliceRows(config, whole[0], 1, 4, 2);
        Assert.Equal([2, 2, 1], new[] { b0.LocalRows, b1.LocalRows, b2.LocalRows });
        Assert.Equal([0, 1], b0.Pointers);
        Assert.Equal([E(config, 1, 3)], b0.Entries);
        Assert.Equal([0, 0], b1.Pointers);
        Assert.Empty(b1.Entries);
        Assert.Equal([0, 1], b2.Pointers);
        Assert.Equal([E(config, 0, 7)], b2.Entries);

        var layer = new EncodedLayer
        {
            Name = "fc", Inputs = 1, Outputs = 5, HasBias = false, Relu = false,
            Codebook = new int[config.CodebookSize], CodebookFloat = new double[config.CodebookSize], Pes = whole,
        };
        var image = ModelImage.Build(config, [layer]);
        Assert.Equal(3, image.Layers[0].Batches);
        Assert.Equal([(0, 2, 0, 0, false), (2, 2, 2, 2, false), (4, 1, 4, 4, true)],
            image.Rows.Select(r => (r.FirstOutput, r.Outputs, r.OutputBase, r.PtrBase, r.LastBatch)));
        // Each batch's pointers are absolute in the PE's one spmat memory.
        Assert.Equal([0, 1, 1, 1, 1, 2], image.Pes[0].Pointers);
        Assert.Equal([E(config, 1, 3), E(config, 0, 7)], image.Pes[0].Entries);
    }

    [Fact]
    public void ARunAcrossABatchBoundaryIsPaddedFromTheBatchStart()
    {
        var config = new EieConfig { Pes = 2, ActRegEntries = 4, RunBits = 1, SpmatWordBits = 40 }.Validate();
        // PE 0 owns the even rows (local x = row / 2); weights at local rows 0 and 7 of PE 0.
        var indices = new byte[16];
        indices[0] = 5; indices[14] = 9;
        var whole = SpmatEncoder.Encode(config, indices, 16, 1)[0];
        // MaxRun 1: the run of 6 zero rows is three paddings (each advances 2 rows), then z = 0.
        Assert.Equal([E(config, 0, 5), E(config, 1, 0), E(config, 1, 0), E(config, 1, 0), E(config, 0, 9)], whole.Entries);
        Assert.Equal((2, 4), OutputBatches.Of(config, 16));
        Assert.Equal([E(config, 0, 5)], SpmatEncoder.SliceRows(config, whole, 1, 0, 4).Entries);
        // Local row 7 is row 3 of batch 1: one padding over rows 0-1, then z = 1.
        Assert.Equal([E(config, 1, 0), E(config, 1, 9)], SpmatEncoder.SliceRows(config, whole, 1, 4, 4).Entries);
    }

    [Fact]
    public void BatchesAreEqualNotFullAndARemainder()
    {
        // NT-Wd at 64 PEs: 138 rows per PE in 3 batches of 46, not 64 + 64 + 10.
        var config = new EieConfig { Pes = 64 }.Validate();
        Assert.Equal((3, 46), OutputBatches.Of(config, 8791));
        Assert.Equal((2 * 46 * 64, 8791 - 2 * 46 * 64), OutputBatches.Slice(config, 8791, 2));
        Assert.Equal((1, 64), OutputBatches.Of(config, 64 * 64));
        Assert.Equal((2, 33), OutputBatches.Of(config, 64 * 64 + 1));
    }

    [Fact]
    public void ABatchedLayerComputesWhatTheUnbatchedLayerDoes()
    {
        var batched = new EieConfig { Pes = 3, ActRegEntries = 2, MaxLayers = 8, PtrDepth = 512 }.Validate();
        var whole = batched with { ActRegEntries = 64 };
        var random = new Random(5);
        var w = Enumerable.Range(0, 20 * 17).Select(_ => random.NextDouble() - 0.5).ToArray();
        var b = Enumerable.Range(0, 17).Select(_ => random.NextDouble() - 0.5).ToArray();
        var layer = LayerCompressor.Compress(batched, "fc", w, 17, 20, b, 0.4, relu: true).Layer;
        var input = Enumerable.Range(0, 20).Select(j => j % 4 == 0 ? 0 : random.Next(-300, 300)).ToArray();

        var batchedImage = ModelImage.Build(batched, [layer]);
        Assert.Equal(3, batchedImage.Rows.Count);   // 6 rows per PE in batches of 2
        Assert.Equal(new GoldenModel(ModelImage.Build(whole, [layer])).RunChain(input), new GoldenModel(batchedImage).RunChain(input));
        // Every kept weight is in exactly one batch.
        Assert.Equal(ModelImage.Build(whole, [layer]).Pes.Sum(p => p.Entries.Count(e => (e & 15) != 0)),
            batchedImage.Pes.Sum(p => p.Entries.Count(e => (e & 15) != 0)));
    }

    [Fact]
    public void RandomCosimulationCasesIncludeBatchedLayers()
    {
        // The soak and the cycle-model co-simulation draw from these cases: with few
        // accumulators and a layer table to spare, some layers must run in batches.
        var config = new EieConfig { Pes = 2, PtrDepth = 256, SpmatDepth = 512, ActSramDepth = 128, ActRegEntries = 4, MaxLayers = 6 }.Validate();
        var cases = Enumerable.Range(0, 20).Select(k => RandomCosimCase.Generate(config, (ulong)k)).ToArray();
        Assert.Contains(cases, c => c.Image.Layers.Any(l => l.Batches > 1));
        Assert.All(cases, c => Assert.True(c.Image.Rows.Count <= config.MaxLayers));
    }

    [Fact]
    public void BatchesBeyondMaxLayersAreRefusedNamingTheField()
    {
        var config = new EieConfig { Pes = 4, ActRegEntries = 2, MaxLayers = 2 }.Validate();
        // 20 outputs over 4 PEs: 5 rows per PE, 3 batches of 2.
        var e = Assert.Throws<EieInputException>(() => ModelImage.CheckShapes(config, [new LayerShape("fc", 8, 20, true)]));
        Assert.Equal("layer fc: the layers up to this one need at most MaxLayers 2 layer-table rows (one per layer, one per output batch of a layer with more than ActRegEntries 2 rows per PE), got 3", e.Message);
        // A chain: each layer fits alone, the batched one and the next together do not.
        var chain = new[] { new LayerShape("a", 8, 20, false), new LayerShape("b", 20, 4, false) };
        var three = config with { MaxLayers = 3 };
        ModelImage.CheckShapes(three, chain[..1]);
        ModelImage.CheckShapes(three, chain[1..]);
        Assert.EndsWith("rows per PE), got 4", Assert.Throws<EieInputException>(() => ModelImage.CheckShapes(three, chain)).Message);
    }
}
