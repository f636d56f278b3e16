using EieHdl.IO;

namespace EieHdl.Tests.Cli;

/// <summary>
/// Every bad input exits 2 with one line naming the input, the limit and the value, and
/// leaves no output folder behind.
/// </summary>
public class CliBadInputTests
{
    private static string WriteWeights(ScratchFolder dir, string name, int rows, int cols, Func<int, double>? value = null)
    {
        var w = new double[rows * cols];
        var random = new Random(rows * 31 + cols);
        for (int k = 0; k < w.Length; k++) w[k] = value?.Invoke(k) ?? random.NextDouble() - 0.5;
        string path = dir[name];
        Npy.Write(path, w, rows, cols);
        return path;
    }

    private static void AssertCompressFails(ScratchFolder dir, string[] args, params string[] fragments)
    {
        var result = CliRunner.Run(dir.Path, ["compress", .. args, "--out", "model"]);
        CliRunner.AssertOneLineError(result, fragments);
        Assert.False(Directory.Exists(dir["model"]), "a failed command must leave no output folder");
        Assert.Empty(Directory.GetDirectories(dir.Path));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("0")]
    [InlineData("-0.2")]
    public void DensityOutsideZeroOneIsRefused(string density)
    {
        using var dir = new ScratchFolder();
        WriteWeights(dir, "w.npy", 8, 6);
        AssertCompressFails(dir, ["--weights", "w.npy", "--density", density], "density", "(0, 1]", density);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void NonFiniteWeightIsRefusedWithItsPosition(double bad, string shown)
    {
        using var dir = new ScratchFolder();
        WriteWeights(dir, "w.npy", 4, 5, k => k == 7 ? bad : 0.1 * k);
        AssertCompressFails(dir, ["--weights", "w.npy"], "row 1", "column 2", shown);
    }

    [Fact]
    public void TruncatedNpyIsRefused()
    {
        using var dir = new ScratchFolder();
        string path = WriteWeights(dir, "w.npy", 16, 16);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        AssertCompressFails(dir, ["--weights", "w.npy"], "w.npy", "truncated", "2048");
    }

    [Fact]
    public void FortranOrderIsRefused()
    {
        using var dir = new ScratchFolder();
        var header = System.Text.Encoding.Latin1.GetString(Npy.BuildHeader("<f8", [2, 2])).Replace("'fortran_order': False", "'fortran_order': True ");
        File.WriteAllBytes(dir["w.npy"], [.. System.Text.Encoding.Latin1.GetBytes(header), .. new byte[32]]);
        AssertCompressFails(dir, ["--weights", "w.npy"], "w.npy", "Fortran");
    }

    [Fact]
    public void UnsupportedDtypeIsRefused()
    {
        using var dir = new ScratchFolder();
        File.WriteAllBytes(dir["w.npy"], [.. Npy.BuildHeader("<c16", [2, 2]), .. new byte[64]]);
        AssertCompressFails(dir, ["--weights", "w.npy"], "w.npy", "<c16");
    }

    [Fact]
    public void WeightsOfTheWrongRankAreRefused()
    {
        using var dir = new ScratchFolder();
        Npy.Write(dir["w.npy"], new double[12], 12);
        AssertCompressFails(dir, ["--weights", "w.npy"], "w.npy", "rank", "1");
    }

    [Fact]
    public void BiasOfTheWrongLengthIsRefused()
    {
        using var dir = new ScratchFolder();
        WriteWeights(dir, "w.npy", 8, 6);
        Npy.Write(dir["b.npy"], new double[7], 7);
        AssertCompressFails(dir, ["--weights", "w.npy", "--bias", "b.npy"], "b.npy", "8", "7");
    }

    [Fact]
    public void ChainedLayersWhoseShapesDisagreeAreRefused()
    {
        using var dir = new ScratchFolder();
        WriteWeights(dir, "fc1.npy", 8, 6);
        WriteWeights(dir, "fc2.npy", 4, 9);
        AssertCompressFails(dir, ["--weights", "fc1.npy", "fc2.npy"], "fc2.npy", "8", "9");
    }

    [Theory]
    [InlineData("{\"IndexBits\": 0}", "IndexBits", "got 0")]
    [InlineData("{\"CodebookSize\": 32}", "CodebookSize", "got 32")]
    [InlineData("{\"Pez\": 4}", "unknown field", "Pez")]
    [InlineData("{\"PtrDepth\": 5}", "PtrDepth", "5")]
    [InlineData("{\"SpmatDepth\": 1}", "SpmatDepth", "1")]
    [InlineData("{\"PtrWidth\": 3}", "PtrWidth", "3")]
    [InlineData("{\"WeightFracBits\": 15}", "codebook value", "WeightFracBits")]
    public void ConfigsOutOfRangeOrTooSmallForTheLayerAreRefused(string json, string field, string value)
    {
        using var dir = new ScratchFolder();
        WriteWeights(dir, "w.npy", 32, 24, k => (k % 7 - 3) * 0.5);
        File.WriteAllText(dir["cfg.json"], json);
        AssertCompressFails(dir, ["--weights", "w.npy", "--density", "1", "--config", "cfg.json", "--pes", "2"], field, value);
    }

    [Theory]
    [InlineData("vgg6", "PtrDepth", "25090")]       // 25088 inputs, the bias column and the end pointer
    public void BenchmarkLayersThatExceedTheDefaultMemoriesAreRefused(string workload, string field, string value)
    {
        using var dir = new ScratchFolder();
        var result = CliRunner.Run(dir.Path, "workload", workload, "--out", "w");
        CliRunner.AssertOneLineError(result, workload, field, value);
        Assert.Empty(Directory.GetDirectories(dir.Path));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("257")]
    public void PeCountOutOfRangeIsRefused(string pes)
    {
        using var dir = new ScratchFolder();
        WriteWeights(dir, "w.npy", 8, 6);
        AssertCompressFails(dir, ["--weights", "w.npy", "--pes", pes], "Pes", "[1, 256]", "got " + pes);
    }

    [Fact]
    public void UnknownWorkloadIsRefusedWithTheValidNames()
    {
        using var dir = new ScratchFolder();
        var result = CliRunner.Run(dir.Path, "workload", "alex9", "--out", "w");
        CliRunner.AssertOneLineError(result, "alex9", "alex7", "nt-lstm");
        Assert.Empty(Directory.GetDirectories(dir.Path));
    }

    [Fact]
    public void MalformedArgumentsGetOneLine()
    {
        using var dir = new ScratchFolder();
        CliRunner.AssertOneLineError(CliRunner.Run(dir.Path, "workload", "alex7", "--seed", "abc"), "abc");
        CliRunner.AssertOneLineError(CliRunner.Run(dir.Path, "compress", "--weights", "w.npy"), "--out");
        Assert.Empty(Directory.GetDirectories(dir.Path));
    }

    [Fact]
    public void GoldenRefusesAnInputOfTheWrongLengthAndAMissingModel()
    {
        using var dir = new ScratchFolder();
        WriteWeights(dir, "w.npy", 8, 6);
        Assert.Equal(0, CliRunner.Run(dir.Path, "compress", "--weights", "w.npy", "--pes", "3", "--out", "model").ExitCode);
        Npy.Write(dir["x.npy"], new double[5], 5);
        CliRunner.AssertOneLineError(CliRunner.Run(dir.Path, "golden", "--model", "model", "--input", "x.npy", "--out", "y.npy"), "x.npy", "6", "5");
        CliRunner.AssertOneLineError(CliRunner.Run(dir.Path, "golden", "--model", "nope", "--input", "x.npy", "--out", "y.npy"), "nope", "missing");
        Assert.False(File.Exists(dir["y.npy"]));
    }

    [Fact]
    public void GoldenRefusesImagesThatDisagreeWithTheManifest()
    {
        using var dir = new ScratchFolder();
        WriteWeights(dir, "w.npy", 8, 6);
        Assert.Equal(0, CliRunner.Run(dir.Path, "compress", "--weights", "w.npy", "--pes", "2", "--density", "1", "--out", "model").ExitCode);
        string spmat = Path.Combine(dir["model"], "images", "pe001_spmat.hex");
        var lines = File.ReadAllLines(spmat);
        lines[^1] = new string('f', lines[^1].Length);
        File.WriteAllLines(spmat, lines);
        Npy.Write(dir["x.npy"], new double[6], 6);
        CliRunner.AssertOneLineError(CliRunner.Run(dir.Path, "golden", "--model", "model", "--input", "x.npy", "--out", "y.npy"), "pe001_spmat.hex");
    }
}
