using System.Text.Json;
using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.Flows;
using EieHdl.Golden;
using EieHdl.IO;

namespace EieHdl.Tests.Cli;

/// <summary>The commands as a user chains them: compress .npy layers, run the golden model, read the results.</summary>
public class CliFlowTests
{
    [Fact]
    public void CompressThenGoldenGivesTheLibrarysBitsForAChainWithBias()
    {
        using var dir = new ScratchFolder();
        var random = new Random(11);
        double[] Matrix(int rows, int cols) => Enumerable.Range(0, rows * cols).Select(_ => random.NextDouble() - 0.5).ToArray();
        var w1 = Matrix(20, 30); var w2 = Matrix(7, 20);
        var b1 = Enumerable.Range(0, 20).Select(i => 0.01 * i).ToArray();
        var b2 = Enumerable.Range(0, 7).Select(i => -0.02 * i).ToArray();
        Npy.Write(dir["fc1.npy"], w1, 20, 30); Npy.Write(dir["fc2.npy"], w2, 7, 20);
        Npy.Write(dir["b1.npy"], b1, 20); Npy.Write(dir["b2.npy"], b2, 7);
        var x = Enumerable.Range(0, 30).Select(j => j % 3 == 0 ? 0.0 : random.NextDouble() * 2).ToArray();
        Npy.Write(dir["x.npy"], x, 30);

        var compress = CliRunner.Run(dir.Path, "compress", "--weights", "fc1.npy", "fc2.npy", "--bias", "b1.npy", "b2.npy",
            "--density", "0.3", "0.5", "--no-relu-last", "--pes", "3", "--out", "model", "--json");
        Assert.True(compress.ExitCode == 0, compress.Stderr);
        using (var doc = JsonDocument.Parse(compress.Stdout))
            Assert.Equal(2, doc.RootElement.GetProperty("storage").GetArrayLength());

        var golden = CliRunner.Run(dir.Path, "golden", "--model", "model", "--input", "x.npy", "--out", "y.npy");
        Assert.True(golden.ExitCode == 0, golden.Stderr);
        Assert.Contains("fc2", golden.Stdout);

        var config = new EieConfig { Pes = 3 };
        var model = CompressedModel.Compress(config,
        [
            new LayerSource("fc1", w1, 20, 30, b1, 0.3, Relu: true),
            new LayerSource("fc2", w2, 7, 20, b2, 0.5, Relu: false),
        ]);
        var fp = new FixedPoint(config);
        int[] expected = new GoldenModel(model.Image).RunChain(x.Select(fp.QuantizeActivation).ToArray());
        var fixedOut = Npy.Read(dir["y_fixed.npy"]);
        Assert.Equal(expected.Select(v => (double)v), fixedOut.Data);
        Assert.Equal(expected.Select(fp.ActivationToDouble), Npy.ReadVector(dir["y.npy"]));
        Assert.Contains(expected, v => v < 0);   // the last layer has no ReLU
    }

