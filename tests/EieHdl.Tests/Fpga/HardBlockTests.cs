using EieHdl.Fpga;

namespace EieHdl.Tests.Fpga;

/// <summary>
/// xc7 and ECP5 synthesis of the small config: the SRAMs (spmat, ptr banks, act SRAM, codebook)
/// must land in RAM cells, never flip-flops, the spmat in block RAM, and every multiplier in a
/// DSP (DSP48E1, MULT18X18D), never LUTs. A failure here is an RTL-mapping bug, not a flaky tool.
/// </summary>
public sealed class HardBlockTests
{
    [Theory]
    [InlineData("xc7", "DSP48E1")]
    [InlineData("ecp5", "MULT18X18D")]
    public void SmallConfigMapsMemoriesToRamAndMultipliersToDsps(string targetName, string dspCell)
    {
        var target = FpgaTarget.Find(targetName);
        var dir = Directory.CreateTempSubdirectory($"eiehdl-{targetName}-").FullName;
        try
        {
            var cfg = FpgaTestConfigs.Small;
            var report = SynthFlow.Run(target, cfg, dir);
            var hard = report.HardBlocks;

            Assert.True(hard.SramsInFlipFlops.Count == 0, "SRAMs in flip-flops: " + string.Join(", ", hard.SramsInFlipFlops));
            // 6 per PE (spmat, 2 ptr banks, 2 act halves, codebook) and the CCU codebook.
            Assert.Equal(6 * cfg.Pes + 1, hard.Memories.Count(m => m.IsSram));
            var spmats = hard.Memories.Where(m => m.Memory.Contains("u_spmat.", StringComparison.Ordinal)).ToArray();
            Assert.Equal(cfg.Pes, spmats.Length);
            Assert.All(spmats, m => Assert.True(m.InBlockRam, $"{m.Memory} went to {m.MappedTo}"));
            Assert.True(report.Resources.BlockRams >= cfg.Pes, $"block RAMs {report.Resources.BlockRams}");

            Assert.Equal(cfg.Pes, hard.Multipliers);
            Assert.True(hard.MultipliersInDsp, $"{hard.Multipliers} multipliers but {hard.Dsps} {dspCell}");
            Assert.Equal(cfg.Pes, report.Resources.Dsps, precision: 6);

            Assert.Null(report.PlaceAndRoute);
            Assert.Contains("no place-and-route", report.Timing, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
