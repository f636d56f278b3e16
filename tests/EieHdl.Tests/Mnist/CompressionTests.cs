using EieHdl.Config;
using EieHdl.Mnist;

namespace EieHdl.Tests.Mnist;

[Collection(MnistCollection.Name)]
public sealed class CompressionTests(MnistFixture data)
{
    private static readonly double[] Densities = MnistSettings.Quick.Densities;

    [Fact]
    public void PruningReachesEachLayersDensityAndRetrainingKeepsTheMask()
    {
        var t = data.Quick;
        for (int l = 0; l < t.Pruned.LayerCount; l++)
        {
            long count = t.Pruned.W[l].Length;
            long expected = (long)Math.Round(Densities[l] * count, MidpointRounding.AwayFromZero);
            Assert.Equal(expected, DeepCompression.Kept(t.Masks[l]));
            // After retraining, every pruned weight is still exactly 0, in the pruned and the shared network.
            for (int i = 0; i < count; i++)
                if (t.Masks[l][i] == 0)
                {
                    Assert.Equal(0f, t.Pruned.W[l][i]);
                    Assert.Equal(0, t.Sharing.WeightIndex[l][i]);
                }
        }
        double overall = t.Masks.Sum(DeepCompression.Kept) / (double)t.Pruned.WeightCount;
        Assert.InRange(overall, 0.08, 0.085);
    }

    [Fact]
    public void WeightSharingHasAtMost16ValuesPerLayerAndEntry0IsZero()
    {
        var t = data.Quick;
        for (int l = 0; l < t.Shared.LayerCount; l++)
        {
            Assert.Equal(16, t.Sharing.Codebook[l].Length);
            Assert.Equal(0.0, t.Sharing.Codebook[l][0]);
            var distinct = t.Shared.W[l].Concat(t.Shared.B[l]).Distinct().ToArray();
            Assert.True(distinct.Length <= 16, $"layer {l}: {distinct.Length} distinct values");
            for (int i = 0; i < t.Shared.W[l].Length; i++)
                Assert.Equal((float)t.Sharing.Codebook[l][t.Sharing.WeightIndex[l][i]], t.Shared.W[l][i]);
            // Every kept weight uses a non-zero entry (entry 0 is the pruned value only).
            for (int i = 0; i < t.Masks[l].Length; i++)
                if (t.Masks[l][i] != 0) Assert.NotEqual(0, t.Sharing.WeightIndex[l][i]);
        }
        Assert.True(t.SharedAccuracy > 0.75, $"shared accuracy {t.SharedAccuracy:P2}");
    }

    [Fact]
    public void EncodedModelCarriesTheSharedNetwork()
    {
        var t = data.Quick;
        var model = MnistFlow.Compress(new EieConfig(), t);
        Assert.Equal(3, model.Layers.Count);
        Assert.Equal([true, true, false], model.Layers.Select(c => c.Layer.Relu));
        for (int l = 0; l < 3; l++)
        {
            Assert.Equal(0, model.Layers[l].Layer.Codebook[0]);
            Assert.Equal(DeepCompression.Kept(t.Masks[l]), model.Layers[l].KeptWeights);
            Assert.Equal(t.Sharing.Codebook[l], model.Layers[l].Layer.CodebookFloat);
        }
    }

    [Fact]
    public void GoldenModelMatchesTheFloatNetworkAndDoesNotDependOnThePeCount()
    {
        var t = data.Quick;
        var test = data.Test.Take(1000);
        var at64 = MnistFlow.Compress(new EieConfig(), t);
        var at4 = MnistFlow.Compress(new EieConfig { Pes = 4 }, t);
        Assert.True(at4.Config.ActSramDepth >= 2 * 196 && at4.Config.ActRegEntries >= 75);
        var inputs = MnistFlow.QuantizeInputs(at64.Config, test);
        Assert.Equal(256, inputs[0].Max()); // a white pixel is the act 1.0
        var golden = MnistFlow.GoldenPredictions(at64, inputs, out long overflows);
        Assert.Equal(0, overflows);
        Assert.Equal(golden, MnistFlow.GoldenPredictions(at4, inputs, out _));
        var floatPredictions = Trainer.Predict(t.Shared, test);
        double agreement = golden.Zip(floatPredictions, (a, b) => a == b ? 1.0 : 0.0).Average();
        Assert.True(agreement >= 0.98, $"golden and float agree on {agreement:P2}");
        double accuracy = Trainer.Accuracy(golden, test.Labels);
        Assert.True(accuracy > 0.75 && Math.Abs(accuracy - Trainer.Accuracy(floatPredictions, test.Labels)) <= 0.01, $"golden accuracy {accuracy:P2}, float {Trainer.Accuracy(floatPredictions, test.Labels):P2}, shared {t.SharedAccuracy:P2}, pruned {t.PrunedAccuracy:P2}");
    }
}
