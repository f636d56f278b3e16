using EieHdl.Config;
using EieHdl.Processes;

namespace EieHdl.Tests.Hardware;

public class LnzdToolTests
{
    private static readonly string[] Files = ["eie_lnzd_node.v", "eie_lnzd_tree.v"];

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 4)]
    [InlineData(3, 4)]
    [InlineData(4, 4)]
    [InlineData(16, 4)]
    [InlineData(64, 4)]
    [InlineData(256, 4)]
    [InlineData(5, 2)]
    [InlineData(64, 8)]
    public void TreeLintsSynthesisesAndCompilesClean(int pes, int fanIn)
    {
        using var scratch = new RtlScratch(new EieConfig { Pes = pes, LnzdFanIn = fanIn });
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, Files, "eie_lnzd_tree"));
        ToolAssert.SynthClean(RtlTools.SynthCheck(scratch.Folder, Files, "eie_lnzd_tree"));
        ToolAssert.CompileClean(RtlTools.Icarus(scratch.Folder, Files, "eie_lnzd_tree"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void NodeLintsAndSynthesisesCleanForEveryChildCount(int children)
    {
        using var scratch = new RtlScratch(new EieConfig { Pes = 16, LnzdFanIn = 4 });
        var parameters = new Dictionary<string, int> { ["Children"] = children };
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, [Files[0]], "eie_lnzd_node", parameters));
        ToolAssert.SynthClean(RtlTools.SynthCheck(scratch.Folder, [Files[0]], "eie_lnzd_node", parameters));
    }
}
