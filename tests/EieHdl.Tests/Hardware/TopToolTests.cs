using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Processes;

namespace EieHdl.Tests.Hardware;

/// <summary>The whole generated accelerator through the three tools, over PE counts and widths.</summary>
public class TopToolTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(10);

    /// <summary>Non-default widths everywhere: 8-bit acts, 3-bit v and z, 24-bit spmat words, a 20-bit accumulator.</summary>
    internal static EieConfig OddWidths(int pes) => new()
    {
        Pes = pes, ActWidth = 8, ActFracBits = 4, WeightWidth = 8, WeightFracBits = 6, AccWidth = 20, ProductShift = 2,
        IndexBits = 3, RunBits = 3, CodebookSize = 8, SpmatWordBits = 24, SpmatDepth = 64, PtrDepth = 100, PtrWidth = 12,
        ActRegEntries = 10, ActSramDepth = 40, ActQueueDepth = 3, LnzdFanIn = 3, MaxLayers = 3,
    };

    /// <summary>Small memories so that a full generic synthesis takes seconds, not minutes.</summary>
    internal static EieConfig SmallMemories(int pes) => new()
    {
        Pes = pes, SpmatDepth = 256, PtrDepth = 128, ActSramDepth = 64, ActRegEntries = 16, MaxLayers = 2,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(64)]
    [InlineData(256)]
    public void TheDefaultConfigLintsCleanAtEveryPeCount(int pes)
    {
        var config = new EieConfig { Pes = pes };
        using var scratch = new RtlScratch(config);
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, Files(scratch), "eie_top", timeout: Generous));
        if (pes <= 64) ToolAssert.CompileClean(RtlTools.Icarus(scratch.Folder, Files(scratch), "eie_top"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void NonDefaultWidthsLintAndCompileClean(int pes)
    {
        var config = OddWidths(pes);
        using var scratch = new RtlScratch(config);
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, Files(scratch), "eie_top", timeout: Generous));
        ToolAssert.CompileClean(RtlTools.Icarus(scratch.Folder, Files(scratch), "eie_top"));
    }

    [Theory]
    [InlineData(3)]
    public void SynthesisHasNoLatchNoLoopAndKeepsEveryMemory(int pes)
    {
        var config = SmallMemories(pes);
        using var scratch = new RtlScratch(config);
        var files = Files(scratch);
        ToolAssert.SynthClean(RtlTools.SynthCheck(scratch.Folder, files, "eie_top"));
        // Per PE: the spmat SRAM, two ptr banks, two act SRAM halves, the codebook; and the CCU's codebook.
        var memories = RtlTools.Yosys(scratch.Folder, files,
            "hierarchy -check -top eie_top; proc; flatten; opt; memory -nomap; "
            + $"select -assert-count {6 * pes + 1} t:$mem_v2 n:*.mem_q %i; "
            + $"select -assert-count {pes} t:$mul");
        Assert.True(memories.Ok, memories.ToString());
    }

    private static IReadOnlyList<string> Files(RtlScratch scratch) => scratch.Output.Modules.Select(m => m.Name).ToArray();
}
