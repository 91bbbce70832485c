using System.Text.Json.Serialization;

namespace PromptIntern.Experiments;

/// <summary>.NET garbage collection over the timed b=1 latency calls: whether the heap was settled first, how many
/// collections of each generation ran, and how long the runtime was paused for them.</summary>
public sealed record LatencyGc
{
    [JsonPropertyName("settled")] public bool Settled { get; init; }
    [JsonPropertyName("gen0")] public int Gen0 { get; init; }
    [JsonPropertyName("gen1")] public int Gen1 { get; init; }
    [JsonPropertyName("gen2")] public int Gen2 { get; init; }
    [JsonPropertyName("pause_ms")] public double PauseMs { get; init; }

    /// <summary>The process's running totals (subtract two of them for an interval).</summary>
    public static LatencyGc Now(bool settled) => new()
    {
        Settled = settled, Gen0 = GC.CollectionCount(0), Gen1 = GC.CollectionCount(1), Gen2 = GC.CollectionCount(2),
        PauseMs = GC.GetTotalPauseDuration().TotalMilliseconds,
    };

    public static LatencyGc operator -(LatencyGc after, LatencyGc before) => new()
    {
        Settled = after.Settled, Gen0 = after.Gen0 - before.Gen0, Gen1 = after.Gen1 - before.Gen1, Gen2 = after.Gen2 - before.Gen2,
        PauseMs = after.PauseMs - before.PauseMs,
    };
}
