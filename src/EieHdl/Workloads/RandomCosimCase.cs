using EieHdl.Arithmetic;
using EieHdl.Config;
using EieHdl.Encoding;
using EieHdl.CycleModel;
using EieHdl.Flows;
using EieHdl.Golden;
using EieHdl.Simulation;

namespace EieHdl.Workloads;

/// <summary>
/// One random co-simulation case: a chain of 1 to MaxLayers layers that fits the config
/// (random sizes, densities, bias, ReLU, entirely empty columns, rows interleaved or dealt by
/// the row balancer) and an input with a random share of zeros. Everything is drawn from
/// <see cref="DeterministicRandom"/>, so a seed names the same case on every machine and
/// runtime: a failing case is replayed from its seed and config alone.
/// </summary>
/// <param name="Image">The model's memory image.</param>
/// <param name="Input">The input acts (fixed point).</param>
/// <param name="Label">Sizes, densities and options, for messages.</param>
public sealed record RandomCosimCase(ModelImage Image, int[] Input, string Label)
{
    /// <summary>The largest layer side drawn, so that a case runs in milliseconds even at 1 PE.</summary>
    public const int MaxSide = 90;

    public static RandomCosimCase Generate(EieConfig config, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        int n = config.Pes;
        // A model that does not fit (pointers, spmat entries or pointer width) is drawn again
        // smaller: tight memories must still get cases.
        for (int attempt = 0; ; attempt++)
        {
            int shrink = 1 + attempt / 5;
            int maxIn = Math.Max(1, Math.Min(config.ActHalfDepth * n, MaxSide) / shrink);
            int layerCount = 1 + random.NextInt(config.MaxLayers);
            // A layer may have more rows per PE than accumulators (output batches) when the
            // layer table has rows to spare; a chain whose batches overflow it is drawn again.
            long batchedOut = (long)config.ActRegEntries * n * (1 + config.MaxLayers - layerCount);
            int maxOut = (int)Math.Max(1, Math.Min(Math.Min(batchedOut, MaxSide), maxIn));
            var sizes = new int[layerCount + 1];
            sizes[0] = 1 + random.NextInt(maxIn);
            for (int l = 1; l <= layerCount; l++) sizes[l] = 1 + random.NextInt(maxOut);
            double[] densities = [0.02, 0.08, 0.2, 0.5, 1.0];
            // Narrow weight formats cannot hold 1.0: keep every k-means centroid inside the range.
            var fp = new FixedPoint(config);
            double weightScale = Math.Min(1.0, 0.9 * fp.WeightToDouble(fp.WeightMax));
            bool balance = random.NextInt(3) == 0;
            var labels = new List<string>();
            var sources = new List<LayerSource>();
            for (int l = 0; l < layerCount; l++)
            {
                int inputs = sizes[l], outputs = sizes[l + 1];
                double density = densities[random.NextInt(densities.Length)];
                bool bias = random.NextInt(2) == 0;
                bool relu = random.NextInt(3) != 0;
                var w = new double[inputs * outputs];
                // Some columns entirely zero (empty in every PE), the rest random.
                double emptyColumnShare = random.NextInt(3) == 0 ? 0.4 : 0;
                for (int c = 0; c < inputs; c++)
                {
                    bool empty = random.NextDouble() < emptyColumnShare;
                    for (int r = 0; r < outputs; r++)
                        w[r * inputs + c] = empty ? 0 : (random.NextDouble() - 0.5) * 2 * weightScale;
                }
                var b = bias ? Enumerable.Range(0, outputs).Select(_ => (random.NextDouble() - 0.5) * 0.5).ToArray() : null;
                sources.Add(new LayerSource($"fc{l}", w, outputs, inputs, b, density, relu));
                labels.Add($"{inputs}x{outputs}{(bias ? "+b" : "")}@{density}");
            }
            CompressedModel model;
            try { model = CompressedModel.Compress(config, sources, balance); }
            catch (EieInputException) when (attempt < 100) { continue; }
            double[] zeroShares = [0, 0.3, 0.8, 0.95, 1.0];
            double zeroShare = zeroShares[random.NextInt(zeroShares.Length)];
            var input = Enumerable.Range(0, sizes[0])
                .Select(_ => random.NextDouble() < zeroShare ? 0 : fp.QuantizeActivation((random.NextDouble() - 0.3) * 3))
                .ToArray();
            return new RandomCosimCase(model.Image, input,
                $"{string.Join(" -> ", labels)}{(balance ? ", balanced" : "")}, input zeros {zeroShare}");
        }
    }

