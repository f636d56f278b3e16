using EieHdl.Fpga;

namespace EieHdl.Tests.Fpga;

/// <summary>The parsers of yosys and nextpnr output, on text in the tools' own formats.</summary>
public sealed class ToolLogTests
{
    [Fact]
    public void MemoryLibmapLinesGiveWhereEachMemoryWent()
    {
        const string log = """
            15.30. Executing MEMORY_LIBMAP pass (mapping memories to cells).
            mapping memory eie_top.g_pe[0].u_pe.u_spmat_read.u_spmat.mem_q via $__ICE40_RAM4K_
            mapping memory eie_top.g_pe[0].u_pe.u_act_rw.u_half0.mem_q via $__XILINX_LUTRAM_SP_
            using FF mapping for memory eie_top.u_ccu.flags_q
            using FF mapping for memory eie_top.g_pe[0].u_pe.u_ptr_read.u_odd_bank.mem_q
            """;
        var mems = ToolLogs.Memories(log);
        Assert.Equal(4, mems.Count);
        var spmat = mems.Single(m => m.Memory.Contains("u_spmat", StringComparison.Ordinal));
        Assert.True(spmat.IsSram && spmat.InBlockRam);
        Assert.True(mems.Single(m => m.Memory.Contains("u_half0", StringComparison.Ordinal)).InLutRam);
        var check = new HardBlockCheck(mems, 1, 1);
        Assert.Equal(["eie_top.g_pe[0].u_pe.u_ptr_read.u_odd_bank.mem_q"], check.SramsInFlipFlops);
        Assert.Equal(["eie_top.u_ccu.flags_q"], check.TablesInFlipFlops);
        Assert.False(check.SramsInRam);
    }

    [Fact]
    public void StatJsonAndNextpnrFiguresParse()
    {
        const string stat = """
            { "creator": "Yosys 0.23", "modules": { "\\eie_top": { "num_cells": 3,
              "num_cells_by_type": { "SB_LUT4": 10, "SB_DFFE": 4, "SB_DFF": 2, "SB_RAM40_4K": 3, "SB_MAC16": 1 } } } }
            """;
        var r = FpgaResources.From(FpgaTarget.Ice40Up5k, YosysStat.Parse(stat));
        Assert.Equal((10.0, 6.0, 3.0, 1.0), (r.Luts, r.FlipFlops, r.BlockRams, r.Dsps));
        Assert.Equal(0.5, r.Per(2).Dsps);

        const string report = """
            { "utilization": { "ICESTORM_LC": { "used": 4373, "available": 5280 } },
              "fmax": { "clk_i$SB_IO_IN_$glb_clk": { "achieved": 24.52, "constraint": 12.0 } } }
            """;
        var (util, fmax) = ToolLogs.NextpnrReport(report);
        Assert.Equal((4373, 5280), util["ICESTORM_LC"]);
        Assert.Equal(24.52, fmax);
        Assert.Equal(22.94, ToolLogs.FmaxFromLog("Info: Max frequency for clock 'clk_i$SB_IO_IN_$glb_clk': 22.94 MHz (PASS at 12.00 MHz)\n"));
        Assert.Equal(["ERROR: Unable to place cell 'x', no BELs remaining"],
            ToolLogs.ErrorLines("Info: x\nERROR: Unable to place cell 'x', no BELs remaining\n0 warnings, 1 error\n"));
    }

    [Fact]
    public void OverfullUtilisationIsNamed()
    {
        const string log = "Info: Device utilisation:\nInfo: \t         ICESTORM_LC:  6601/ 5280   125%\nInfo: \t        ICESTORM_RAM:    21/   30    70%\n";
        Assert.Equal(["ICESTORM_LC 6601/5280"], ToolLogs.OverfullBels(log));
    }

    [Fact]
    public void ShimReadsTheHostAddressWidth()
    {
        Assert.Equal(12, FpgaShim.HostAddrWidth("  input  wire [11:0] host_addr_i,\n"));
        Assert.Contains("localparam AddrWidth = 12;", FpgaShim.Verilog(12), StringComparison.Ordinal);
        Assert.Equal(FpgaShim.Pins.Length + 1, FpgaShim.Pcf(FpgaTarget.Ice40Hx8k).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
