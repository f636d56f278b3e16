using EieHdl.Hardware;

namespace EieHdl.Tests.Hardware;

/// <summary>A column as the ptr read unit hands it over: entry addresses [Start, End) and its act.</summary>
internal readonly record struct SpmatColumn(long Start, long End, uint Act)
{
    public long Entries => End - Start;
}

/// <summary>One entry leaving the unit, with the cycle it left in.</summary>
internal readonly record struct SpmatEmitted(int Cycle, int V, int Z, bool First, uint Act);

/// <summary>
/// Drives a <see cref="SpmatRead"/> model with a stream of columns under valid/ready: a column,
/// once offered, stays offered until taken; <c>offer</c> says in which cycles a new column may
/// be put up. Records every emitted entry, when each column was taken, and busy per cycle.
/// </summary>
internal sealed class SpmatReadDriver(SpmatRead unit)
{
    public List<SpmatEmitted> Emitted { get; } = [];

    public List<int> Taken { get; } = [];

    public List<bool> Busy { get; } = [];

    public int Cycle { get; private set; }

    /// <summary>
    /// Runs until every column is taken and the unit is idle again; returns the cycles stepped
    /// (the last one being the first idle cycle).
    /// </summary>
    public int Run(IReadOnlyList<SpmatColumn> columns, Func<int, bool>? offer = null, int limit = 1_000_000)
    {
        int next = 0;
        bool offered = false;
        int begin = Cycle;
        while (true)
        {
            if (!offered && next < columns.Count && (offer?.Invoke(Cycle) ?? true)) offered = true;
            var c = offered ? columns[next] : default;
            var o = unit.Step(new SpmatReadInputs(offered, c.Start, c.End, c.Act));
            Busy.Add(o.Busy);
            if (o.OutValid) Emitted.Add(new SpmatEmitted(Cycle, o.OutV, o.OutZ, o.OutFirst, o.OutAct));
            if (offered && o.ColReady)
            {
                Taken.Add(Cycle);
                offered = false;
                next++;
            }
            bool takenNow = Taken.Count > 0 && Taken[^1] == Cycle;
            Cycle++;
            // busy_o is high in the cycle after a non-empty column is taken, so a low busy_o
            // with every column taken in earlier cycles means the unit is done.
            if (next == columns.Count && !o.Busy && !takenNow) return Cycle - begin;
            if (Cycle - begin > limit) throw new InvalidOperationException("the unit did not finish");
        }
    }

    /// <summary>The entries the columns should produce, in order, from the loaded entry list.</summary>
    public static List<(int V, int Z, bool First, uint Act)> Expected(
        SpmatReadParams p, IReadOnlyList<int> entries, IEnumerable<SpmatColumn> columns) =>
        columns.SelectMany(c => Enumerable.Range(0, (int)c.Entries).Select(i =>
        {
            int e = entries[(int)c.Start + i];
            return (e & ((1 << p.IndexBits) - 1), e >> p.IndexBits, i == 0, c.Act);
        })).ToList();
}
