using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EieHdl.Config;
using EieHdl.Flows;
using EieHdl.IO;

namespace EieHdl.Tests.Cli;

/// <summary>
/// The bad-input corpus: a table of hostile inputs to all nine commands. Each case must end
/// with exactly one stderr line beginning "eiehdl: error:" that names what was wrong, exit
/// code 2, nothing written into the case's folder (no output, no temporary left over) and
/// every file that was there before untouched. Every case is refused before any Verilator
/// build, yosys run, download or training: that is what keeps the table fast, and what a
/// user waiting on a typo needs. Cases run in-process (<see cref="InProcessCli"/>).
/// </summary>
public class BadInputCorpusTests : IClassFixture<BadInputCorpusTests.Fixture>
{
    /// <param name="Fragments">Text the error line must contain (the input and the limit it broke).</param>
    /// <param name="Setup">Changes the case's copy of the fixture folder before the run.</param>
    /// <param name="Args">The command line; "{d}" stands for the case's folder.</param>
    public sealed record Case(string[] Fragments, Action<string>? Setup, string[] Args);

    private static readonly Dictionary<string, Case> Cases = Build();

    public static TheoryData<string> Names => new(Cases.Keys);

    private readonly Fixture fixture;

    public BadInputCorpusTests(Fixture fixture) => this.fixture = fixture;

    [Fact]
    public void TheCorpusCoversEveryCommandWithAtLeast150Cases()
    {
        Assert.True(Cases.Count >= 150, $"{Cases.Count} cases");
        foreach (var command in new[] { "workload", "compress", "golden", "generate", "bench", "cosim", "board-run", "synth", "mnist" })
            Assert.True(Cases.Values.Count(c => c.Args[0] == command) >= 5, $"fewer than 5 cases for {command}");
    }

    /// <summary>The first case of each command, to show the real process behaves as the in-process runs do.</summary>
    public static TheoryData<string> OnePerCommand => new(Cases.GroupBy(c => c.Value.Args[0]).Select(g => g.First().Key));

    [Theory]
    [MemberData(nameof(Names))]
    public void IsRefusedWithOneLineAndNothingWritten(string name) => Check(name, args => InProcessCli.Run(args));

    [Theory]
    [MemberData(nameof(OnePerCommand))]
    public void IsRefusedTheSameWayByTheProgramInItsOwnProcess(string name) => Check(name, args => CliRunner.Run(Path.GetTempPath(), args));

