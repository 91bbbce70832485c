using System.Text.Json.Serialization;

namespace PromptIntern.Experiments;

/// <summary>One experiment's measured outcome: accuracy metrics, input tokens, latency and cost of its inference layout.
/// Written as metrics.json; one row of the reproduce table.</summary>
public sealed record ExperimentResult
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("task")] public required string Task { get; init; }
    [JsonPropertyName("method")] public required string Method { get; init; }
    [JsonPropertyName("plan")] public required string Plan { get; init; }
    [JsonPropertyName("model")] public required string Model { get; init; }
    [JsonPropertyName("seed")] public int Seed { get; init; }
    [JsonPropertyName("preset")] public required string Preset { get; init; }
    [JsonPropertyName("inference_layout")] public required string InferenceLayout { get; init; }
    [JsonPropertyName("eval_file")] public required string EvalFile { get; init; }
    [JsonPropertyName("eval_rows")] public int EvalRows { get; init; }
    /// <summary>Task metrics named as the paper names them (BLEU, pass@1, EM, ...), on a 0–100 scale.</summary>
    [JsonPropertyName("metrics")] public required IReadOnlyDictionary<string, double> Metrics { get; init; }
    /// <summary>Mean input tokens per query, counted by <see cref="CostTokenizer"/> on the rendered prompt.</summary>
    [JsonPropertyName("input_tokens_per_query")] public double InputTokensPerQuery { get; init; }
    [JsonPropertyName("output_tokens_per_query")] public double OutputTokensPerQuery { get; init; }
    [JsonPropertyName("cost_tokenizer")] public required string CostTokenizer { get; init; }
    /// <summary>Mean prompt tokens per query in the model's own tokenizer (what the GPU actually processes).</summary>
    [JsonPropertyName("model_prompt_tokens_per_query")] public double ModelPromptTokensPerQuery { get; init; }
    /// <summary>Tokens decoded per timed query (null in results written before the count was fixed: decoded until the stop).</summary>
    [JsonPropertyName("latency_new_tokens")] public int? LatencyNewTokens { get; init; }
    /// <summary>Median wall time of one query at batch size 1 (prefill + <see cref="LatencyNewTokens"/> decode steps), after warm-up.</summary>
    [JsonPropertyName("latency_ms_median")] public double LatencyMsMedian { get; init; }
    [JsonPropertyName("latency_ms_p90")] public double LatencyMsP90 { get; init; }
    /// <summary>.NET garbage collection during the timed b=1 calls (null in results written before it was recorded).</summary>
    [JsonPropertyName("latency_gc")] public LatencyGc? LatencyGc { get; init; }
    /// <summary>Prompts generated untimed (two new tokens) just before the batched pass; null in results written before
    /// this warm-up, whose batched time includes the process's first-use costs.</summary>
    [JsonPropertyName("batched_warmup_queries")] public int? BatchedWarmupQueries { get; init; }
    /// <summary>Wall time of the whole evaluation set, batched, divided by its size.</summary>
    [JsonPropertyName("batched_ms_per_query")] public double BatchedMsPerQuery { get; init; }
    [JsonPropertyName("priced_model")] public required string PricedModel { get; init; }
    [JsonPropertyName("cost_per_1m_queries")] public double CostPerMillionQueries { get; init; }
    [JsonPropertyName("train_seconds")] public double TrainSeconds { get; init; }
    [JsonPropertyName("train_tokens")] public long TrainTokens { get; init; }
    [JsonPropertyName("final_train_loss")] public double FinalTrainLoss { get; init; }
    /// <summary>Wall seconds of each evaluation phase (prompts, generate, score, latency): where a run's time went.</summary>
    [JsonPropertyName("phase_seconds")] public IReadOnlyDictionary<string, double>? PhaseSeconds { get; init; }
}
