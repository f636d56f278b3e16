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
        // --set on every command that takes a free config; each case must be refused before the
        // command reads its other inputs, fetches data or builds anything.
        var commands = new Dictionary<string, string[]>
        {
            ["workload"] = ["workload", "alex7", "--out", "{d}/out"],
            ["compress"] = ["compress", "--weights", "{d}/w.npy", "--out", "{d}/out"],
            ["generate"] = ["generate", "--out", "{d}/out"],
            ["bench"] = ["bench", "--layers", "alex7"],
            ["synth"] = ["synth", "--target", "ice40-up5k", "--out", "{d}/out"],
            ["mnist"] = ["mnist", "--out", "{d}/out", "--cache", "{d}/cache"],
            ["config"] = ["config"],
        };
        foreach (var (command, args) in commands)
        {
            Add($"{command}: --set without '='", ["--set", "Field=Value", "'Pes'"], [.. args, "--set", "Pes"]);
            Add($"{command}: --set with an empty field", ["--set", "Field=Value", "'=4'"], [.. args, "--set", "=4"]);
            Add($"{command}: --set of an unknown field", ["--set", "unknown field 'Pez'", "known fields: Pes"], [.. args, "--set", "Pez=4"]);
            Add($"{command}: --set with a word for a number", ["--set", "'Pes'", "integer", "\"four\""], [.. args, "--set", "Pes=four"]);
            Add($"{command}: --set out of range", ["Pes=300", "[1, 256]", "300"], [.. args, "--set", "Pes=300"]);
            Add($"{command}: --set twice", ["--set", "'ActWidth'", "once", "ActWidth=8"], [.. args, "--set", "ActWidth=12", "--set", "ActWidth=8"]);
            Add($"{command}: --set and --pes both", ["--set", "'Pes'", "once", "Pes=8"], [.. args, "--pes", "4", "--set", "Pes=8"]);
            Add($"{command}: --set of a derived quantity", ["--set", "unknown field 'ActHalfDepth'"], [.. args, "--set", "ActHalfDepth=8"]);
            Add($"{command}: --set that breaks a cross-field rule", ["ActFracBits", "30"], [.. args, "--set", "ActFracBits=30"]);
        }

        Add("bench: a layer that does not fit names the ready config that does", ["vgg6", "PtrDepth 16384", "hw/configs/benchmarks-64pe.json fits all 2 layers"],
            "bench", "--layers", "alex7", "vgg6");
        Add("bench: one layer that does not fit", ["vgg6", "PtrDepth 16384", "hw/configs/benchmarks-64pe.json fits this layer"],
            "bench", "--layers", "vgg6");
        Add("bench: a chain that does not fit", ["ActSramDepth", "fits the chain"], "bench", "--chain", "--pes", "8");
        Add("bench: --set that makes a layer not fit", ["alex7", "ActRegEntries 4"], "bench", "--layers", "alex7", "--set", "ActRegEntries=4");
        Add("bench: --plot that is not a .png", ["--plot", ".png", "{d}/cycles.txt"], "bench", "--layers", "nt-we", "--plot", "{d}/cycles.txt");
        Add("bench: --plot with --chain", ["--plot", "--chain"], "bench", "--chain", "--plot", "{d}/c.png");
        Add("bench: --plot onto a folder", ["--plot", "{d}/model"], "bench", "--layers", "nt-we", "--plot", "{d}/model");
        Add("compress: --plot that is not a .png", ["--plot", ".png", "{d}/w.txt"],
            "compress", "--weights", "{d}/w.npy", "--out", "{d}/out", "--plot", "{d}/w.txt");
        Add("compress: --plot onto a folder", ["--plot", "{d}/model"], "compress", "--weights", "{d}/w.npy", "--out", "{d}/out", "--plot", "{d}/model");
        Add("synth: --seeds 0", ["--seeds", "[1, 32]", "0"], "synth", "--target", "ice40-up5k", "--pes", "1", "--seeds", "0", "--out", "{d}/out");
        Add("synth: --seeds on a target without place-and-route", ["--seeds", "place-and-route", "ice40-up5k", "xc7"],
            "synth", "--target", "xc7", "--pes", "1", "--seeds", "3", "--out", "{d}/out");
        Add("synth: --seeds on a board without place-and-route", ["--seeds", "place-and-route", "xc7"],
            "synth", "--board", "arty-a7", "--seeds", "2", "--out", "{d}/out");
        Add("synth: --plot with --board that is not a .png", ["--plot", ".png", "{d}/s.svg"],
            "synth", "--board", "icebreaker", "--out", "{d}/out", "--plot", "{d}/s.svg");
        Add("synth: --plot that is not a .png", ["--plot", ".png", "{d}/s.svg"], "synth", "--target", "xc7", "--pes", "1", "--out", "{d}/out", "--plot", "{d}/s.svg");
        Add("compress: --plot onto its own input", ["--plot", "input", "{d}/w.png"],
            "compress", "--weights", "{d}/w.png", "--out", "{d}/out", "--plot", "{d}/w.png");
        Add("config: a missing --config file", ["{d}/none.json"], "config", "--config", "{d}/none.json");
        Add("config: --pes 0", ["Pes", "[1, 256]", "got 0"], "config", "--pes", "0");
        return cases;
    }
}
