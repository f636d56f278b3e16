namespace EieHdl.Tests.Cli;

/// <summary>
/// Bad input to the flow and configuration options (file lists, --set, config --print, the
/// up-front fit check), in the style of <see cref="BadInputCorpusTests"/>: one stderr line
/// naming the input and its limit, exit code 2, and the case's folder unchanged.
/// </summary>
public class FlowOptionBadInputTests : IClassFixture<BadInputCorpusTests.Fixture>
{
    private static readonly Dictionary<string, BadInputCorpusTests.Case> Cases = Build();

    public static TheoryData<string> Names => new(Cases.Keys);

    private readonly BadInputCorpusTests.Fixture fixture;

    public FlowOptionBadInputTests(BadInputCorpusTests.Fixture fixture) => this.fixture = fixture;

    [Theory]
    [MemberData(nameof(Names))]
    public void IsRefusedWithOneLineAndNothingWritten(string name)
    {
        var c = Cases[name];
        string dir = fixture.Copy();
        try
        {
            c.Setup?.Invoke(dir);
            var before = BadInputCorpusTests.Snapshot(dir);
            var result = InProcessCli.Run(c.Args.Select(a => a.Replace("{d}", dir, StringComparison.Ordinal)).ToArray());
            CliRunner.AssertOneLineError(result, c.Fragments.Select(f => f.Replace("{d}", dir, StringComparison.Ordinal)).ToArray());
            Assert.Equal(before, BadInputCorpusTests.Snapshot(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Dictionary<string, BadInputCorpusTests.Case> Build()
    {
        var cases = new Dictionary<string, BadInputCorpusTests.Case>(StringComparer.Ordinal);
        void Add(string name, string[] fragments, params string[] args) => cases.Add(name, new(fragments, null, args));

        Add("generate: --out with a space cannot be listed in eie.f", ["--out", "white space", "{d}/my rtl"],
            "generate", "--pes", "2", "--out", "{d}/my rtl");
        Add("generate: --out with a dollar cannot be listed in eie.f", ["--out", "'$'", "{d}/rtl$(X)"],
            "generate", "--pes", "2", "--out", "{d}/rtl$(X)");
        return cases;
    }
}
