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
    public void TrainingIsDeterministicWhateverTheThreadCount()
    {
        var subset = data.Train.Take(600);
        var settings = new TrainSettings(Epochs: 1, BatchSize: 50, Seed: 7);
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
        }
        finally
        {
            Kernels.Options = previous;
        }
    }
}