    [Fact]
    public void ABalancedModelGivesTheSameOutputsInTheOriginalOrder()
    {
        using var dir = new ScratchFolder();
        var random = new Random(12);
        // Uneven rows (every fourth row dense), which interleaving piles onto one PE.
        double[] Matrix(int rows, int cols) => Enumerable.Range(0, rows * cols)
            .Select(k => (k / cols) % 4 == 0 || random.Next(5) == 0 ? random.NextDouble() - 0.5 : 0).ToArray();
        var w1 = Matrix(24, 30); var w2 = Matrix(9, 24);
        Npy.Write(dir["fc1.npy"], w1, 24, 30); Npy.Write(dir["fc2.npy"], w2, 9, 24);
        var x = Enumerable.Range(0, 30).Select(j => j % 3 == 0 ? 0.0 : random.NextDouble() * 2).ToArray();
        Npy.Write(dir["x.npy"], x, 30);

        foreach (var (folder, extra) in new[] { ("plain", Array.Empty<string>()), ("balanced", ["--balance"]) })
        {
            var compress = CliRunner.Run(dir.Path, ["compress", "--weights", "fc1.npy", "fc2.npy", "--density", "0.5", "--no-relu-last",
                "--pes", "4", "--out", folder, .. extra]);
            Assert.True(compress.ExitCode == 0, compress.Stderr);
            var golden = CliRunner.Run(dir.Path, "golden", "--model", folder, "--input", "x.npy", "--out", folder + ".npy");
            Assert.True(golden.ExitCode == 0, golden.Stderr);
        }
        Assert.Equal(Npy.Read(dir["plain_fixed.npy"]).Data, Npy.Read(dir["balanced_fixed.npy"]).Data);
        var plain = ModelFolder.Load(dir["plain"]);
        var balanced = ModelFolder.Load(dir["balanced"]);
        Assert.Null(plain.Manifest.OutputOrder);
        Assert.NotNull(balanced.Manifest.OutputOrder);
        Assert.NotEqual(Enumerable.Range(0, 9), balanced.Manifest.OutputOrder!);
        long Busiest(LoadedModel m) => m.Image.Pes.Max(p => (long)p.Entries.Length);
        Assert.True(Busiest(balanced) < Busiest(plain), $"balanced busiest PE {Busiest(balanced)} entries, plain {Busiest(plain)}");

        // An output order that is not a permutation is refused with one line.
        var manifestPath = Path.Combine(dir["balanced"], ModelFolder.ManifestFile);
        var text = File.ReadAllText(manifestPath);
        int at = text.IndexOf("\"outputOrder\"", StringComparison.Ordinal);
        Assert.True(at > 0, "the balanced manifest has no outputOrder");
        int open = text.IndexOf('[', at), close = text.IndexOf(']', at);
        File.WriteAllText(manifestPath, text[..(open + 1)] + string.Join(", ", Enumerable.Repeat(0, 9)) + text[close..]);
        var bad = CliRunner.Run(dir.Path, "golden", "--model", "balanced", "--input", "x.npy", "--out", "bad.npy");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("outputOrder must be a permutation of the last layer's 9 rows", bad.Stderr);
        Assert.False(File.Exists(dir["bad.npy"]));
    }

    [Fact]
    public void WorkloadWritesAReproducibleFolderAndJsonSummary()
    {
        using var dir = new ScratchFolder();
        var first = CliRunner.Run(dir.Path, "workload", "nt-lstm", "--pes", "40", "--out", "a", "--json");
        Assert.True(first.ExitCode == 0, first.Stderr);
        var second = CliRunner.Run(dir.Path, "workload", "nt-lstm", "--pes", "40", "--out", "b");
        Assert.True(second.ExitCode == 0, second.Stderr);
        Assert.Contains("not the trained network", second.Stdout);

        var filesA = Directory.GetFiles(dir["a"], "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir["a"], f)).Order().ToArray();
        var filesB = Directory.GetFiles(dir["b"], "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir["b"], f)).Order().ToArray();
        Assert.Equal(filesA, filesB);
        Assert.Equal(40 * 3 + 1 + 1 + 3 + 1, filesA.Length);   // 40 PEs x 3 images, codebook, manifest, input, two outputs, output marker
        foreach (var f in filesA)
            Assert.True(File.ReadAllBytes(Path.Combine(dir["a"], f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir["b"], f))), f);

        using var doc = JsonDocument.Parse(first.Stdout);
        var run = doc.RootElement.GetProperty("run")[0];
        Assert.Equal(1201 * 1, doc.RootElement.GetProperty("workload").GetProperty("inputs").GetInt32());
        Assert.Equal(1202, run.GetProperty("activeColumns").GetInt32());   // 100% dense acts plus the bias column
        Assert.Equal(0, run.GetProperty("overflows").GetInt32());
        Assert.True(run.GetProperty("vsQuantisedFloat").GetProperty("maxAbsError").GetDouble() < 0.05);
    }
}
