using EieHdl.Config;
using EieHdl.Fpga;
using EieHdl.Tests.Cli;

namespace EieHdl.Tests.Fpga;

/// <summary>The memory plan and the refusal before any tool runs; no tools needed.</summary>
public sealed class MemoryBudgetTests
{
    [Theory]
    [InlineData("ice40-up5k")]
    [InlineData("ice40-hx8k")]
    public void SmallConfigFitsTheIce40Devices(string target)
    {
        var plan = SynthFlow.CheckFits(FpgaTarget.Find(target), FpgaTestConfigs.Small);
        Assert.True(plan.Fits);
        // spmat 64x256 = 4 EBR, ptr banks 17x64 = 2 EBR each, act halves 16x32 = 1 each, codebook
        // 16x16 = 1, per PE; the CCU's codebook 1.
        Assert.Equal(2 * (4 + 2 + 2 + 1 + 1 + 1) + 1, plan.BramBlocks);
        Assert.Equal(0, plan.SpramBlocks);
    }

    [Fact]
    public void BramBlocksFollowTheCheapestGeometry()
    {
        Assert.Equal(4, MemoryBudget.BlocksOf(FpgaTarget.Ice40Up5k, 64, 256));
        Assert.Equal(2, MemoryBudget.BlocksOf(FpgaTarget.Ice40Up5k, 17, 64));
        Assert.Equal(1, MemoryBudget.BlocksOf(FpgaTarget.Ice40Up5k, 4, 1024));
        Assert.Equal(2, MemoryBudget.BlocksOf(FpgaTarget.Xc7, 64, 256));
        Assert.Equal(1, MemoryBudget.BlocksOf(FpgaTarget.Ecp5, 18, 1024));
        Assert.Equal(4, MemoryBudget.SpramBlocksOf(64, 16384));
    }

    [Fact]
    public void Up5kPutsTheLargestMemoriesInSpramWhenTheEbrRunsOut()
    {
        // 1 PE with a 64 x 16384 spmat (1 Mbit): too big for 30 EBR, exactly the 4 SPRAMs.
        var cfg = ConfigLoader.Load(null, new Dictionary<string, int>
        {
            ["Pes"] = 1, ["PtrDepth"] = 128, ["ActSramDepth"] = 64, ["ActRegEntries"] = 4, ["MaxLayers"] = 2,
        });
        var plan = MemoryBudget.Plan(FpgaTarget.Ice40Up5k, cfg);
        Assert.True(plan.Fits, plan.Describe());
        Assert.Equal(4, plan.SpramBlocks);
        Assert.Contains(plan.Memories, m => m.Use == "spmat" && m.InSpram);
        Assert.False(MemoryBudget.Plan(FpgaTarget.Ice40Hx8k, cfg).Fits);
    }

    [Fact]
    public void TooBigConfigIsRefusedWithTheSizes()
    {
        var cfg = ConfigLoader.Load(null, new Dictionary<string, int> { ["Pes"] = 4 });
        var e = Assert.Throws<EieInputException>(() => SynthFlow.CheckFits(FpgaTarget.Ice40Hx8k, cfg));
        Assert.Contains("ice40-hx8k", e.Message);
        Assert.Contains("spmat 64x16384 x4", e.Message);
        Assert.Contains("32 x 4 Kbit block RAM = 131,072 bits", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void CliRefusesATooBigConfigBeforeTheToolsRun()
    {
        using var scratch = new ScratchFolder();
        var result = CliRunner.Run(scratch.Path, "synth", "--target", "ice40-up5k", "--pes", "2", "--out", scratch["out"]);
        CliRunner.AssertOneLineError(result, "ice40-up5k: the memories of 2 PEs", "bits", "30 x 4 Kbit block RAM + 4 x 256 Kbit SPRAM = 1,171,456 bits");
        Assert.False(Directory.Exists(scratch["out"]));
    }

    [Fact]
    public void CliRefusesAnUnknownTarget()
    {
        using var scratch = new ScratchFolder();
        var result = CliRunner.Run(scratch.Path, "synth", "--target", "virtex2", "--pes", "1");
        CliRunner.AssertOneLineError(result, "unknown target 'virtex2'", "ice40-up5k");
    }
}
