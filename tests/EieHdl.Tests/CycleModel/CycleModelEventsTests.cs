using EieHdl.Config;
using EieHdl.CycleModel;
using EieHdl.Golden;
using EieHdl.Hardware;
using EieHdl.Workloads;

namespace EieHdl.Tests.CycleModel;

/// <summary>
/// The units' event counts, per layer, against what the model image and the layer's inputs
/// imply: every non-zero act is offered, granted by every LNZD level and broadcast into every
/// act queue, popped and looked up in the ptr banks; every entry is a codebook read and a MAC;
/// the spmat words read are those the broadcast columns span; every input is read and every
/// output written once.
/// </summary>
public class CycleModelEventsTests
{
    public static TheoryData<int, int, int, int> Configs => new()
    {
        // PEs, LNZD fan-in, act queue depth, spmat word bits (8-bit entries)
        { 4, 4, 8, 64 },
        { 3, 2, 1, 16 },
        { 8, 4, 2, 8 },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void EventsMatchTheWorkTheImageAndInputsImply(int pes, int fanIn, int queueDepth, int wordBits)
    {
        var config = new EieConfig { Pes = pes, LnzdFanIn = fanIn, ActQueueDepth = queueDepth, SpmatWordBits = wordBits };
        int lanes = SpmatReadParams.From(config).EntriesPerWord;
        int levels = LnzdTree.ShapeOf(pes, fanIn).Count;
        for (int seed = 1; seed <= 12; seed++)
        {
            var (image, input, label) = RandomCosimCase.Generate(config, (ulong)seed);
            var run = new EieCycleModel(image).Run(input);
            var layerRuns = new GoldenModel(image).RunChainLayers(input);
            for (int l = 0; l < image.Layers.Count; l++)
            {
                var placement = image.Layers[l];
                var acts = l == 0 ? input : layerRuns[l - 1].Outputs;
                var e = run.Layers[l].Events;
                string where = $"seed {seed} ({label}), layer {l}";
                var columns = Enumerable.Range(0, placement.Inputs).Where(j => acts[j] != 0).ToList();
                if (placement.HasBias) columns.Add(placement.Inputs);
                long words = 0;
                foreach (var pe in image.Pes)
                    foreach (int j in columns)
                    {
                        int start = pe.Pointers[placement.PtrBase + j], end = pe.Pointers[placement.PtrBase + j + 1];
                        if (end > start) words += (end - 1) / lanes - start / lanes + 1;
                    }
                long offers = columns.Count - (placement.HasBias ? 1 : 0);
                long entries = run.Layers[l].PeEntries.Sum();

                Assert.True(columns.Count == run.Layers[l].Broadcasts, where);
                Assert.True(offers == e.Offers, where);
                Assert.True(offers * levels == e.LnzdGrants, where);
                Assert.True(columns.Count * (long)pes == e.QueuePushes, where);
                Assert.True(e.QueuePushes == e.QueuePops, where);
                Assert.True(e.QueuePops == e.PtrReads, where);
                Assert.True(words == e.SpmatReads, $"{where}: spmat words {words}, counted {e.SpmatReads}");
                Assert.True(entries == e.Macs && entries == e.CodebookReads, where);
                Assert.True(placement.Inputs == e.ActReads, where);
                Assert.True(placement.Outputs == e.ActWrites, where);
                Assert.True(config.CodebookSize == e.CcuCodebookReads, where);
                Assert.True(config.CodebookSize * (long)pes == e.CodebookWrites, where);
            }
        }
    }
}
