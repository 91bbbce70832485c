using System.Diagnostics;

namespace PromptIntern.Evaluation.Latency;

/// <summary>One measured point of a sweep: the item and its wall-time statistics.</summary>
public sealed record LatencyPoint<T>(T Item, LatencyStats Stats);

/// <summary>Times several inputs (e.g. prompts of increasing length) against each other: every item is warmed up first,
/// then the repetitions run in interleaved rounds (item 1, 2, …, n, then again), so a slow spell on a shared machine
/// spreads over all items instead of inflating one of them.</summary>
public static class LatencySweep
{
    public static IReadOnlyList<LatencyPoint<T>> Measure<T>(IReadOnlyList<T> items, int repetitions, Action<T> run, int warmupCallsPerItem = 1)
    {
        if (items.Count == 0) throw new ArgumentException("no items to time", nameof(items));
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupCallsPerItem);
        for (int w = 0; w < warmupCallsPerItem; w++)
            foreach (var item in items) run(item);
        var samples = items.Select(_ => new List<double>(repetitions)).ToArray();
        for (int r = 0; r < repetitions; r++)
            for (int i = 0; i < items.Count; i++)
            {
                long start = Stopwatch.GetTimestamp();
                run(items[i]);
                samples[i].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        return items.Select((item, i) => new LatencyPoint<T>(item, LatencyStats.From(samples[i]))).ToList();
    }
}
