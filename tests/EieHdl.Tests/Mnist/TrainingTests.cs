using EieHdl.Mnist;

namespace EieHdl.Tests.Mnist;

[Collection(MnistCollection.Name)]
public sealed class TrainingTests(MnistFixture data)
{
    [Fact]
    public void RealFilesHaveMnistShapes()
    {
        Assert.Equal(60000, data.Train.Count);
        Assert.Equal(10000, data.Test.Count);
        Assert.Equal((28, 28), (data.Test.Images.Rows, data.Test.Images.Columns));
        Assert.Equal(7, data.Test.Labels[0]);
    }

    [Fact]
    public void ShortTrainingRunClearlyBeatsChance()
    {
        // One epoch on 5,000 images; chance is 10%.
        Assert.True(data.Quick.BaselineAccuracy > 0.85, $"accuracy {data.Quick.BaselineAccuracy:P2}");
    }

    [Fact]
    public void ShiftedBatchMovesEveryPixelAndZeroFillsTheUncoveredBorder()
    {
        var set = data.Train.Take(3);
        int width = set.Images.Columns, height = set.Images.Rows, pixels = width * height;
        (int, int)[] shifts = [(1, 0), (-2, 1), (0, 0)];
        var input = new float[3 * pixels];
        input.AsSpan().Fill(-1f);   // stale values from a previous batch must not survive
        Trainer.LoadShiftedBatch(set, [0, 1, 2], shifts, input);
        for (int r = 0; r < 3; r++)
        {
            var image = set.Images.Image(r);
            var (dx, dy) = shifts[r];
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    int sx = x - dx, sy = y - dy;
                    float expected = sx < 0 || sx >= width || sy < 0 || sy >= height ? 0f : image[sy * width + sx] / 255f;
                    Assert.Equal(expected, input[r * pixels + y * width + x]);
                }
        }
    }

    [Fact]
    public void HoldOutSplitsOffTheLastImagesAsValidation()
    {
        var set = data.Train.Take(1000);
        var (train, validation) = MnistFlow.HoldOut(set, 100);
        Assert.Equal((900, 100), (train.Count, validation.Count));
        Assert.Equal(set.Labels[900..], validation.Labels);
        Assert.True(set.Images.Image(900).SequenceEqual(validation.Images.Image(0)));
        Assert.True(set.Images.Image(899).SequenceEqual(train.Images.Image(899)));
        Assert.Throws<EieInputException>(() => MnistFlow.HoldOut(set, 1000));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void TrainingIsDeterministicWhateverTheThreadCount(int maxShift)
    {
        var subset = data.Train.Take(600);
        var settings = new TrainSettings(Epochs: 1, BatchSize: 50, Seed: 7, MaxShift: maxShift);
        var previous = Kernels.Options;
        try
        {
            Kernels.Options = new ParallelOptions { MaxDegreeOfParallelism = 1 };
            var one = Mlp.Create(Mlp.LeNet300100, 7);
            Trainer.Train(one, subset, settings);
            Kernels.Options = new ParallelOptions { MaxDegreeOfParallelism = 4 };
            var four = Mlp.Create(Mlp.LeNet300100, 7);
            Trainer.Train(four, subset, settings);
            for (int l = 0; l < one.LayerCount; l++)
            {
                Assert.Equal(one.W[l], four.W[l]);
                Assert.Equal(one.B[l], four.B[l]);
            }
            Assert.NotEqual(Mlp.Create(Mlp.LeNet300100, 7).W[0], one.W[0]);
            if (maxShift > 0)
            {
                // Augmentation must change what the network sees.
                var unshifted = Mlp.Create(Mlp.LeNet300100, 7);
                Trainer.Train(unshifted, subset, settings with { MaxShift = 0 });
                Assert.NotEqual(unshifted.W[0], one.W[0]);
            }
        }
        finally
        {
            Kernels.Options = previous;
        }
    }
}
