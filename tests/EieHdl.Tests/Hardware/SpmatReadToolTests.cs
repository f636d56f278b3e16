using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Processes;

namespace EieHdl.Tests.Hardware;

public class SpmatReadToolTests
{
    private const string Module = "eie_spmat_read";

    private static readonly string[] Files = ["eie_sram_sp.v", "eie_spmat_read.v"];

    /// <summary>
    /// Small SRAM depths keep the generic synthesis (which maps the RAM to flip-flops) quick.
    /// 8 x 8-bit entries in 64-bit words, 17-bit pointers (word address wider than the SRAM's);
    /// 7-bit entries in 56-bit words; 6-bit entries in 24-bit words (word address as wide as the
    /// SRAM's); one entry per word; 2 entries per word with the SRAM address wider than a
    /// pointer's word address; 32 4-bit entries (1-bit v) in 128-bit words.
    /// </summary>
    public static TheoryData<int, int, int, int, int> Configs => new()
    {
        { 4, 4, 64, 16, 17 },
        { 4, 3, 56, 8, 16 },
        { 3, 3, 24, 16, 6 },
        { 4, 4, 8, 64, 9 },
        { 2, 2, 8, 64, 4 },
        { 1, 3, 128, 4, 12 },
    };

    internal static EieConfig Config(int indexBits, int runBits, int wordBits, int depth, int ptrWidth) => new()
    {
        IndexBits = indexBits,
        RunBits = runBits,
        CodebookSize = 1 << indexBits,
        SpmatWordBits = wordBits,
        SpmatDepth = depth,
        PtrWidth = ptrWidth,
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void LintsSynthesisesAndCompilesClean(int indexBits, int runBits, int wordBits, int depth, int ptrWidth)
    {
        var config = Config(indexBits, runBits, wordBits, depth, ptrWidth);
        using var scratch = new RtlScratch(config);
        Assert.Equal(Files, RtlScratch.FilesFor(new SpmatRead(config)));
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, Files, Module));
        ToolAssert.SynthClean(RtlTools.SynthCheck(scratch.Folder, Files, Module));
        ToolAssert.CompileClean(RtlTools.Icarus(scratch.Folder, Files, Module));
    }

    [Fact]
    public void DefaultConfigLintsAndCompilesClean()
    {
        using var scratch = new RtlScratch(new EieConfig());
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, Files, Module));
        ToolAssert.CompileClean(RtlTools.Icarus(scratch.Folder, Files, Module));
    }

    [Fact]
    public void KeepsTheSpmatSramAsAMemoryAndTheSlotsAsFlipFlops()
    {
        using var scratch = new RtlScratch(new EieConfig());
        var result = RtlTools.Yosys(scratch.Folder, Files,
            $"hierarchy -check -top {Module}; flatten; proc; opt; memory -nomap; "
            + "select -assert-count 1 t:$mem t:$mem_v2; "
            + "select -assert-count 1 t:$mem_v2 r:WIDTH=64 %i r:SIZE=16384 %i");
        Assert.True(result.Ok, result.ToString());
    }
}