    private void Check(string name, Func<string[], CliResult> run)
    {
        var c = Cases[name];
        string dir = fixture.Copy();
        try
        {
            c.Setup?.Invoke(dir);
            var before = Snapshot(dir);
            var result = run(c.Args.Select(a => a.Replace("{d}", dir, StringComparison.Ordinal)).ToArray());
            CliRunner.AssertOneLineError(result, c.Fragments.Select(f => f.Replace("{d}", dir, StringComparison.Ordinal)).ToArray());
            var after = Snapshot(dir);
            Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
            foreach (var (file, hash) in before) Assert.True(after[file] == hash, $"{file} changed");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Every file and folder under <paramref name="dir"/> with a hash of its contents.</summary>
    internal static Dictionary<string, string> Snapshot(string dir) =>
        Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories).ToDictionary(
            p => Path.GetRelativePath(dir, p),
            p => File.Exists(p) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p))) : "folder");

    // ------------------------------------------------------------------ the fixture

    /// <summary>
    /// The folder every case starts from: weights, bias and input .npy files, a small config,
    /// model folders compressed from them, and a file of the user's that must survive.
    /// </summary>
    public sealed class Fixture : IDisposable
    {
        public const string SmallConfig = """{ "Pes": 2, "SpmatDepth": 256, "PtrDepth": 128, "ActSramDepth": 64, "ActRegEntries": 8, "ActQueueDepth": 4, "MaxLayers": 2 }""";

        private readonly string root = Directory.CreateTempSubdirectory("eiehdl-corpus-").FullName;
        private readonly string template;
        private int copies;

        public Fixture()
        {
            template = Path.Combine(root, "template");
            Directory.CreateDirectory(template);
            string F(string name) => Path.Combine(template, name);
            var random = new Random(5);
            var w = Enumerable.Range(0, 8 * 6).Select(_ => random.NextDouble() - 0.5).ToArray();
            var b = Enumerable.Range(0, 8).Select(i => 0.05 * i - 0.2).ToArray();
            Npy.Write(F("w.npy"), w, 8, 6);
            Npy.Write(F("w2.npy"), Enumerable.Range(0, 4 * 8).Select(_ => random.NextDouble() - 0.5).ToArray(), 4, 8);
            Npy.Write(F("b.npy"), b, 8);
            Npy.Write(F("x.npy"), Enumerable.Range(0, 6).Select(j => 0.25 * j).ToArray(), 6);
            File.WriteAllText(F("small.json"), SmallConfig);
            File.WriteAllText(F("notes.txt"), "the user's own file\n");
            var small = ConfigLoader.Load(F("small.json"));
            var source = new LayerSource("fc", w, 8, 6, b, 1.0, Relu: true);
            CompressedModel.Compress(small, [source]).Write(F("model"));
            CompressedModel.Compress(small, [source], balance: true).Write(F("balanced"));
            CompressedModel.Compress(small with { SpmatWordBits = 128 }, [source]).Write(F("wide"));
        }

        /// <summary>A fresh copy of the fixture folder for one case.</summary>
        public string Copy()
        {
            string dir = Path.Combine(root, "case" + Interlocked.Increment(ref copies).ToString(CultureInfo.InvariantCulture));
            CopyTree(template, dir);
            return dir;
        }

        private static void CopyTree(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (string f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
            foreach (string d in Directory.GetDirectories(from)) CopyTree(d, Path.Combine(to, Path.GetFileName(d)));
        }

        public void Dispose() => Directory.Delete(root, recursive: true);
    }

    // ------------------------------------------------------------------ setups

    private static Action<string> Write(string name, string text) => d => File.WriteAllText(Path.Combine(d, name), text);

    private static Action<string> WriteBytes(string name, byte[] bytes) => d => File.WriteAllBytes(Path.Combine(d, name), bytes);

    /// <summary>A .npy file whose header dict is <paramref name="dict"/> followed by <paramref name="dataBytes"/> zero bytes.</summary>
    private static byte[] NpyBytes(string dict, int dataBytes, int major = 1)
    {
        var header = System.Text.Encoding.Latin1.GetBytes(dict);
        int prefix = major == 1 ? 10 : 12;
        int pad = 64 - (prefix + header.Length + 1) % 64;
        var bytes = new byte[prefix + header.Length + pad + 1 + dataBytes];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' }.CopyTo(bytes, 0);
        bytes[6] = (byte)major;
        if (major == 1) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)(header.Length + pad + 1));
        else BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)(header.Length + pad + 1));
        header.CopyTo(bytes, prefix);
        bytes.AsSpan(prefix + header.Length, pad).Fill((byte)' ');
        bytes[prefix + header.Length + pad] = (byte)'\n';
        return bytes;
    }

    private static byte[] WithByte(byte[] bytes, int at, byte value)
    {
        bytes[at] = value;
        return bytes;
    }

    private static byte[] WithHeaderLength(byte[] bytes, uint length)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), length);
        return bytes;
    }

    private static string Dict(string descr, string shape, string fortran = "False") =>
        $"{{'descr': '{descr}', 'fortran_order': {fortran}, 'shape': {shape}, }}";

    /// <summary>Edits the manifest of model folder <paramref name="model"/> as JSON.</summary>
    private static Action<string> EditManifest(Action<JsonNode> edit, string model = "model") => d =>
    {
        string path = Path.Combine(d, model, ModelFolder.ManifestFile);
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        edit(node);
        File.WriteAllText(path, node.ToJsonString());
    };

    private static JsonNode Pe0(JsonNode m) => m["layers"]![0]!["pes"]![0]!;

    /// <summary>Rewrites one image file of the model folder line by line.</summary>
    private static Action<string> EditImage(string file, Func<string[], string[]> edit) => d =>
    {
        string path = Path.Combine(d, "model", ModelFolder.ImagesFolder, file);
        File.WriteAllLines(path, edit(File.ReadAllLines(path)));
    };

    private static Action<string> Both(Action<string> a, Action<string> b) => d => { a(d); b(d); };

    // ------------------------------------------------------------------ the table

    private static Dictionary<string, Case> Build()
    {
        var cases = new Dictionary<string, Case>(StringComparer.Ordinal);
        void Add(string name, string[] fragments, Action<string>? setup, params string[] args) =>
            cases.Add(name, new Case(fragments, setup, args));

        string[] golden = ["golden", "--model", "{d}/model", "--input", "{d}/x.npy", "--out", "{d}/out/y.npy"];
        string[] cosim = ["cosim", "--model", "{d}/model", "--input", "{d}/x.npy", "--out", "{d}/out"];
        string[] boardRun = ["board-run", "--port", "{d}/tty", "--board", "icebreaker", "--model", "{d}/model", "--input", "{d}/x.npy", "--out", "{d}/out"];
        string[] compress = ["compress", "--weights", "{d}/w.npy", "--out", "{d}/out", "--config", "{d}/small.json"];

        // Config files: every field beyond each end of its range, and broken files, through generate.
        (string Json, string Fragment)[] configs =
        [
            ("""{"Pes": 0}""", "Pes"), ("""{"Pes": 257}""", "Pes"),
            ("""{"ActWidth": 1}""", "ActWidth"), ("""{"ActWidth": 33}""", "ActWidth"),
            ("""{"ActFracBits": -1}""", "ActFracBits"), ("""{"ActFracBits": 15}""", "ActFracBits"),
            ("""{"WeightWidth": 1}""", "WeightWidth"), ("""{"WeightWidth": 33}""", "WeightWidth"),
            ("""{"WeightFracBits": -1}""", "WeightFracBits"), ("""{"WeightFracBits": 16}""", "WeightFracBits"),
            ("""{"AccWidth": 15}""", "AccWidth"), ("""{"AccWidth": 63}""", "AccWidth"),
            ("""{"ProductShift": -1}""", "ProductShift"), ("""{"ProductShift": 13}""", "ProductShift"),
            ("""{"IndexBits": 0}""", "IndexBits"), ("""{"IndexBits": 9}""", "IndexBits"),
            ("""{"RunBits": 0}""", "RunBits"), ("""{"RunBits": 9}""", "RunBits"),
            ("""{"CodebookSize": 1}""", "CodebookSize"), ("""{"CodebookSize": 17}""", "CodebookSize"),
            ("""{"ActQueueDepth": 0}""", "ActQueueDepth"), ("""{"ActQueueDepth": 1025}""", "ActQueueDepth"),
            ("""{"SpmatWordBits": 7}""", "SpmatWordBits"), ("""{"SpmatWordBits": 2048}""", "SpmatWordBits"),
            ("""{"SpmatWordBits": 12}""", "multiple of the entry width"), ("""{"SpmatWordBits": 72}""", "power of two"),
            ("""{"SpmatDepth": 0}""", "SpmatDepth"), ("""{"SpmatDepth": 16777217}""", "SpmatDepth"),
            ("""{"PtrWidth": 1}""", "PtrWidth"), ("""{"PtrWidth": 2}""", "PtrWidth"), ("""{"PtrWidth": 3}""", "PtrWidth must be in [4, 30]"),
            ("""{"PtrWidth": 31}""", "PtrWidth"), ("""{"IndexBits": 2, "RunBits": 2, "CodebookSize": 4, "PtrWidth": 4}""", "PtrWidth must be in [5, 30]"),
            ("""{"PtrDepth": 1}""", "PtrDepth"), ("""{"PtrDepth": 16777217}""", "PtrDepth"),
            ("""{"ActRegEntries": 0}""", "ActRegEntries"), ("""{"ActRegEntries": 65537}""", "ActRegEntries"),
            ("""{"ActSramDepth": 1}""", "ActSramDepth"), ("""{"ActSramDepth": 16777217}""", "ActSramDepth"),
            ("""{"LnzdFanIn": 1}""", "LnzdFanIn"), ("""{"LnzdFanIn": 17}""", "LnzdFanIn"),
            ("""{"MaxLayers": 0}""", "MaxLayers"), ("""{"MaxLayers": 257}""", "MaxLayers"),
            ("""{"Pez": 4}""", "unknown field"), ("""{"Pes": "four"}""", "Pes"), ("""{"Pes": null}""", "Pes"),
            ("""{"Pes": 2.5}""", "Pes"), ("""{"Pes": 1e30}""", "Pes"), ("""[1, 2]""", "JSON object"),
            ("""{"Pes": 2""", "malformed JSON"), ("", "malformed JSON"), ("""{"Pes": 2, "pes": 3}""", "must appear once"),
        ];
        for (int k = 0; k < configs.Length; k++)
            Add($"generate config {configs[k].Json}", ["cfg.json", configs[k].Fragment], Write("cfg.json", configs[k].Json),
                "generate", "--config", "{d}/cfg.json", "--out", "{d}/out");
        Add("generate config missing", ["nope.json", "not found"], null, "generate", "--config", "{d}/nope.json", "--out", "{d}/out");
        Add("generate config is a folder", ["{d}/model", "cannot read"], null, "generate", "--config", "{d}/model", "--out", "{d}/out");
        Add("generate config empty name", ["--config", "empty name"], null, "generate", "--config", "", "--out", "{d}/out");
        Add("generate config endless", ["/dev/zero", "at most 1048576 bytes"], null, "generate", "--config", "/dev/zero", "--out", "{d}/out");
        Add("generate --pes 0", ["Pes", "got 0"], null, "generate", "--pes", "0", "--out", "{d}/out");
        Add("generate --pes 257", ["Pes", "got 257"], null, "generate", "--pes", "257", "--out", "{d}/out");
        Add("generate --pes abc", ["abc"], null, "generate", "--pes", "abc", "--out", "{d}/out");
        Add("generate --pes 1e9", ["1e9"], null, "generate", "--pes", "1e9", "--out", "{d}/out");
        Add("generate without --out", ["--out"], null, "generate", "--pes", "2");
        Add("generate unknown option", ["--fast"], null, "generate", "--fast", "--out", "{d}/out");
        Add("generate unknown board", ["icestick", "icebreaker"], null, "generate", "--board", "icestick", "--out", "{d}/out");
        Add("generate --baud without --board", ["--baud", "needs --board"], null, "generate", "--baud", "9600", "--out", "{d}/out");
        Add("generate --baud 0", ["--baud"], null, "generate", "--board", "icebreaker", "--config", "{d}/small.json", "--baud", "0", "--out", "{d}/out");
        Add("generate --baud too fast", ["--baud"], null, "generate", "--board", "icebreaker", "--config", "{d}/small.json", "--baud", "100000000", "--out", "{d}/out");
        Add("generate --board icebreaker at 64 PEs", ["ice40-up5k", "64 PEs", "hw/configs/ice40-small.json or hw/configs/icebreaker-lenet.json fits"], null,
            "generate", "--board", "icebreaker", "--out", "{d}/out");
        Add("generate --board hx8k-breakout at 16 PEs", ["ice40-hx8k", "16 PEs"], null, "generate", "--board", "hx8k-breakout", "--pes", "16", "--out", "{d}/out");
        Add("generate --board with PtrWidth 3", ["PtrWidth"], Write("cfg.json", """{"Pes": 2, "PtrWidth": 3}"""),
            "generate", "--board", "arty-a7", "--config", "{d}/cfg.json", "--out", "{d}/out");

        // workload
        Add("workload unknown", ["alex9", "alex7"], null, "workload", "alex9", "--out", "{d}/out");
        Add("workload empty name", ["''", "alex7"], null, "workload", "", "--out", "{d}/out");
        Add("workload --seed abc", ["abc"], null, "workload", "alex7", "--seed", "abc", "--out", "{d}/out");
        Add("workload --seed -1", ["-1"], null, "workload", "alex7", "--seed", "-1", "--out", "{d}/out");
        Add("workload nt-wd batches past MaxLayers", ["nt-wd", "MaxLayers 2", "ActRegEntries 64", "got 3"], null, "workload", "nt-wd", "--set", "MaxLayers=2", "--out", "{d}/out");
        Add("workload vgg6 pointers", ["vgg6", "PtrDepth", "25090"], null, "workload", "vgg6", "--out", "{d}/out");
        Add("workload alex8 on 8 PEs in one table row", ["alex8", "MaxLayers 1", "got 2"], null, "workload", "alex8", "--pes", "8", "--set", "MaxLayers=1", "--out", "{d}/out");
        Add("workload --pes 0", ["Pes", "got 0"], null, "workload", "alex7", "--pes", "0", "--out", "{d}/out");
        Add("workload PtrWidth 2", ["PtrWidth"], Write("cfg.json", """{"PtrWidth": 2}"""), "workload", "alex7", "--config", "{d}/cfg.json", "--out", "{d}/out");
        Add("workload small config", ["alex7", "ActSramDepth"], null, "workload", "alex7", "--config", "{d}/small.json", "--out", "{d}/out");
        Add("workload two names", ["alex8"], null, "workload", "alex7", "alex8", "--out", "{d}/out");

        // compress: weights files
        Add("compress density 1.5", ["density", "(0, 1]", "1.5"], null, [.. compress, "--density", "1.5"]);
        Add("compress density 0", ["density", "(0, 1]"], null, [.. compress, "--density", "0"]);
        Add("compress density NaN", ["density", "NaN"], null, [.. compress, "--density", "NaN"]);
        Add("compress density count", ["--density", "got 2"], null, [.. compress, "--density", "0.5", "0.5"]);
        Add("compress bias count", ["--bias", "got 2"], null, [.. compress, "--bias", "{d}/b.npy", "{d}/b.npy"]);
        Add("compress bias length", ["x.npy", "8", "got 6"], null, [.. compress, "--bias", "{d}/x.npy"]);
        Add("compress bias is a matrix", ["w.npy", "rank 1"], null, [.. compress, "--bias", "{d}/w.npy"]);
        Add("compress weights are a vector", ["x.npy", "rank 2"], null, "compress", "--weights", "{d}/x.npy", "--out", "{d}/out");
        Add("compress chain shapes", ["w.npy", "must have 8 columns", "got 6"], null, "compress", "--weights", "{d}/w.npy", "{d}/w.npy", "--out", "{d}/out", "--config", "{d}/small.json");
        Add("compress three layers, MaxLayers 2", ["MaxLayers", "got 3"], d => Npy.Write(Path.Combine(d, "w3.npy"), [1, 2, 3, 4, 5, 6, 7, 8], 2, 4),
            "compress", "--weights", "{d}/w.npy", "{d}/w2.npy", "{d}/w3.npy", "--out", "{d}/out", "--config", "{d}/small.json");
        Add("compress weights missing", ["nope.npy", "not found"], null, "compress", "--weights", "{d}/nope.npy", "--out", "{d}/out");
        Add("compress weights in a missing folder", ["no/w.npy", "not found"], null, "compress", "--weights", "{d}/no/w.npy", "--out", "{d}/out");
        Add("compress weights are a folder", ["{d}/model", "cannot read"], null, "compress", "--weights", "{d}/model", "--out", "{d}/out");
        Add("compress weights empty", ["e.npy", "not a .npy file", "empty file"], Write("e.npy", ""), "compress", "--weights", "{d}/e.npy", "--out", "{d}/out");
        Add("compress weights are text", ["t.npy", "not a .npy file"], Write("t.npy", "1,2,3\n"), "compress", "--weights", "{d}/t.npy", "--out", "{d}/out");
        Add("compress weights preamble cut", ["c.npy", "truncated"], WriteBytes("c.npy", NpyBytes(Dict("<f8", "(2, 2)"), 32)[..8]),
            "compress", "--weights", "{d}/c.npy", "--out", "{d}/out");
        Add("compress weights header cut", ["c.npy", "truncated"], WriteBytes("c.npy", NpyBytes(Dict("<f8", "(2, 2)"), 32)[..40]),
            "compress", "--weights", "{d}/c.npy", "--out", "{d}/out");
        // Broken .npy files, each as weights of compress and as the input of golden.
        (string Name, string Fragment, byte[] Bytes)[] npys =
        [
            ("data cut", "truncated", NpyBytes(Dict("<f8", "(2, 2)"), 24)),
            ("trailing bytes", "trailing", NpyBytes(Dict("<f8", "(2, 2)"), 40)),
            ("version 4", "version 4.0", WithByte(NpyBytes(Dict("<f8", "(2, 2)"), 32), 6, 4)),
            ("header length 2 GB", "at most 10000 bytes", WithHeaderLength(NpyBytes(Dict("<f8", "(2, 2)"), 32, major: 2), 0x7fff_0000)),
            ("a million (", "at most 10000 bytes", NpyBytes(Dict("<f8", new string('(', 1_000_000) + new string(')', 1_000_000)), 0, major: 2)),
            ("nested shape", "nest deeper than 8", NpyBytes(Dict("<f8", new string('(', 3000) + new string(')', 3000)), 0)),
            ("65 dimensions", "at most 64 dimensions", NpyBytes(Dict("<f8", "(" + string.Join(", ", Enumerable.Repeat("1", 65)) + ")"), 8)),
            ("huge shape", "too many elements", NpyBytes(Dict("<f8", "(4000000000, 4000000000)"), 0)),
            ("2^64 dimension", "64 bits", NpyBytes(Dict("<f8", "(99999999999999999999, 1)"), 0)),
            ("negative dimension", ">= 0, got -2", NpyBytes(Dict("<f8", "(-2, 2)"), 0)),
            ("shape of strings", "shape entries must be integers", NpyBytes(Dict("<f8", "('a', 2)"), 0)),
            ("shape not a tuple", "'shape' must be a tuple", NpyBytes(Dict("<f8", "4"), 32)),
            ("missing key", "missing key 'shape'", NpyBytes("{'descr': '<f8', 'fortran_order': False, }", 8)),
            ("extra key", "'extra'", NpyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), 'extra': 1, }", 8)),
            ("unterminated string", "unterminated string", NpyBytes("{'descr': '<f8, }", 0)),
            ("fortran order", "Fortran", NpyBytes(Dict("<f8", "(2, 2)", "True"), 32)),
            ("complex", "<c16", NpyBytes(Dict("<c16", "(2, 2)"), 64)),
            ("big-endian", "big-endian", NpyBytes(Dict(">f8", "(2, 2)"), 32)),
            ("object dtype", "|O", NpyBytes(Dict("|O", "(2, 2)"), 32)),
            ("structured dtype", "structured", NpyBytes("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2, 2), }", 32)),
        ];
        foreach (var (name, fragment, bytes) in npys)
        {
            Add($"compress weights {name}", ["c.npy", fragment], WriteBytes("c.npy", bytes), "compress", "--weights", "{d}/c.npy", "--out", "{d}/out");
            Add($"golden input {name}", ["c.npy", fragment], WriteBytes("c.npy", bytes),
                "golden", "--model", "{d}/model", "--input", "{d}/c.npy", "--out", "{d}/out/y.npy");
        }
        Add("compress weights NaN", ["n.npy", "row 0, column 1", "finite", "NaN"], d => Npy.Write(Path.Combine(d, "n.npy"), [1, double.NaN, 0, 1], 2, 2),
            "compress", "--weights", "{d}/n.npy", "--out", "{d}/out", "--config", "{d}/small.json");
        Add("compress weights infinity", ["n.npy", "row 1, column 0", "-Infinity"], d => Npy.Write(Path.Combine(d, "n.npy"), [1, 0, double.NegativeInfinity, 1], 2, 2),
            "compress", "--weights", "{d}/n.npy", "--out", "{d}/out", "--config", "{d}/small.json");
        Add("compress bias NaN", ["n.npy", "value 7", "NaN"], d => Npy.Write(Path.Combine(d, "n.npy"), [0, 0, 0, 0, 0, 0, 0, double.NaN], 8),
            [.. compress, "--bias", "{d}/n.npy"]);
        Add("compress weights 0 rows", ["z.npy", "at least 1 row", "0 x 6"], d => Npy.Write(Path.Combine(d, "z.npy"), [], 0, 6),
            "compress", "--weights", "{d}/z.npy", "--out", "{d}/out", "--config", "{d}/small.json");
        Add("compress weights 0 columns", ["z.npy", "at least 1 row", "6 x 0"], d => Npy.Write(Path.Combine(d, "z.npy"), [], 6, 0),
            "compress", "--weights", "{d}/z.npy", "--out", "{d}/out", "--config", "{d}/small.json");
        Add("compress layer too big for the small config", ["ActRegEntries"], d => Npy.Write(Path.Combine(d, "big.npy"), new double[40 * 6], 40, 6),
            "compress", "--weights", "{d}/big.npy", "--out", "{d}/out", "--config", "{d}/small.json", "--density", "1");
        Add("compress layer too wide for the act SRAM", ["ActSramDepth"], d => Npy.Write(Path.Combine(d, "wide.npy"), new double[2 * 200], 2, 200),
            "compress", "--weights", "{d}/wide.npy", "--out", "{d}/out", "--config", "{d}/small.json");
        Add("compress config WeightFracBits 15", ["codebook value", "WeightFracBits"], Both(Write("cfg.json", """{"WeightFracBits": 15, "Pes": 2}"""),
                d => Npy.Write(Path.Combine(d, "big.npy"), [1.5, -1.5, 0.5, 1.5], 2, 2)),
            "compress", "--weights", "{d}/big.npy", "--out", "{d}/out", "--config", "{d}/cfg.json", "--density", "1");
        Add("compress config PtrWidth 3", ["PtrWidth"], Write("cfg.json", """{"PtrWidth": 3}"""), "compress", "--weights", "{d}/w.npy", "--out", "{d}/out", "--config", "{d}/cfg.json");
        Add("compress --pes 300", ["Pes", "300"], null, "compress", "--weights", "{d}/w.npy", "--out", "{d}/out", "--pes", "300");
        Add("compress bias empty name", [".npy file", "empty name"], null, [.. compress, "--bias", ""]);
        Add("compress weights empty name", [".npy file", "empty name"], null, "compress", "--weights", "", "--out", "{d}/out");
        Add("compress without --weights", ["--weights"], null, "compress", "--out", "{d}/out");
        Add("compress without --out", ["--out"], null, "compress", "--weights", "{d}/w.npy");

        // golden: inputs and model folders
        Add("golden input length", ["x5.npy", "6", "got 5"], d => Npy.Write(Path.Combine(d, "x5.npy"), new double[5], 5),
            "golden", "--model", "{d}/model", "--input", "{d}/x5.npy", "--out", "{d}/out/y.npy");
        Add("golden input NaN", ["xn.npy", "finite", "NaN"], d => Npy.Write(Path.Combine(d, "xn.npy"), [0, 1, double.NaN, 0, 0, 0], 6),
            "golden", "--model", "{d}/model", "--input", "{d}/xn.npy", "--out", "{d}/out/y.npy");
        Add("golden input infinity", ["xn.npy", "finite"], d => Npy.Write(Path.Combine(d, "xn.npy"), [0, 1, double.PositiveInfinity, 0, 0, 0], 6),
            "golden", "--model", "{d}/model", "--input", "{d}/xn.npy", "--out", "{d}/out/y.npy");
        Add("golden input is a matrix", ["w.npy", "rank 1"], null, "golden", "--model", "{d}/model", "--input", "{d}/w.npy", "--out", "{d}/out/y.npy");
        Add("golden input 1x6", ["r.npy", "ravel"], d => Npy.Write(Path.Combine(d, "r.npy"), new double[6], 1, 6),
            "golden", "--model", "{d}/model", "--input", "{d}/r.npy", "--out", "{d}/out/y.npy");
        Add("golden input missing", ["nope.npy", "not found"], null, "golden", "--model", "{d}/model", "--input", "{d}/nope.npy", "--out", "{d}/out/y.npy");
        Add("golden input is a folder", ["{d}/model", "cannot read"], null, "golden", "--model", "{d}/model", "--input", "{d}/model", "--out", "{d}/out/y.npy");
        Add("golden input int64 dtype wrong length", ["i.npy", "6", "got 3"], WriteBytes("i.npy", NpyBytes(Dict("<i8", "(3,)"), 24)),
            "golden", "--model", "{d}/model", "--input", "{d}/i.npy", "--out", "{d}/out/y.npy");
        Add("golden input float16", ["h.npy", "<f2"], WriteBytes("h.npy", NpyBytes(Dict("<f2", "(6,)"), 12)),
            "golden", "--model", "{d}/model", "--input", "{d}/h.npy", "--out", "{d}/out/y.npy");
        Add("golden input truncated", ["t.npy", "truncated"], WriteBytes("t.npy", NpyBytes(Dict("<f8", "(6,)"), 40)),
            "golden", "--model", "{d}/model", "--input", "{d}/t.npy", "--out", "{d}/out/y.npy");
        Add("golden model missing", ["nope", "missing"], null, "golden", "--model", "{d}/nope", "--input", "{d}/x.npy", "--out", "{d}/out/y.npy");
        Add("golden model is a file", ["x.npy", "got a file"], null, "golden", "--model", "{d}/x.npy", "--input", "{d}/x.npy", "--out", "{d}/out/y.npy");
        Add("golden input empty name", [".npy file", "empty name"], null, "golden", "--model", "{d}/model", "--input", "", "--out", "{d}/out/y.npy");
        Add("golden without --input", ["--input"], null, "golden", "--model", "{d}/model", "--out", "{d}/out/y.npy");

        // Manifest and image edits, each through golden; a few through cosim and board-run below.
        (string Name, string[] Fragments, Action<string> Setup)[] models =
        [
            ("manifest missing", ["manifest.json", "missing"], d => File.Delete(Path.Combine(d, "model", ModelFolder.ManifestFile))),
            ("manifest empty", ["manifest.json", "invalid JSON"], Write("model/manifest.json", "")),
            ("manifest null", ["manifest.json", "got null"], Write("model/manifest.json", "null")),
            ("manifest an array", ["manifest.json", "invalid JSON"], Write("model/manifest.json", "[]")),
            ("manifest cut in half", ["manifest.json", "invalid JSON"], d =>
            {
                string p = Path.Combine(d, "model", ModelFolder.ManifestFile);
                string text = File.ReadAllText(p);
                File.WriteAllText(p, text[..(text.Length / 2)]);
            }),
            ("manifest generator", ["manifest.json", "generator must be EieHdl", "other"], EditManifest(m => m["generator"] = "other")),
            ("manifest config null", ["manifest.json", "config must be present"], EditManifest(m => m["config"] = null)),
            ("manifest config PtrWidth 2", ["manifest.json", "PtrWidth"], EditManifest(m => m["config"]!["ptrWidth"] = 2)),
            ("manifest codebookSize edited", ["manifest.json", "codebook.fixed must have 8 values", "got 16"], EditManifest(m => m["config"]!["codebookSize"] = 8)),
            ("manifest pes edited", ["manifest.json", "pes must have 4 values"], EditManifest(m => m["config"]!["pes"] = 4)),
            ("manifest layers null", ["manifest.json", "layers must be present"], EditManifest(m => m["layers"] = null)),
            ("manifest layers empty", ["manifest.json", "1 to MaxLayers", "got 0"], EditManifest(m => m["layers"] = new JsonArray())),
            ("manifest layer null", ["manifest.json", "layers[0] must be present"], EditManifest(m => m["layers"]![0] = null)),
            ("manifest layer name null", ["manifest.json", "layers[0].name"], EditManifest(m => m["layers"]![0]!["name"] = null)),
            ("manifest inputs 0", ["manifest.json", "layers[0].inputs", "got 0"], EditManifest(m => m["layers"]![0]!["inputs"] = 0)),
            ("manifest inputs edited", ["manifest.json", "pointers must have 9 values", "got 8"], EditManifest(m => m["layers"]![0]!["inputs"] = 7)),
            ("manifest outputs edited", ["manifest.json", "localRows"], EditManifest(m => m["layers"]![0]!["outputs"] = 6)),
            ("manifest inputs a string", ["manifest.json", "invalid JSON"], EditManifest(m => m["layers"]![0]!["inputs"] = "six")),
            ("manifest ptrBase edited", ["manifest.json", "ptrBase must be 0", "got 3"], EditManifest(m => m["layers"]![0]!["ptrBase"] = 3)),
            ("manifest codebookBase edited", ["manifest.json", "codebookBase"], EditManifest(m => m["layers"]![0]!["codebookBase"] = 16)),
            ("manifest density 2", ["manifest.json", "density", "got 2"], EditManifest(m => m["layers"]![0]!["density"] = 2.0)),
            ("manifest huffman null", ["manifest.json", "huffman must be present"], EditManifest(m => m["layers"]![0]!["huffman"] = null)),
            ("manifest sizes null", ["manifest.json", "sizes must be present"], EditManifest(m => m["sizes"] = null)),
            ("manifest codebook null", ["manifest.json", "codebook must be present"], EditManifest(m => m["layers"]![0]!["codebook"] = null)),
            ("manifest codebook.fixed null", ["manifest.json", "codebook.fixed must be present"], EditManifest(m => m["layers"]![0]!["codebook"]!["fixed"] = null)),
            ("manifest codebook.float null", ["manifest.json", "codebook.float must be present"], EditManifest(m => m["layers"]![0]!["codebook"]!["float"] = null)),
            ("manifest codebook.fixed short", ["manifest.json", "codebook.fixed must have 16 values", "got 3"],
                EditManifest(m => m["layers"]![0]!["codebook"]!["fixed"] = new JsonArray(0, 1, 2))),
            ("manifest codebook.fixed too wide", ["manifest.json", "codebook.fixed[3]", "WeightWidth 16", "70000"],
                EditManifest(m => m["layers"]![0]!["codebook"]!["fixed"]![3] = 70000)),
            ("manifest codebook.float edited", ["manifest.json", "codebook.fixed[3] must be", "codebook.float[3] = 0.25"],
                EditManifest(m => m["layers"]![0]!["codebook"]!["float"]![3] = 0.25)),
            ("manifest codebook.fixed edited", ["manifest.json", "codebook.fixed[3] must be", "got 1"], EditManifest(m => m["layers"]![0]!["codebook"]!["fixed"]![3] = 1)),
            ("manifest codebook.fixed entry 0", ["manifest.json", "codebook.fixed[0] must be 0"], EditManifest(m => m["layers"]![0]!["codebook"]!["fixed"]![0] = 5)),
            ("manifest codebook.fixed a string", ["manifest.json", "$.layers[0].codebook.fixed"], EditManifest(m => m["layers"]![0]!["codebook"]!["fixed"]![2] = "x")),
            ("manifest codebook.fixed null entry", ["manifest.json", "$.layers[0].codebook.fixed"], EditManifest(m => m["layers"]![0]!["codebook"]!["fixed"]![2] = null)),
            ("manifest codebook.fixed 1e20", ["manifest.json", "$.layers[0].codebook.fixed"], EditManifest(m => m["layers"]![0]!["codebook"]!["fixed"]![2] = 1e20)),
            ("manifest pes null", ["manifest.json", "pes must be present"], EditManifest(m => m["layers"]![0]!["pes"] = null)),
            ("manifest pes short", ["manifest.json", "pes must have 2 values", "got 1"], EditManifest(m => m["layers"]![0]!["pes"]!.AsArray().RemoveAt(1))),
            ("manifest pes[0] null", ["manifest.json", "pes[0] must be present"], EditManifest(m => m["layers"]![0]!["pes"]![0] = null)),
            ("manifest pe number", ["manifest.json", "pes[0].pe must be 0"], EditManifest(m => Pe0(m)["pe"] = 1)),
            ("manifest localRows", ["manifest.json", "localRows must be 4"], EditManifest(m => Pe0(m)["localRows"] = 9)),
            ("manifest pointers null", ["manifest.json", "pointers must be present"], EditManifest(m => Pe0(m)["pointers"] = null)),
            ("manifest pointers short", ["manifest.json", "pointers must have 8 values", "got 2"], EditManifest(m => Pe0(m)["pointers"] = new JsonArray(0, 1))),
            ("manifest pointers descend", ["manifest.json", "pointers must ascend"], EditManifest(m =>
            {
                var p = Pe0(m)["pointers"]!.AsArray();
                p[2] = p[1]!.GetValue<int>() - 1;
            })),
            ("manifest pointers past the entries", ["manifest.json", "pointers must ascend"], EditManifest(m => Pe0(m)["pointers"]![3] = 1000)),
            ("manifest pointer 0 not 0", ["manifest.json", "pointers[0] must be 0"], EditManifest(m => Pe0(m)["pointers"]![0] = 1)),
            ("manifest entries past the end pointer", ["manifest.json", "pointers[7] must be the PE's entry count"], EditManifest(m =>
            {
                // One more (v, z) than the pointers cover, with the entry count to match.
                var v = Pe0(m)["v"]!.AsArray();
                v.Add(1);
                Pe0(m)["z"]!.AsArray().Add(0);
                Pe0(m)["entries"] = v.Count;
            })),
            ("manifest v null", ["manifest.json", "pes[0].v must be present"], EditManifest(m => Pe0(m)["v"] = null)),
            ("manifest z short", ["manifest.json", "pes[0].z must have"], EditManifest(m => Pe0(m)["z"]!.AsArray().RemoveAt(0))),
            ("manifest v beyond the codebook", ["manifest.json", "v[0]", "CodebookSize - 1", "got 16"], EditManifest(m => Pe0(m)["v"]![0] = 16)),
            ("manifest v negative", ["manifest.json", "v[0]", "got -1"], EditManifest(m => Pe0(m)["v"]![0] = -1)),
            ("manifest z beyond RunBits", ["manifest.json", "z[0]", "got 16"], EditManifest(m => Pe0(m)["z"]![0] = 16)),
            ("manifest z past the PE's rows", ["manifest.json", "must address one of the PE's 4 rows"], EditManifest(m => Pe0(m)["z"]![0] = 7)),
            ("manifest entries count", ["manifest.json", "pes[0].entries"], EditManifest(m => Pe0(m)["entries"] = 1)),
            ("manifest padding count", ["manifest.json", "pes[0].padding"], EditManifest(m => Pe0(m)["padding"] = 3)),
            ("image spmat missing", ["pe001_spmat.hex", "missing"], d => File.Delete(Path.Combine(d, "model", "images", "pe001_spmat.hex"))),
            ("image spmat last word", ["pe001_spmat.hex"], EditImage("pe001_spmat.hex", l => [.. l[..^1], new string('f', l[^1].Length)])),
            ("image spmat extra word", ["pe000_spmat.hex", "different contents"], EditImage("pe000_spmat.hex", l => [.. l, new string('0', l[^1].Length)])),
            ("image spmat fill bits", ["pe000_spmat.hex", "different contents"], EditImage("pe000_spmat.hex", l =>
            {
                // The last word's top lane is beyond the PE's entries (6 inputs + bias, 4 rows, density 1: 28 entries, 8 a word).
                var last = l[^1].ToCharArray();
                last[0] = last[0] == '0' ? '1' : '0';
                return [.. l[..^1], new string(last)];
            })),
            ("image spmat not hex", ["pe000_spmat.hex", "hex digits"], EditImage("pe000_spmat.hex", l => [.. l[..^1], new string('g', l[^1].Length)])),
            ("image spmat short line", ["pe000_spmat.hex", "16 hex digits"], EditImage("pe000_spmat.hex", l => [.. l[..^1], "12"])),
            ("image ptr even edited", ["pe000_ptr_even.hex"], EditImage("pe000_ptr_even.hex", l => [.. l[..^1], "00003"])),
            ("image ptr odd short", ["pe000_ptr_odd.hex"], EditImage("pe000_ptr_odd.hex", l => l[..^2])),
            ("image codebook edited", ["codebook.hex", "different contents"], EditImage("codebook.hex", l => [.. l[..^1], "7fff"])),
            ("image codebook extra word", ["codebook.hex", "different contents"], EditImage("codebook.hex", l => [.. l, "0000"])),
            ("images folder missing", ["images", "missing"], d => Directory.Delete(Path.Combine(d, "model", "images"), recursive: true)),
        ];
        foreach (var (name, fragments, setup) in models)
            Add($"golden {name}", fragments, setup, golden);
        Add("golden balanced outputOrder not a permutation", ["manifest.json", "outputOrder"], EditManifest(m => m["outputOrder"]![1] = m["outputOrder"]![0]!.GetValue<int>(), "balanced"),
            "golden", "--model", "{d}/balanced", "--input", "{d}/x.npy", "--out", "{d}/out/y.npy");
        Add("golden balanced outputOrder short", ["manifest.json", "outputOrder"], EditManifest(m => m["outputOrder"]!.AsArray().RemoveAt(0), "balanced"),
            "golden", "--model", "{d}/balanced", "--input", "{d}/x.npy", "--out", "{d}/out/y.npy");

        // cosim: everything before the Verilator build.
        string[] cosimEdits = ["manifest codebook null", "manifest pes[0] null", "manifest pointers short", "manifest codebook.fixed null",
            "manifest codebookSize edited", "image spmat extra word", "image codebook edited", "manifest z past the PE's rows"];
        foreach (var (name, fragments, setup) in models.Where(m => cosimEdits.Contains(m.Name)))
            Add($"cosim {name}", fragments, setup, cosim);
        Add("cosim 128-bit spmat words", ["wide", "SpmatWordBits must be at most 64 for cosim", "got 128"], null,
            "cosim", "--model", "{d}/wide", "--input", "{d}/x.npy", "--out", "{d}/out");
        Add("cosim input length", ["x5.npy", "got 5"], d => Npy.Write(Path.Combine(d, "x5.npy"), new double[5], 5),
            "cosim", "--model", "{d}/model", "--input", "{d}/x5.npy", "--out", "{d}/out");
        Add("cosim input NaN", ["xn.npy", "NaN"], d => Npy.Write(Path.Combine(d, "xn.npy"), [double.NaN, 0, 0, 0, 0, 0], 6),
            "cosim", "--model", "{d}/model", "--input", "{d}/xn.npy", "--out", "{d}/out");
        Add("cosim input missing", ["nope.npy", "not found"], null, "cosim", "--model", "{d}/model", "--input", "{d}/nope.npy", "--out", "{d}/out");
        Add("cosim model missing", ["nope", "missing"], null, "cosim", "--model", "{d}/nope", "--input", "{d}/x.npy", "--out", "{d}/out");
        Add("cosim config mismatch", ["cfg.json", "must match the config"], Write("cfg.json", """{"Pes": 4}"""), [.. cosim, "--config", "{d}/cfg.json"]);
        Add("cosim config broken", ["cfg.json", "malformed JSON"], Write("cfg.json", "{"), [.. cosim, "--config", "{d}/cfg.json"]);
        Add("cosim config empty name", ["--config", "empty name"], null, [.. cosim, "--config", ""]);
        Add("cosim without --model", ["--model"], null, "cosim", "--input", "{d}/x.npy");

        // board-run: everything before the serial port is opened.
        string[] boardEdits = ["manifest codebook null", "manifest pes[0] null", "manifest pointers null", "manifest layers null", "image spmat fill bits"];
        foreach (var (name, fragments, setup) in models.Where(m => boardEdits.Contains(m.Name)))
            Add($"board-run {name}", fragments, setup, boardRun);
        Add("board-run 128-bit spmat words", ["wide", "SpmatWordBits must be at most 64 for board-run"], null,
            "board-run", "--port", "{d}/tty", "--board", "icebreaker", "--model", "{d}/wide", "--input", "{d}/x.npy");
        Add("board-run unknown board", ["icestick", "icebreaker"], null,
            "board-run", "--port", "{d}/tty", "--board", "icestick", "--model", "{d}/model", "--input", "{d}/x.npy");
        Add("board-run baud 0", ["--baud"], null, [.. boardRun, "--baud", "0"]);
        Add("board-run baud beyond the clock", ["--baud"], null, [.. boardRun, "--baud", "50000000"]);
        Add("board-run timeout 0", ["--timeout", "got 0"], null, [.. boardRun, "--timeout", "0"]);
        Add("board-run timeout NaN", ["--timeout", "NaN"], null, [.. boardRun, "--timeout", "NaN"]);
        Add("board-run timeout a day", ["--timeout", "86400"], null, [.. boardRun, "--timeout", "86400"]);
        Add("board-run input length", ["x5.npy", "got 5"], d => Npy.Write(Path.Combine(d, "x5.npy"), new double[5], 5),
            "board-run", "--port", "{d}/tty", "--board", "icebreaker", "--model", "{d}/model", "--input", "{d}/x5.npy");
        Add("board-run model missing", ["nope", "missing"], null,
            "board-run", "--port", "{d}/tty", "--board", "icebreaker", "--model", "{d}/nope", "--input", "{d}/x.npy");
        Add("board-run config mismatch", ["cfg.json", "must match"], Write("cfg.json", """{"Pes": 4}"""), [.. boardRun, "--config", "{d}/cfg.json"]);
        Add("board-run without --port", ["--port"], null, "board-run", "--board", "icebreaker", "--model", "{d}/model", "--input", "{d}/x.npy");

        // bench: refused before any compression of a layer that does not fit, and before the RTL build.
        Add("bench unknown layer", ["alex9", "alex7"], null, "bench", "--layers", "alex9");
        Add("bench mismatched chain", ["--layers", "Alex-6", "1000", "9216"], null, "bench", "--chain", "--layers", "alex8", "alex6");
        Add("bench mismatched chain with --rtl", ["--layers", "Alex-6", "9216"], null, "bench", "--chain", "--rtl", "--layers", "alex7", "alex6");
        Add("bench --rtl alex8 on 8 PEs in one table row", ["alex8", "MaxLayers 1", "got 2"], null, "bench", "--rtl", "--layers", "alex8", "--pes", "8", "--set", "MaxLayers=1");
        Add("bench --rtl 128-bit spmat words", ["SpmatWordBits must be at most 64 for bench --rtl"], Write("cfg.json", """{"SpmatWordBits": 128}"""),
            "bench", "--rtl", "--layers", "alex8", "--config", "{d}/cfg.json");
        Add("bench --pes 0", ["Pes", "got 0"], null, "bench", "--pes", "0");
        Add("bench --pes -3", ["Pes", "got -3"], null, "bench", "--pes", "-3");
        Add("bench --seed abc", ["abc"], null, "bench", "--seed", "abc");
        Add("bench config PtrWidth 3", ["PtrWidth"], Write("cfg.json", """{"PtrWidth": 3}"""), "bench", "--config", "{d}/cfg.json");
        Add("bench config missing", ["nope.json", "not found"], null, "bench", "--config", "{d}/nope.json");

        // synth: refused before yosys.
        Add("synth unknown target", ["virtex2", "ice40-up5k"], null, "synth", "--target", "virtex2", "--out", "{d}/out");
        Add("synth neither target nor board", ["--target", "neither"], null, "synth", "--out", "{d}/out");
        Add("synth both target and board", ["both"], null, "synth", "--target", "xc7", "--board", "arty-a7", "--out", "{d}/out");
        Add("synth --baud with --target", ["--baud", "needs --board"], null, "synth", "--target", "xc7", "--baud", "9600", "--out", "{d}/out");
        Add("synth --freq 0", ["--freq", "0"], null, "synth", "--target", "ice40-up5k", "--config", "{d}/small.json", "--freq", "0", "--out", "{d}/out");
        Add("synth --freq NaN", ["--freq", "NaN"], null, "synth", "--target", "ice40-up5k", "--config", "{d}/small.json", "--freq", "NaN", "--out", "{d}/out");
        Add("synth --seed -1", ["--seed", "-1"], null, "synth", "--target", "ice40-up5k", "--config", "{d}/small.json", "--seed", "-1", "--out", "{d}/out");
        Add("synth 64 PEs on the UP5K", ["ice40-up5k", "64 PEs", "hw/configs/ice40-small.json or hw/configs/icebreaker-lenet.json fits"], null, "synth", "--target", "ice40-up5k", "--out", "{d}/out");
        Add("synth board at 64 PEs", ["ice40-hx8k"], null, "synth", "--board", "hx8k-breakout", "--out", "{d}/out");
        Add("synth PtrWidth 3 on xc7", ["PtrWidth"], Write("cfg.json", """{"PtrWidth": 3}"""), "synth", "--target", "xc7", "--config", "{d}/cfg.json", "--out", "{d}/out");
        Add("synth --pes 0", ["Pes", "got 0"], null, "synth", "--target", "xc7", "--pes", "0", "--out", "{d}/out");

        // mnist: refused before the download and the training.
        string[] mnist = ["mnist", "--out", "{d}/out", "--cache", "{d}/cache"];
        Add("mnist --pes 0", ["Pes", "got 0"], null, [.. mnist, "--pes", "0"]);
        Add("mnist CodebookSize 8", ["CodebookSize must be 16"], Write("cfg.json", """{"CodebookSize": 8}"""), [.. mnist, "--config", "{d}/cfg.json"]);
        Add("mnist MaxLayers 2", ["MaxLayers", "3"], Write("cfg.json", """{"MaxLayers": 2}"""), [.. mnist, "--config", "{d}/cfg.json"]);
        Add("mnist PtrDepth 1000", ["PtrDepth", "1190"], Write("cfg.json", """{"PtrDepth": 1000}"""), [.. mnist, "--config", "{d}/cfg.json"]);
        Add("mnist --rtl-images 0", ["--rtl-images", "got 0"], null, [.. mnist, "--rtl", "--rtl-images", "0"]);
        Add("mnist --rtl-images 10001", ["--rtl-images", "10001"], null, [.. mnist, "--rtl", "--rtl-images", "10001"]);
        Add("mnist --rtl-images without --rtl", ["--rtl-images", "needs --rtl"], null, [.. mnist, "--rtl-images", "5"]);
        Add("mnist --rtl 128-bit spmat words", ["SpmatWordBits must be at most 64 for mnist --rtl"], Write("cfg.json", """{"SpmatWordBits": 128}"""),
            [.. mnist, "--rtl", "--config", "{d}/cfg.json"]);
        Add("mnist --board unknown", ["--board", "nosuch"], null, [.. mnist, "--board", "nosuch"]);
        // Both bauds follow the iCEBreaker's clock: a baud the clock could take would start a
        // whole training and board run instead of a refusal.
        long boardHz = EieHdl.Hardware.Board.IceBreaker.ClockHz;
        string tooFast = (boardHz / 2).ToString(CultureInfo.InvariantCulture);
        string offDivisor = (boardHz * 2 / 25).ToString(CultureInfo.InvariantCulture);
        Add("mnist --board --baud too fast", ["--baud", tooFast], null, [.. mnist, "--board", "icebreaker", "--baud", tooFast]);
        Add("mnist --board --baud off the divisor", ["--baud", offDivisor], null, [.. mnist, "--board", "icebreaker", "--baud", offDivisor]);
        Add("mnist --board --rtl-images 0", ["--rtl-images", "got 0"], null, [.. mnist, "--board", "icebreaker", "--rtl-images", "0"]);
        Add("mnist --baud without --board", ["--baud", "needs --board"], null, [.. mnist, "--baud", "1000000"]);
        Add("mnist --no-rlc without --board", ["--no-rlc", "needs --board"], null, [.. mnist, "--no-rlc"]);
        Add("mnist --board 128-bit spmat words", ["SpmatWordBits must be at most 64 for mnist --board"], Write("cfg.json", """{"SpmatWordBits": 128}"""),
            [.. mnist, "--board", "icebreaker", "--config", "{d}/cfg.json"]);
        Add("mnist config missing", ["nope.json", "not found"], null, [.. mnist, "--config", "{d}/nope.json"]);
        Add("mnist unknown option", ["--epochs"], null, [.. mnist, "--epochs", "3"]);
        return cases;
    }
}
