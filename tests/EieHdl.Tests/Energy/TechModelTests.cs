using System.Text.Json.Nodes;
using EieHdl.Energy;

namespace EieHdl.Tests.Energy;

public sealed class TechModelTests
{
    private static string ErrorOf(JsonObject json) =>
        Assert.Throws<EieInputException>(() => TechModel.Parse(json.ToJsonString(), "t.json")).Message;

    [Fact]
    public void ShippedTechnologyLoadsWithASourceForEveryFigure()
    {
        var tech = TechModel.Load(TechModel.DefaultPath());
        Assert.Equal("45 nm CMOS", tech.Process);
        // 17 figures, and the opt-in calibration's own source.
        Assert.Equal(18, tech.Sources.Count);
        Assert.NotNull(tech.Calibration);
        Assert.All(tech.Sources.Values, s => Assert.False(string.IsNullOrWhiteSpace(s)));
        Assert.Equal([16, 32, 64, 128, 256, 512], tech.Sram.Widths);
    }

    [Fact]
    public void EveryShippedTechnologyFileLoads()
    {
        string dir = Path.GetDirectoryName(TechModel.DefaultPath())!;
        var files = Directory.GetFiles(dir, "*.json");
        Assert.Contains(files, f => Path.GetFileName(f) == "45nm-lop.json");
        foreach (string file in files)
        {
            var tech = TechModel.Load(file);
            Assert.Equal(tech.Calibration is null ? 17 : 18, tech.Sources.Count);
        }
    }

    [Fact]
    public void RoundTechnologyReadsBackItsNumbers()
    {
        var tech = RoundTech.Model();
        Assert.Equal(0.16, tech.IntAddEnergyPj.At(16), 12);
        Assert.Equal(0.256, tech.IntMultiplyEnergyPj.At(16), 12);
        Assert.Equal(64, tech.DramEnergyPer64BitsPj);
        var spmat = tech.Sram.Estimate(64, 1024);
        Assert.Equal(64, spmat.ReadEnergyPj, 9);
        Assert.Equal(128, spmat.WriteEnergyPj, 9);
        Assert.Equal(6.4, spmat.LeakageMw, 9);
        Assert.Equal(0.64, spmat.AreaMm2, 9);
    }

    [Fact]
    public void CalibrationIsOptionalAndChecked()
    {
        Assert.Null(RoundTech.Model().Calibration);
        var json = RoundTech.Json();
        json["calibration"] = JsonNode.Parse("""{ "sram": 0.5, "logic": 2, "clock": 1.25, "source": "hand" }""");
        var tech = TechModel.Parse(json.ToJsonString(), "t.json");
        Assert.Equal(new CalibrationFactors(0.5, 2, 1.25, "hand"), tech.Calibration);
        Assert.Equal("hand", tech.Sources["calibration"]);

        json["calibration"]!["clock"] = 0;
        Assert.Equal("t.json: calibration.clock must be a finite number > 0, got the number 0", ErrorOf(json));
        json["calibration"]!["clock"] = 1;
        json["calibration"]!["leakage"] = 1;
        Assert.Equal("t.json: unknown field 'calibration.leakage'; known fields: sram, logic, clock, source", ErrorOf(json));
        json["calibration"] = JsonNode.Parse("""{ "sram": 1, "logic": 1, "clock": 1 }""");
        Assert.Equal("t.json: missing field 'calibration.source'", ErrorOf(json));
        json["calibration"] = 3;
        Assert.Equal("t.json: calibration must be an object with sram, logic, clock and source, got the number 3", ErrorOf(json));
    }

    [Fact]
    public void WrongUnitNamesTheFieldAndBothUnits()
    {
        var json = RoundTech.Json();
        json["intAddEnergy"]!["unit"] = "nJ";
        Assert.Equal("t.json: intAddEnergy.unit must be \"pJ\", got \"nJ\"", ErrorOf(json));
    }

