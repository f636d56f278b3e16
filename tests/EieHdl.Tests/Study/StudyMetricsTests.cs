using EieHdl.Compression;
using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Study;

namespace EieHdl.Tests.Study;

/// <summary>Each study metric and CPU kernel on cases small enough to work out by hand.</summary>
public class StudyMetricsTests
{
    [Fact]
    public void LoadEfficiencyIsIdealOverActualCycles()
    {
        Assert.Equal(0.9, StudyMetrics.LoadEfficiency(90, 100));
        Assert.Equal(1.0, StudyMetrics.LoadEfficiency(0, 0));
    }

    [Fact]
    public void SpeedUpIsReferenceOverCycles() => Assert.Equal(4.0, StudyMetrics.SpeedUp(1000, 250));

    [Fact]
    public void PaddingShareIsPaddingOverAllEntries()
    {
        Assert.Equal(0.25, StudyMetrics.PaddingShare(3, 12));
        Assert.Equal(0.0, StudyMetrics.PaddingShare(0, 0));
    }

    [Fact]
    public void LoadBalanceIsMeanOverMax()
    {
        // Mean 4, max 6.
        Assert.Equal(4.0 / 6.0, StudyMetrics.LoadBalance([2, 4, 6]), 15);
        Assert.Equal(1.0, StudyMetrics.LoadBalance([0, 0]));
    }

    [Fact]
    public void CrossingInterpolatesInTheFirstIntervalWhereTheCurvesMeet()
    {
        // a - b goes 100 -> -100 between 0.5 and 0.9: they meet half way, at 0.7.
        Assert.Equal(0.7, StudyMetrics.Crossing([0.5, 0.9], [300, 100], [200, 200])!.Value, 12);
        Assert.Equal(0.5, StudyMetrics.Crossing([0.5, 0.9], [100, 50], [200, 200]));
        Assert.Null(StudyMetrics.Crossing([0.5, 0.9], [300, 250], [200, 200]));
        Assert.Throws<ArgumentException>(() => StudyMetrics.Crossing([0.5], [1, 2], [1]));
    }

    [Fact]
    public void MedianOfOddAndEvenCounts()
    {
        Assert.Equal(3.0, StudyMetrics.Median([5, 1, 3]));
        Assert.Equal(2.5, StudyMetrics.Median([4, 1, 3, 2]));
    }

    [Fact]
    public void CpuKernelsComputeTheSameProductAsByHand()
    {
        // W = [[1, 0, 2], [0, 0, 0], [0, 3, 1]] through codebook {0, 1, 2, 3}; x = (2, 0, 5).
        byte[] indices = [1, 0, 2, 0, 0, 0, 0, 3, 1];
        var m = CpuLayer.FromIndices(indices, 3, 3, [0.0, 1.0, 2.0, 3.0]);
        float[] x = [2, 0, 5];
        float[] expected = [12, 0, 5];
        Assert.Equal([1f, 0, 2, 0, 0, 0, 0, 3, 1], m.Dense());
        var y = new float[3];
        CpuKernels.Dense(m.Dense(), 3, x, y);
        Assert.Equal(expected, y);
        y = new float[3];
        CpuKernels.DenseParallel(m.Dense(), 3, x, y, threads: 2);
        Assert.Equal(expected, y);
        y = new float[3];
        CpuKernels.Csr(m, x, y);
        Assert.Equal(expected, y);
        y = [9, 9, 9];
        CpuKernels.SparseSparse(m, x, y, new int[3]);
        Assert.Equal(expected, y);
    }

    [Fact]
    public void PointResultCountsEntriesAndPaddingOfTheActiveColumns()
    {
        // One PE, runs of at most 1 zero row (RunBits 1; 3 index bits so an entry divides the word): column 0 has its only weight at row 5,
        // so 5 zeros before it take 2 padding entries (each bridges 2 rows) and the weight 1.
        // Column 1 (input 0, inactive) and the bias column (row 0 only) add 0 and 1 entries.
        var config = new EieConfig { Pes = 1, RunBits = 1, IndexBits = 3, CodebookSize = 2, ActRegEntries = 8, ActSramDepth = 16, PtrDepth = 8, SpmatDepth = 8, PtrWidth = 8 };
        const int rows = 6, columns = 3;
        var indices = new byte[rows * columns];
        indices[5 * columns + 0] = 1;
        indices[0 * columns + 1] = 1;
        indices[0 * columns + 2] = 1;
        var layer = LayerCompressor.FromIndices(config, "t", indices, rows, 2, hasBias: true, [0.0, 0.5], relu: true);
        var image = ModelImage.Build(config, [layer.Layer]);
        var r = PointResult.Of(image, [256, 0]);
        Assert.Equal(4, r.Entries);
        Assert.Equal(2, r.PaddingEntries);
        Assert.Equal(4, r.IdealCycles);
        Assert.Equal(1.0, r.LoadBalance);
        Assert.True(r.Cycles >= r.IdealCycles);
    }

    [Fact]
    public void SweepRunnerReturnsResultsInItemOrderForAnyNumberOfJobs()
    {
        int[] items = [5, 1, 4, 2, 3];
        var one = SweepRunner.Run("t", items, x => x * x, 1, _ => { });
        var many = SweepRunner.Run("t", items, x => x * x, 4, _ => { }, cost: x => x);
        Assert.Equal([25, 1, 16, 4, 9], one);
        Assert.Equal(one, many);
    }

    [Fact]
    public void SweepConfigsGrowTheMemoriesToHoldTheLayerAndValidate()
    {
        var layer = StudyLayer.Make(new EieConfig(), StudyPlan.Quick.Layers[0], StudyPlan.Seed);
        var encoded = layer.Encode(new EieConfig(), 1, balanced: false);
        var image = layer.Image(new EieConfig(), encoded, depth: 2);
        var c = image.Config;
        Assert.Equal(1, c.Pes);
        Assert.Equal(2, c.ActQueueDepth);
        Assert.Equal(layer.Spec.Outputs, c.ActRegEntries);
        Assert.True(c.SpmatEntries >= encoded.TotalEntries);
        Assert.True((1L << c.PtrWidth) - 1 >= encoded.TotalEntries);
        Assert.True(c.PtrDepth >= layer.Columns + 1);
    }

    [Fact]
    public void APlanWhoseMemoriesCannotGrowEnoughIsRefusedBeforeAnyLayerIsMade()
    {
        // Two-bit entries, one per word: VGG-6 on 1 PE may need a padding entry for every 2 of
        // its 4096 rows in each of its 25,089 columns, over 2^24 spmat words.
        var config = new EieConfig { IndexBits = 1, RunBits = 1, CodebookSize = 2, SpmatWordBits = 2 };
        var plan = StudyPlan.Quick with { Layers = [EieHdl.Workloads.BenchmarkLayers.Vgg6] };
        var e = Assert.Throws<EieInputException>(() => StudyRunner.Check(plan, config, jobs: 1));
        Assert.Contains("vgg6, 1 PEs", e.Message);
        Assert.Contains("SpmatDepth", e.Message);
        StudyRunner.Check(StudyPlan.Full, new EieConfig(), jobs: 1);
    }
}