    /// <summary>
    /// Runs the case through the RTL (front-door load), the golden model and the cycle model.
    /// Returns null when every bit of every output equals the golden model's, the RTL raised no
    /// error and its cycle counter equals the cycle model's; else what differs first.
    /// </summary>
    public string? Mismatch(EieTopSim sim, out long rtlCycles)
    {
        var golden = new GoldenModel(Image).RunChain(Input);
        var model = new EieCycleModel(Image).Run(Input);
        var rtl = sim.Run(Image, Input);
        rtlCycles = rtl.Cycles;
        var verdict = new Verdict(golden, rtl.Outputs, rtl.Cycles, model.Cycles, rtl.Error);
        if (verdict.ErrorFlag) return "the RTL raised error_o (a PE addressed a row past its accumulators)";
        if (rtl.Outputs.Length != golden.Length) return $"the RTL returned {rtl.Outputs.Length} outputs, the golden model {golden.Length}";
        int i = verdict.FirstMismatch;
        if (i >= 0) return $"output {i} (PE {i % Image.Config.Pes}): RTL {rtl.Outputs[i]}, golden {golden[i]}";
        if (!verdict.CyclesMatch) return $"RTL counted {rtl.Cycles} cycles, the cycle model {model.Cycles}";
        if (model.Outputs.Length != golden.Length || GoldenModel.FirstMismatch(golden, model.Outputs) >= 0)
            return "the cycle model's outputs differ from the golden model's";
        if (model.Layers.Sum(l => l.Cycles) != model.Cycles) return "the cycle model's layer cycles do not sum to its total";
        return null;
    }

    /// <summary>
    /// A random config that the verilated eie_top can run: 1 to 64 PEs (mostly few, as each
    /// config is one Verilator build), every arithmetic width, entry layout, queue depth,
    /// fan-in and memory depth drawn, memories small so that tight fits are common.
    /// Spmat words stay at 64 bits or less, the widest host bus the simulator drives.
    /// </summary>
    public static EieConfig RandomConfig(ulong seed)
    {
        var random = new DeterministicRandom(seed);
        int Pick(params int[] values) => values[random.NextInt(values.Length)];
        int Between(int lo, int hi) => lo + random.NextInt(hi - lo + 1);
        for (int attempt = 0; ; attempt++)
        {
            int actWidth = Between(4, 24), weightWidth = Between(4, 16);
            int weightFrac = Between(0, weightWidth - 1);
            int indexBits = Between(2, 6), runBits = Between(1, 6);
            int entryBits = indexBits + runBits;
            int maxLanesLog = (int)Math.Log2(64 / entryBits);
            int lanes = 1 << Between(0, maxLanesLog);
            int spmatDepth = Pick(64, 128, 256, 512, 1024, 4096);
            int entries = spmatDepth * lanes;
            int ptrNeeded = (int)Math.Ceiling(Math.Log2(entries + 1));
            var config = new EieConfig
            {
                Pes = Pick(1, 1, 2, 2, 3, 4, 4, 5, 6, 7, 8, 8, 11, 16, 32, 64),
                ActWidth = actWidth,
                ActFracBits = Between(0, actWidth - 2),
                WeightWidth = weightWidth,
                WeightFracBits = weightFrac,
                AccWidth = Between(actWidth, Math.Min(62, actWidth + weightWidth + 8)),
                ProductShift = Between(0, weightFrac),
                IndexBits = indexBits,
                RunBits = runBits,
                CodebookSize = Between(2, Math.Min(64, 1 << indexBits)),
                ActQueueDepth = Pick(1, 2, 3, 4, 8, 16),
                SpmatWordBits = entryBits * lanes,
                SpmatDepth = spmatDepth,
                PtrWidth = Math.Clamp(ptrNeeded + Between(-2, 2), (int)Math.Log2(lanes) + 1, 30),
                PtrDepth = Pick(16, 64, 200, 256, 1024),
                ActRegEntries = Pick(1, 2, 4, 16, 32, 64, 100),
                ActSramDepth = Pick(2, 4, 16, 64, 128, 256, 1000),
                LnzdFanIn = Between(2, 8),
                MaxLayers = Between(1, 6),
            };
            try { return config.Validate($"random config {seed}"); }
            catch (EieInputException) when (attempt < 100) { }
        }
    }
}
