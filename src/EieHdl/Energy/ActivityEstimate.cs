using EieHdl.Config;

namespace EieHdl.Energy;

/// <summary>
/// Event counts estimated from a layer's published statistics (shape, weight density, act
/// density, cycles) rather than counted by a run: a stand-in for comparing with papers, which
/// report statistics, not counts. Padding entries and load imbalance are left out; columns'
/// entries are spread evenly over the PEs and start at a random offset in a spmat word.
/// </summary>
public static class ActivityEstimate
{
    public static UnitActivity FromStatistics(
        EieConfig config, DenseLayer layer, double weightDensity, double actDensity, long cycles)
    {
        if (!(weightDensity is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(weightDensity), weightDensity, "must be in (0, 1]");
        if (!(actDensity is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(actDensity), actDensity, "must be in (0, 1]");
        int pes = config.Pes;
        double broadcasts = layer.Inputs * actDensity;
        double entries = (double)layer.Inputs * layer.Outputs * weightDensity * actDensity;
        // A PE's share of one column is n entries; starting at a uniformly random slot of a word,
        // they touch (n + EntriesPerWord - 1) / EntriesPerWord words on average.
        double perColumn = (double)layer.Outputs / pes * weightDensity;
        double wordsPerColumn = perColumn == 0 ? 0 : (perColumn + config.EntriesPerWord - 1) / config.EntriesPerWord;
        long Round(double x) => (long)Math.Round(x, MidpointRounding.AwayFromZero);
        long e = Round(entries), perPeBroadcasts = Round(broadcasts * pes);
        return new UnitActivity
        {
            Cycles = cycles,
            SpmatWordReads = Round(broadcasts * pes * wordsPerColumn),
            SpmatEntryReads = e,
            PtrEvenReads = perPeBroadcasts,
            PtrOddReads = perPeBroadcasts,
            CodebookReads = e,
            Multiplies = e,
            Adds = e,
            AddressAdds = e,
            AccumulatorReads = e,
            AccumulatorWrites = e,
            // Each input act is read once by the LNZD scan of its PE; each output is written once.
            ActSramReads = layer.Inputs,
            ActSramWrites = layer.Outputs,
            ActQueuePushes = perPeBroadcasts,
            ActQueuePops = perPeBroadcasts,
            LnzdNodeEvaluations = Round(broadcasts) * EnergyModel.TreeNodes(pes, config.LnzdFanIn),
            Broadcasts = Round(broadcasts),
        };
    }
}
