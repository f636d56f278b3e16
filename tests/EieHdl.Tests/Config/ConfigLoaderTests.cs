using EieHdl.Config;

namespace EieHdl.Tests.Config;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cfgtests").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Json(string text, string name = "cfg.json")
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string ErrorOf(Func<object> load) => Assert.Throws<EieInputException>(load).Message;

    [Fact]
    public void EmptyObjectGivesTheRecordDefaults()
    {
        Assert.Equal(new EieConfig(), ConfigLoader.Load(Json("{}")));
        Assert.Equal(new EieConfig(), ConfigLoader.Load(null, null));
    }

    [Fact]
    public void FieldsAreCaseInsensitiveAndOthersKeepDefaults()
    {
        var config = ConfigLoader.Load(Json("""{ "pes": 4, "ACTWIDTH": 12, /* hand edits */ "ActFracBits": 6, }"""));
        Assert.Equal(new EieConfig { Pes = 4, ActWidth = 12, ActFracBits = 6 }, config);
    }

    [Fact]
    public void OverridesWinOverTheFileAndTheDefaults()
    {
        string path = Json("""{ "Pes": 4, "ActQueueDepth": 4 }""");
        var config = ConfigLoader.Load(path, new Dictionary<string, int> { ["pes"] = 8, ["LnzdFanIn"] = 2 });
        Assert.Equal(new EieConfig { Pes = 8, ActQueueDepth = 4, LnzdFanIn = 2 }, config);
        Assert.Equal(new EieConfig { Pes = 2 }, ConfigLoader.Load(null, new Dictionary<string, int> { ["Pes"] = 2 }));
    }

    [Fact]
    public void OverrideCanRepairAFileValueThatIsOnlyInvalidTogether()
    {
        // The default CodebookSize 16 needs IndexBits >= 4; validation must see the final combination.
        string path = Json("""{ "IndexBits": 3, "RunBits": 5 }""");
        Assert.Contains("CodebookSize", ErrorOf(() => ConfigLoader.Load(path)));
        Assert.Equal(8, ConfigLoader.Load(path, new Dictionary<string, int> { ["CodebookSize"] = 8 }).CodebookSize);
    }

    [Fact]
    public void UnknownFieldListsTheKnownOnes()
    {
        string path = Json("""{ "Pez": 4 }""");
        string msg = ErrorOf(() => ConfigLoader.Load(path));
        Assert.StartsWith($"{path}: unknown field 'Pez'; known fields: Pes, ActWidth, ActFracBits,", msg);
        Assert.EndsWith("MaxLayers, HostBus, AccStorage", msg);
        Assert.DoesNotContain("EntryBits", msg);
    }

    [Fact]
    public void AccStorageIsANameNotANumber()
    {
        Assert.Equal(AccStorage.Ram, new EieConfig().AccStorage);
        Assert.Equal(AccStorage.Flops, ConfigLoader.Load(Json("""{ "AccStorage": "flops" }""")).AccStorage);
        Assert.Equal(AccStorage.Ram, ConfigLoader.Load(null, null, ["AccStorage=RAM"]).AccStorage);
        Assert.Contains("\"AccStorage\": \"flops\"", ConfigLoader.ToJson(new EieConfig { AccStorage = AccStorage.Flops }));
        string path = Json("""{ "AccStorage": 1 }""");
        Assert.Equal($"{path}: AccStorage must be one of ram, flops, got the number 1", ErrorOf(() => ConfigLoader.Load(path)));
        Assert.Equal("--set: AccStorage must be one of ram, flops, got 'sram'",
            ErrorOf(() => ConfigLoader.Load(null, null, ["AccStorage=sram"])));
        Assert.Equal("config: AccStorage must be one of ram, flops, got 7", ErrorOf(() => new EieConfig { AccStorage = (AccStorage)7 }.Validate()));
    }

    [Fact]
    public void HostBusIsANameNotANumber()
    {
        Assert.Equal(HostBus.Simple, new EieConfig().HostBus);
        Assert.Equal(HostBus.AxiLite, ConfigLoader.Load(Json("""{ "HostBus": "axi4lite" }""")).HostBus);
        Assert.Equal(HostBus.AxiLite, ConfigLoader.Load(null, null, ["HostBus=AXI4LITE"]).HostBus);
        Assert.Contains("\"HostBus\": \"simple\"", ConfigLoader.ToJson(new EieConfig()));
        Assert.Contains("\"HostBus\": \"axi4lite\"", ConfigLoader.ToJson(new EieConfig { HostBus = HostBus.AxiLite }));
        Assert.Equal(new EieConfig { HostBus = HostBus.AxiLite }, ConfigLoader.Load(Json(ConfigLoader.ToJson(new EieConfig { HostBus = HostBus.AxiLite }))));
        string path = Json("""{ "HostBus": 1 }""");
        Assert.Equal($"{path}: HostBus must be one of simple, axi4lite, got the number 1", ErrorOf(() => ConfigLoader.Load(path)));
        Assert.Equal("--set: HostBus must be one of simple, axi4lite, got 'axi'", ErrorOf(() => ConfigLoader.Load(null, null, ["HostBus=axi"])));
        Assert.Equal("config: HostBus must be one of simple, axi4lite, got 2", ErrorOf(() => new EieConfig { HostBus = (HostBus)2 }.Validate()));
    }

    [Theory]
    [InlineData("HostBus", "simple, axi4lite", "axi_lite")]
    [InlineData("HostBus", "simple, axi4lite", "AxiLite")]
    [InlineData("AccStorage", "ram, flops", "ram, flops")]
    [InlineData("AccStorage", "ram, flops", " ram")]
    [InlineData("AccStorage", "ram, flops", "1")]
    public void AnEnumFieldTakesExactlyOneOfItsNames(string field, string names, string value)
    {
        // A list, a number or a blank would each be read as some value by a lenient enum parser.
        string path = Json($$"""{ "{{field}}": "{{value}}" }""");
        Assert.Equal($"{path}: {field} must be one of {names}, got '{value}'", ErrorOf(() => ConfigLoader.Load(path)));
    }

    [Fact]
    public void UnknownOverrideIsRefused()
    {
        string msg = ErrorOf(() => ConfigLoader.Load(null, new Dictionary<string, int> { ["EntryBits"] = 8 }));
        Assert.StartsWith("command line: unknown field 'EntryBits'; known fields: Pes,", msg);
    }

    [Theory]
    [InlineData("\"4\"", "a string \"4\"")]
    [InlineData("4.5", "the number 4.5")]
    [InlineData("true", "the boolean true")]
    [InlineData("null", "null")]
    [InlineData("[1, 2]", "an array [1, 2]")]
    [InlineData("3000000000", "the number 3000000000")]
    public void WrongTypeNamesTheFieldAndTheValue(string value, string got)
    {
        string path = Json($$"""{ "ActWidth": {{value}} }""");
        string msg = ErrorOf(() => ConfigLoader.Load(path));
        Assert.Equal($"{path}: field 'ActWidth' must be an integer in [-2147483648, 2147483647], got {got}", msg);
    }

    [Fact]
    public void OutOfRangeValueNamesFieldLimitAndValue()
    {
        string path = Json("""{ "Pes": 0 }""");
        string msg = ErrorOf(() => ConfigLoader.Load(path));
        Assert.Equal($"{path}: Pes must be in [1, 256], got 0", msg);
    }

    [Fact]
    public void OutOfRangeOverrideIsAttributedToTheOverride()
    {
        string path = Json("{}");
        string msg = ErrorOf(() => ConfigLoader.Load(path, new Dictionary<string, int> { ["Pes"] = 0 }));
        Assert.Equal($"{path} with overrides Pes=0: Pes must be in [1, 256], got 0", msg);
    }

    [Theory]
    [InlineData("{ \"Pes\": 4,\n  \"ActWidth\" 16 }", "line 2, position")]
    [InlineData("{ \"Pes\": }", "line 1, position 10")]
    [InlineData("", "line 1, position 1")]
    [InlineData("{ \"Pes\": 4 } extra", "line 1, position")]
    public void MalformedJsonGivesLineAndPositionOnOneLine(string text, string where)
    {
        string path = Json(text);
        string msg = ErrorOf(() => ConfigLoader.Load(path));
        Assert.StartsWith($"{path}: malformed JSON at {where}", msg);
        Assert.DoesNotContain('\n', msg);
        Assert.DoesNotContain("LineNumber", msg);
    }

    [Fact]
    public void TopLevelMustBeAnObject()
    {
        string path = Json("[]");
        Assert.Equal($"{path}: top level must be a JSON object, got an array", ErrorOf(() => ConfigLoader.Load(path)));
    }

    [Fact]
    public void DuplicateFieldIsRefused()
    {
        string path = Json("""{ "Pes": 4, "pes": 8 }""");
        Assert.Contains("field 'Pes' must appear once, got it again as 'pes'", ErrorOf(() => ConfigLoader.Load(path)));
    }

    [Fact]
    public void MissingFileIsReported()
    {
        string path = Path.Combine(_dir, "none.json");
        Assert.Equal($"{path}: file not found", ErrorOf(() => ConfigLoader.Load(path)));
    }

    [Fact]
    public void ToJsonHoldsOnlyConfigurationFieldsAndRoundTrips()
    {
        var config = new EieConfig { Pes = 8, AccWidth = 40, SpmatDepth = 4096 };
        string json = ConfigLoader.ToJson(config);
        Assert.StartsWith("{\n  \"Pes\": 8,\n  \"ActWidth\": 16,", json);
        Assert.DoesNotContain("EntryBits", json);
        Assert.DoesNotContain("MaxRun", json);
        Assert.DoesNotContain('\r', json);
        Assert.Equal(json, ConfigLoader.ToJson(config with { }));
        Assert.Equal(config, ConfigLoader.Load(Json(json)));
    }
}
