using System.Diagnostics;

namespace PromptIntern.Evaluation.Latency;

/// <summary>What a generator may report about one call: time to process the prompt (prefill), time to produce the
/// output (decode) and the number of output tokens. The meter always measures the total wall time itself.</summary>
public sealed record PhaseTiming(TimeSpan Prefill, TimeSpan Decode, int OutputTokens = 0);

/// <summary>Per-query latency: total wall time, plus prefill and decode when every timed call reported them.</summary>
public sealed record LatencyReport(LatencyStats Total, LatencyStats? Prefill, LatencyStats? Decode, double? DecodeTokensPerSecond, int WarmupCalls);

/// <summary>Batched throughput over a data set: items per second over all batches, and the time per batch.</summary>
public sealed record ThroughputReport(int Items, int BatchSize, double Seconds, double ItemsPerSecond, LatencyStats PerBatch, int WarmupCalls);

/// <summary>Measures inference latency of any generator, given as a delegate (so it does not depend on a model type):
/// warm-up calls first (not timed), then one timed call per query. Money is priced elsewhere: token counts go to
/// <c>PromptIntern.Evaluation.Cost.CostModel</c>, and an experiment reports both side by side.</summary>
public sealed class LatencyMeter(int warmupCalls = 2)
{
    public int WarmupCalls { get; } = warmupCalls >= 0 ? warmupCalls : throw new ArgumentOutOfRangeException(nameof(warmupCalls));

    /// <summary>Times <paramref name="run"/> once per query; it may return the generator's prefill/decode split or null.</summary>
    public LatencyReport PerQuery<T>(IReadOnlyList<T> queries, Func<T, PhaseTiming?> run)
    {
        if (queries.Count == 0) throw new ArgumentException("no queries to time", nameof(queries));
        for (int i = 0; i < WarmupCalls; i++) run(queries[i % queries.Count]);
        var totals = new List<double>();
        var phases = new List<PhaseTiming>();
        foreach (var q in queries)
        {
            long start = Stopwatch.GetTimestamp();
            var phase = run(q);
            totals.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (phase != null) phases.Add(phase);
        }
        bool split = phases.Count == queries.Count;
        double decodeSeconds = phases.Sum(p => p.Decode.TotalSeconds);
        int tokens = phases.Sum(p => p.OutputTokens);
        return new LatencyReport(LatencyStats.From(totals),
            split ? LatencyStats.From(phases.Select(p => p.Prefill.TotalMilliseconds)) : null,
            split ? LatencyStats.From(phases.Select(p => p.Decode.TotalMilliseconds)) : null,
            split && tokens > 0 && decodeSeconds > 0 ? tokens / decodeSeconds : null,
            WarmupCalls);
    }

    /// <summary>Times a query with no phase report.</summary>
    public LatencyReport PerQuery<T>(IReadOnlyList<T> queries, Action<T> run) => PerQuery(queries, q => { run(q); return null; });

    /// <summary>Runs the data set in batches of <paramref name="batchSize"/> (after warm-up batches) and reports items/s.</summary>
    public ThroughputReport Throughput<T>(IReadOnlyList<T> items, int batchSize, Action<IReadOnlyList<T>> runBatch)
    {
        if (items.Count == 0) throw new ArgumentException("no items to time", nameof(items));
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize));
        var batches = items.Chunk(batchSize).Select(b => (IReadOnlyList<T>)b).ToList();
        for (int i = 0; i < WarmupCalls; i++) runBatch(batches[i % batches.Count]);
        var perBatch = new List<double>();
        long start = Stopwatch.GetTimestamp();
        foreach (var b in batches)
        {
            long t0 = Stopwatch.GetTimestamp();
            runBatch(b);
            perBatch.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new ThroughputReport(items.Count, batchSize, seconds, items.Count / seconds, LatencyStats.From(perBatch), WarmupCalls);
    }
}
