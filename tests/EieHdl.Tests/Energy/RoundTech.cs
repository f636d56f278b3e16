using System.Text.Json.Nodes;
using EieHdl.Config;
using EieHdl.Energy;

namespace EieHdl.Tests.Energy;

/// <summary>
/// A technology with round numbers, so energies and areas can be worked out by hand: adders
/// cost 0.01 pJ and 10 µm² per bit, an n x n multiplier 0.001 n² pJ and n² µm², a register
/// bit 10 µm², 1 pJ to write, 0.5 pJ to read, 1 µW leakage and 1 pJ per clock edge; SRAM
/// figures double along each axis step of the 2 x 2 grid.
/// </summary>
internal static class RoundTech
{
    public static JsonObject Json() => JsonNode.Parse("""
    {
      "process": "round", "description": "hand-computable numbers",
      "intAddEnergy": { "unit": "pJ", "points": [[1, 0.01], [64, 0.64]], "source": "test" },
      "intAddArea": { "unit": "um2", "points": [[1, 10], [64, 640]], "source": "test" },
      "intMultiplyEnergy": { "unit": "pJ", "points": [[1, 0.001], [64, 4.096]], "source": "test" },
      "intMultiplyArea": { "unit": "um2", "points": [[1, 1], [64, 4096]], "source": "test" },
      "floatAdd32Energy": { "unit": "pJ", "value": 1, "source": "test" },
      "floatMultiply32Energy": { "unit": "pJ", "value": 2, "source": "test" },
      "floatAdd32Area": { "unit": "um2", "value": 100, "source": "test" },
      "floatMultiply32Area": { "unit": "um2", "value": 200, "source": "test" },
      "dramEnergyPer64Bits": { "unit": "pJ", "value": 64, "source": "test" },
      "registerBitArea": { "unit": "um2", "value": 10, "source": "test" },
      "registerBitWriteEnergy": { "unit": "fJ", "value": 1000, "source": "test" },
      "registerBitReadEnergy": { "unit": "fJ", "value": 500, "source": "test" },
      "registerBitLeakage": { "unit": "nW", "value": 1000, "source": "test" },
      "flipFlopClockEnergy": { "unit": "fJ", "value": 1000, "source": "test" },
      "logicLeakageDensity": { "unit": "mW/mm2", "value": 1, "source": "test" },
      "wireEnergy": { "unit": "fJ/bit/mm", "value": 1000, "source": "test" },
      "sram": {
        "source": "test",
        "widths": [8, 64], "depths": [16, 1024],
        "readEnergy": { "unit": "pJ", "values": [[1, 8], [8, 64]] },
        "writeEnergy": { "unit": "pJ", "values": [[2, 16], [16, 128]] },
        "leakage": { "unit": "mW", "values": [[0.1, 0.8], [0.8, 6.4]] },
        "area": { "unit": "mm2", "values": [[0.01, 0.08], [0.08, 0.64]] }
      }
    }
    """)!.AsObject();

    public static TechModel Model() => TechModel.Parse(Json().ToJsonString(), "round.json");

    /// <summary>
    /// One PE whose SRAMs sit exactly on grid points: spmat 64 x 1024, each pointer bank
    /// 8 x 16 (PtrDepth 32), act SRAM 8 x 16, the CCU's codebook 8 x 16 (one layer).
    /// </summary>
    public static EieConfig OnePe() => new EieConfig
    {
        Pes = 1, ActWidth = 8, ActFracBits = 4, WeightWidth = 8, WeightFracBits = 4, AccWidth = 16,
        CodebookSize = 16, ActQueueDepth = 4, SpmatWordBits = 64, SpmatDepth = 1024,
        PtrWidth = 8, PtrDepth = 32, ActRegEntries = 4, ActSramDepth = 16, LnzdFanIn = 4, MaxLayers = 1,
    }.Validate();
}
