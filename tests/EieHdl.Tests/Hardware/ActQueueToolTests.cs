using EieHdl.Config;
using EieHdl.Processes;

namespace EieHdl.Tests.Hardware;

public class ActQueueToolTests
{
    private const string Module = "eie_act_queue";

    [Theory]
    [InlineData(1, 16384)]
    [InlineData(2, 2)]
    [InlineData(8, 16384)]
    [InlineData(5, 1000)]
    public void LintsSynthesisesAndCompilesClean(int depth, int ptrDepth)
    {
        using var scratch = new RtlScratch(new EieConfig { Pes = 4, ActQueueDepth = depth, PtrDepth = ptrDepth });
        string[] files = [Module + ".v"];
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, files, Module));
        ToolAssert.SynthClean(RtlTools.SynthCheck(scratch.Folder, files, Module));
        ToolAssert.CompileClean(RtlTools.Icarus(scratch.Folder, files, Module));
    }

    [Fact]
    public void EntriesAreFlipFlopsNotAMemory()
    {
        using var scratch = new RtlScratch(new EieConfig { ActQueueDepth = 8 });
        var result = RtlTools.Yosys(scratch.Folder, [Module + ".v"],
            $"hierarchy -check -top {Module}; proc; opt; memory -nomap; select -assert-none t:$mem t:$mem_v2");
        Assert.True(result.Ok, result.ToString());
    }
}
