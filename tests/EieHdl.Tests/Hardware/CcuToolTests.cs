using EieHdl.Config;
using EieHdl.Hardware;
using EieHdl.Processes;

namespace EieHdl.Tests.Hardware;

public class CcuToolTests
{
    public static TheoryData<string> Configs => new() { "default", "small", "odd" };

    internal static EieConfig Config(string name) => name switch
    {
        "small" => new EieConfig { Pes = 3, ActWidth = 8, ActFracBits = 4, WeightWidth = 8, WeightFracBits = 6, AccWidth = 20,
            IndexBits = 3, RunBits = 3, CodebookSize = 8, SpmatWordBits = 24, SpmatDepth = 64, PtrDepth = 100, PtrWidth = 12,
            ActRegEntries = 10, ActSramDepth = 40, MaxLayers = 3 },
        "odd" => new EieConfig { Pes = 5, MaxLayers = 1, CodebookSize = 16, SpmatWordBits = 128 },
        _ => new EieConfig(),
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void LintsSynthesisesAndCompilesClean(string name)
    {
        var config = Config(name);
        using var scratch = new RtlScratch(config);
        var files = RtlScratch.FilesFor(new Ccu(config));
        ToolAssert.LintClean(RtlTools.Lint(scratch.Folder, files, "eie_ccu"));
        ToolAssert.SynthClean(RtlTools.SynthCheck(scratch.Folder, files, "eie_ccu"));
        ToolAssert.CompileClean(RtlTools.Icarus(scratch.Folder, files, "eie_ccu"));
    }
}
