using System.Diagnostics;
using System.Text.Json;
using EieHdl.Arithmetic;
using EieHdl.Flows;
using EieHdl.Golden;
using EieHdl.IO;
using EieHdl.Simulation.Testbench;
using EieHdl.Tests.Cli;
using Xunit.Abstractions;

namespace EieHdl.Tests.Sim;

/// <summary>`eiehdl cosim` as a user runs it: compress small .npy layers, then cosim the model.</summary>
public class CosimCommandTests(ITestOutputHelper output)
{
    /// <summary>A compressed 2-layer model (bias, 2 PEs, SimCase's small memories) and an input of 19 values;
    /// <paramref name="settings"/> are further <c>--set Field=Value</c> of the compress.</summary>
    internal static ScratchFolder CompressedModel(out double[] x, params string[] settings)
    {
        var dir = new ScratchFolder();
        var random = new Random(23);
        double[] Values(int n, double scale) => Enumerable.Range(0, n).Select(_ => (random.NextDouble() - 0.5) * scale).ToArray();
        Npy.Write(dir["w1.npy"], Values(SimCase.Hidden * SimCase.Inputs, 2), SimCase.Hidden, SimCase.Inputs);
        Npy.Write(dir["w2.npy"], Values(SimCase.Outputs * SimCase.Hidden, 2), SimCase.Outputs, SimCase.Hidden);
        Npy.Write(dir["b1.npy"], Values(SimCase.Hidden, 0.4), SimCase.Hidden);
        Npy.Write(dir["b2.npy"], Values(SimCase.Outputs, 0.4), SimCase.Outputs);
        x = Enumerable.Range(0, SimCase.Inputs).Select(j => j % 3 == 0 ? 0.0 : random.NextDouble() * 2).ToArray();
        Npy.Write(dir["x.npy"], x, SimCase.Inputs);
        Npy.Write(dir["x_short.npy"], x.AsSpan(0, SimCase.Inputs - 1), SimCase.Inputs - 1);
        File.WriteAllText(dir["cfg.json"], SimCase.ConfigJson);
        string[] args = ["compress", "--weights", "w1.npy", "w2.npy", "--bias", "b1.npy", "b2.npy",
            "--density", "0.5", "--no-relu-last", "--config", "cfg.json", "--pes", "2", "--out", "model",
            .. settings.SelectMany(v => new[] { "--set", v })];
        var compress = CliRunner.Run(dir.Path, args);
        Assert.True(compress.ExitCode == 0, compress.Stderr);
        return dir;
    }

    [Fact]
    public void TheRtlMatchesTheGoldenModelAndWritesOutputsAndATestbench()
    {
        using var dir = CompressedModel(out var x);
        var clock = Stopwatch.StartNew();
        var run = CliRunner.Run(dir.Path, "cosim", "--model", "model", "--input", "x.npy", "--out", "rtl", "--testbench", "tb", "--json");
        output.WriteLine($"cosim: {clock.Elapsed.TotalSeconds:F1} s\n{run.Stdout}{run.Stderr}");
        Assert.True(run.ExitCode == 0, run.Stderr + run.Stdout);

        ProgressTests.AssertProgress(run, "cosim", "golden model", "testbench", "host bus", "running", "RTL run done");
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("match").GetBoolean());
        Assert.Equal(0, root.GetProperty("mismatches").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("firstMismatch").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("trace").ValueKind);
        Assert.False(root.GetProperty("errorFlag").GetBoolean());
        Assert.Equal(2, root.GetProperty("pes").GetInt32());
        Assert.Equal(2, root.GetProperty("layers").GetInt32());
        Assert.Equal(SimCase.Outputs, root.GetProperty("outputs").GetInt32());
        Assert.True(root.GetProperty("cycles").GetInt64() > 0);

        // The RTL outputs are the golden model's.
        var model = ModelFolder.Load(dir["model"]);
        var fp = new FixedPoint(model.Config);
        int[] golden = new GoldenModel(model.Image).RunChain(x.Select(fp.QuantizeActivation).ToArray());
        Assert.Equal(golden.Select(v => (double)v), Npy.Read(dir[Path.Combine("rtl", "rtl_output_fixed.npy")]).Data);
        Assert.Equal(golden.Select(fp.ActivationToDouble), Npy.ReadVector(dir[Path.Combine("rtl", "rtl_output.npy")]));

        foreach (var f in new[] { "eie.f", "eie_top.v", TestbenchWriter.TestbenchFile, TestbenchWriter.ParamsFile, TestbenchWriter.CommonFile,
                     TestbenchWriter.TransactionsFile, TestbenchWriter.IverilogScript, TestbenchWriter.VerilatorScript, WaveSave.FileName, global::EieHdl.Integration.CoreFile.FileName })
            Assert.True(File.Exists(dir[Path.Combine("tb", f)]), $"tb/{f} is missing");

        // The human summary, from the cached build.
        var human = CliRunner.Run(dir.Path, "cosim", "--model", "model", "--input", "x.npy", "--quiet");
        Assert.True(human.ExitCode == 0, human.Stderr);
        Assert.Equal("", human.Stderr);
        Assert.Contains("RTL = golden: yes", human.Stdout);
        Assert.Contains($"{SimCase.Outputs} outputs", human.Stdout);
    }

    [Fact]
    public void AWrongInputLengthOrConfigIsOneLineAndExit2()
    {
        using var dir = CompressedModel(out _);
        var shortInput = CliRunner.Run(dir.Path, "cosim", "--model", "model", "--input", "x_short.npy", "--out", "rtl");
        CliRunner.AssertOneLineError(shortInput, "x_short.npy", $"must have {SimCase.Inputs} values", $"got {SimCase.Inputs - 1}");
        Assert.False(Directory.Exists(dir["rtl"]));

        File.WriteAllText(dir["other.json"], """{ "Pes": 3 }""");
        var otherConfig = CliRunner.Run(dir.Path, "cosim", "--model", "model", "--input", "x.npy", "--config", "other.json");
        CliRunner.AssertOneLineError(otherConfig, "other.json", "must match the config of model");
    }
}