    [Fact]
    public void MissingAndUnknownFieldsAreNamed()
    {
        var json = RoundTech.Json();
        json.Remove("wireEnergy");
        Assert.Equal("t.json: missing field 'wireEnergy'", ErrorOf(json));

        json = RoundTech.Json();
        json["wireEnergie"] = 1;
        Assert.StartsWith("t.json: unknown field 'wireEnergie'; known fields: process, description, intAddEnergy,", ErrorOf(json));

        json = RoundTech.Json();
        json["registerBitArea"]!["note"] = "x";
        Assert.Equal("t.json: unknown field 'registerBitArea.note'; known fields: unit, value, source", ErrorOf(json));

        json = RoundTech.Json();
        json["sram"]!.AsObject().Remove("leakage");
        Assert.Equal("t.json: missing field 'sram.leakage'", ErrorOf(json));
    }

    [Fact]
    public void ValuesMustBePositiveNumbers()
    {
        var json = RoundTech.Json();
        json["registerBitLeakage"]!["value"] = -1;
        Assert.Equal("t.json: registerBitLeakage.value must be a finite number > 0, got the number -1", ErrorOf(json));

        json = RoundTech.Json();
        json["registerBitLeakage"]!["value"] = "74";
        Assert.Equal("t.json: registerBitLeakage.value must be a number, got the string \"74\"", ErrorOf(json));

        json = RoundTech.Json();
        json["dramEnergyPer64Bits"]!["source"] = " ";
        Assert.Equal("t.json: dramEnergyPer64Bits.source must be a non-empty string, got the string \" \"", ErrorOf(json));
    }

    [Fact]
    public void CurvePointsMustIncreaseInWidth()
    {
        var json = RoundTech.Json();
        json["intAddArea"]!["points"] = JsonNode.Parse("[[16, 67], [8, 36]]");
        Assert.Equal("t.json: intAddArea.points[1][0] must be greater than the previous width 16, got 8", ErrorOf(json));

        json = RoundTech.Json();
        json["intAddArea"]!["points"] = JsonNode.Parse("[[16, 67]]");
        Assert.Equal("t.json: intAddArea.points must be an array of at least 2 [bits, value] pairs, got an array [[16,67]]", ErrorOf(json));
    }

    [Fact]
    public void SramGridMustBeCompleteAndNonDecreasing()
    {
        var json = RoundTech.Json();
        json["sram"]!["area"]!["values"] = JsonNode.Parse("[[0.01, 0.08], [0.08, 0.05]]");
        Assert.Equal("t.json: sram.area.values[1][1] must be >= the value at the smaller depth 16 (0.08), got 0.05", ErrorOf(json));

        json = RoundTech.Json();
        json["sram"]!["readEnergy"]!["values"] = JsonNode.Parse("[[1, 8], [0.5, 64]]");
        Assert.Equal("t.json: sram.readEnergy.values[1][0] must be >= the value at the narrower width 8 (1), got 0.5", ErrorOf(json));

        json = RoundTech.Json();
        json["sram"]!["leakage"]!["values"] = JsonNode.Parse("[[0.1, 0.8]]");
        Assert.Equal("t.json: sram.leakage.values must be an array of 2 rows (one per width), got an array [[0.1,0.8]]", ErrorOf(json));

        json = RoundTech.Json();
        json["sram"]!["depths"] = JsonNode.Parse("[1024, 16]");
        Assert.Equal("t.json: sram.depths[1] must be greater than the previous entry 1024, got 16", ErrorOf(json));

        json = RoundTech.Json();
        json["sram"]!["writeEnergy"]!["unit"] = "nJ";
        Assert.Equal("t.json: sram.writeEnergy.unit must be \"pJ\", got \"nJ\"", ErrorOf(json));
    }

    [Fact]
    public void BrokenJsonAndMissingFilesAreOneLine()
    {
        string msg = Assert.Throws<EieInputException>(() => TechModel.Parse("{ \"process\": ", "t.json")).Message;
        Assert.StartsWith("t.json: malformed JSON at line 1, position", msg);
        Assert.DoesNotContain('\n', msg);

        Assert.Equal("t.json: top level must be a JSON object, got an array []",
            Assert.Throws<EieInputException>(() => TechModel.Parse("[]", "t.json")).Message);

        string missing = Path.Combine(Path.GetTempPath(), "no-such-dir-energy", "tech.json");
        Assert.Equal($"{missing}: file not found (no such directory)",
            Assert.Throws<EieInputException>(() => TechModel.Load(missing)).Message);
    }
}
