using System.Diagnostics;

namespace EieHdl.Study;

/// <summary>
/// Runs independent work items on up to <c>jobs</c> threads and returns their results in the
/// items' order, whatever order they finished in: each item is a pure function of its input,
/// so the results are the same for any number of jobs. Items are started largest first (by
/// the caller's cost estimate) so one long item does not run alone at the end. Each finished
/// item is reported to the log with a running count and the elapsed time.
/// </summary>
public static class SweepRunner
{
    public static TResult[] Run<TItem, TResult>(
        string stage, IReadOnlyList<TItem> items, Func<TItem, TResult> work, int jobs,
        Action<string> log, Func<TItem, double>? cost = null, Func<TItem, string>? label = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        var results = new TResult[items.Count];
        var order = Enumerable.Range(0, items.Count)
            .OrderByDescending(k => cost?.Invoke(items[k]) ?? 0).ThenBy(k => k).ToArray();
        int done = 0;
        var clock = Stopwatch.StartNew();
        try
        {
            Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = jobs }, k =>
            {
                results[k] = work(items[k]);
                int finished = Interlocked.Increment(ref done);
                log($"{stage} {finished}/{items.Count}{(label is null ? "" : " " + label(items[k]))} ({clock.Elapsed.TotalSeconds:F1} s)");
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // An item's own exception (a bad input is one line for the user), not the wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return results;
    }
}
