using System.Text.Json.Serialization;
using PromptIntern.Data;

namespace PromptIntern.Experiments;

/// <summary>How big a reproduction is: which model, how much data, how long to train. <c>quick</c> runs on 2 CPU cores
/// in minutes with the shipped tiny model; <c>full</c> is the GPU run behind the published tables.</summary>
public sealed record ReproducePreset
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>Base model directory (config.json + model.safetensors + tokenizer), relative to the kit root.</summary>
    [JsonPropertyName("model")] public required string Model { get; init; }
    [JsonPropertyName("tasks")] public required IReadOnlyList<string> Tasks { get; init; }
    [JsonPropertyName("methods")] public required IReadOnlyList<string> Methods { get; init; }
    /// <summary>Train rows used (first N after a seeded shuffle); 0 = all.</summary>
    [JsonPropertyName("train_rows")] public int TrainRows { get; init; }
    /// <summary>Dev rows evaluated (first N in file order); 0 = all.</summary>
    [JsonPropertyName("eval_rows")] public int EvalRows { get; init; }
    /// <summary>Template tokens kept for this preset (o200k), cut at a paragraph boundary; 0 = the whole template.
    /// The tiny CPU model has a 1,024-token context, so the quick preset keeps the template's opening sections.</summary>
    [JsonPropertyName("template_token_cap")] public int TemplateTokenCap { get; init; }
    /// <summary>Total epochs across stages (docs/paper.md: 10 in the paper's hosted runs).</summary>
    [JsonPropertyName("epochs")] public double Epochs { get; init; } = 10;
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 1e-3;
    [JsonPropertyName("micro_batch_size")] public int MicroBatchSize { get; init; } = 8;
    [JsonPropertyName("max_seq_length")] public int MaxSeqLength { get; init; } = 1024;
    [JsonPropertyName("max_new_tokens")] public int MaxNewTokens { get; init; } = 96;
    /// <summary>Kept fraction for the compression baselines' inference prompts (template and examples).</summary>
    [JsonPropertyName("baseline_rate")] public double BaselineKeepRate { get; init; } = 0.3;
    /// <summary>Queries timed one at a time (batch 1) for the latency column, after warm-up.</summary>
    [JsonPropertyName("latency_queries")] public int LatencyQueries { get; init; } = 16;
    /// <summary>Tokens decoded per timed query: a fixed count, so latency reflects the prompt layout, not answer length.</summary>
    [JsonPropertyName("latency_new_tokens")] public int LatencyNewTokens { get; init; } = 16;
    [JsonPropertyName("precision")] public string Precision { get; init; } = "fp32";
    /// <summary>Where to train and generate, as <see cref="Modeling.Devices.Parse"/> reads it (cpu, cuda, cuda:N, auto).</summary>
    [JsonPropertyName("device")] public string Device { get; init; } = "cpu";
    /// <summary>The priced model the cost column uses (data/prices.json).</summary>
    [JsonPropertyName("priced_model")] public string PricedModel { get; init; } = "gpt-3.5-turbo-ft";

    public static readonly ReproducePreset Quick = new()
    {
        Name = "quick", Model = KitPaths.TinyModelFolder, Tasks = [TaskName.Nl2Bash],
        Methods = ["full-prompt", "llmlingua2", "query-only", "promptintern"],
        TrainRows = 400, EvalRows = 100, TemplateTokenCap = 320, Epochs = 4, LearningRate = 1e-3,
        MicroBatchSize = 8, MaxSeqLength = 1024, MaxNewTokens = 48, LatencyQueries = 8,
    };

    public static readonly ReproducePreset Full = new()
    {
        Name = "full", Model = "data/models/nano", Tasks = TaskName.All.ToList(),
        Methods = MethodCatalog.Names,
        TrainRows = 1000, EvalRows = 300, TemplateTokenCap = 0, Epochs = 3, LearningRate = 5e-4,
        MicroBatchSize = 16, MaxSeqLength = 4096, MaxNewTokens = 160, LatencyQueries = 32,
        Precision = "bf16", Device = "cuda",
    };

    public static IReadOnlyList<ReproducePreset> Known => [Quick, Full];

    public static ReproducePreset Get(string name) => name.Trim().ToLowerInvariant() switch
    {
        "quick" => Quick,
        "full" => Full,
        _ => throw new ArgumentException($"unknown preset '{name}'; known: quick, full"),
    };
}
