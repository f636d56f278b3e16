using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.Golden;
using EieHdl.Tests.Simulation;

namespace EieHdl.Tests.Sim;

/// <summary>
/// The one small case every Sim test uses, so that the RTL (and its cached Verilator build) is
/// shared: 2 PEs, small memories, two chained layers with bias (ReLU, then none).
/// </summary>
internal static class SimCase
{
    /// <summary>The config as JSON (the fields that differ from the defaults), for `compress --config`.</summary>
    public const string ConfigJson = """
        { "Pes": 2, "PtrDepth": 128, "SpmatDepth": 128, "ActSramDepth": 64, "ActRegEntries": 16, "MaxLayers": 2 }
        """;

    public static EieConfig Config { get; } = new EieConfig
    {
        Pes = 2, PtrDepth = 128, SpmatDepth = 128, ActSramDepth = 64, ActRegEntries = 16, MaxLayers = 2,
    }.Validate();

    public const int Inputs = 19, Hidden = 13, Outputs = 9;

    public static readonly Lazy<(ModelImage Image, int[] Input, int[] Expected)> Case = new(Build);

    private static (ModelImage, int[], int[]) Build()
    {
        var random = new Random(5);
        var l0 = RandomModels.Layer(Config, random, "fc0", Inputs, Hidden, 0.5, relu: true);
        var l1 = RandomModels.Layer(Config, random, "fc1", Hidden, Outputs, 0.7, relu: false);
        var image = ModelImage.Build(Config, [l0, l1]);
        var fp = new FixedPoint(Config);
        var input = Enumerable.Range(0, Inputs).Select(j => j % 4 == 1 ? 0 : fp.QuantizeActivation(random.NextDouble() * 2)).ToArray();
        var expected = new GoldenModel(image).RunChain(input);
        return (image, input, expected);
    }
}
