using System.Diagnostics;
using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Golden;
using EieHdl.Workloads;
using Xunit.Abstractions;

namespace EieHdl.Tests.Golden;

public class GoldenModelTimingTests(ITestOutputHelper output)
{
    /// <summary>
    /// An indication, not a benchmark: an Alex-7-sized random layer (4096 x 4096 + bias, 9%
    /// weights, 35.3% acts, 64 PEs). The bound only catches a gross regression; the time is
    /// printed for the record.
    /// </summary>
    [Fact]
    public void Alex7SizedLayerRunsInMilliseconds()
    {
        var config = new EieConfig();
        var random = new DeterministicRandom(7);
        var layer = GoldenCases.RandomLayer(config, random, 4096, 4096, true, true, 0.09);
        var acts = new int[4096];
        for (int j = 0; j < acts.Length; j++)
            if (random.NextDouble() < 0.353) acts[j] = 1 + random.NextInt(1024);
        var image = ModelImage.Build(config, [layer.Encode(config, "alex7")]);

        var build = Stopwatch.StartNew();
        var golden = new GoldenModel(image);
        build.Stop();
        var work = WorkStatistics.ForLayer(image, 0, acts);

        var outputs = new int[4096];
        for (int warm = 0; warm < 5; warm++) golden.RunLayer(0, acts, outputs);
        const int runs = 50;
        var clock = Stopwatch.StartNew();
        for (int run = 0; run < runs; run++) golden.RunLayer(0, acts, outputs);
        clock.Stop();
        double msPerRun = clock.Elapsed.TotalMilliseconds / runs;
        output.WriteLine($"golden model: build {build.Elapsed.TotalMilliseconds:F0} ms, RunLayer {msPerRun:F3} ms, " +
            $"{work.TotalEntries} entries in active columns, ideal cycles {work.IdealCycles}, balance {work.LoadBalanceEfficiency:F3}");
        Assert.InRange(msPerRun, 0, 50);
    }
}
