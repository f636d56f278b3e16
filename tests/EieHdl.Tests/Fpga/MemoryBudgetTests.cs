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
    public void TheLeNetConfigPutsEachPesSpmatInOneSpramAndTheRestInEbr()
    {
        var cfg = ConfigLoader.Load(Path.Combine(FpgaTestConfigs.RepoRoot, "hw", "configs", "icebreaker-lenet.json"));
        var plan = SynthFlow.CheckFits(FpgaTarget.Ice40Up5k, cfg);
        Assert.True(plan.Fits, plan.Describe());
        // spmat 16 x 16384 would take 64 EBR per PE: one SPRAM each instead.
        Assert.Equal(cfg.Pes, plan.SpramBlocks);
        Assert.Equal([("spmat", 16, 16384)], plan.SpramShapes.Select(s => (s.Use, s.Width, s.Depth)));
        Assert.True(plan.BramBlocks <= FpgaTarget.Ice40Up5k.Device.BramBlocks);
        // The act SRAM and the codebooks are written while running, so they never move.
        Assert.False(MemoryBudget.SpramCapable("act SRAM half", 16, 512));
        Assert.False(MemoryBudget.SpramCapable("codebook (PE)", 16, 16));
        Assert.False(MemoryBudget.SpramCapable("spmat", 16, 32768));
        Assert.False(MemoryBudget.Plan(FpgaTarget.Ice40Hx8k, cfg).Fits);
    }

    [Fact]
    public void OnlyTheSynthesisRtlInstantiatesSpram()
    {
        var cfg = ConfigLoader.Load(Path.Combine(FpgaTestConfigs.RepoRoot, "hw", "configs", "icebreaker-lenet.json"));
        var plan = MemoryBudget.Plan(FpgaTarget.Ice40Up5k, cfg);
        string Sram(EieHdl.Hardware.RtlOutput rtl) => rtl.Modules.Single(m => m.Name == "eie_sram_sp.v").Text;
        string synth = Sram(EieHdl.Hardware.RtlGenerator.GenerateForSynthesis(cfg, plan.SramBuild));
        Assert.Contains("localparam InSpram = (Width == 16 && Depth == 16384);", synth);
        Assert.Contains("SB_SPRAM256KA u_spram", synth);
        Assert.Contains("reg [Width-1:0] mem_q [0:Depth-1];", synth);
        // The simulated RTL keeps the plain array that back-door loads write, and with no SPRAM
        // shapes the synthesis RTL is the same text.
        string sim = Sram(EieHdl.Hardware.RtlGenerator.Generate(cfg));
        Assert.DoesNotContain("SB_SPRAM256KA", sim);
        Assert.Equal(sim, Sram(EieHdl.Hardware.RtlGenerator.GenerateForSynthesis(cfg, EieHdl.Hardware.SramBuild.Plain)));
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
