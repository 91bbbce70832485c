using System.Text.Json;
using System.Text.Json.Serialization;

namespace PromptIntern.Compression;

/// <summary>A compressed prompt with LLMLingua's accounting (origin/compressed tokens, ratio, rate, saving),
/// typed, plus the tokenizer that counted and the kept/dropped spans of the original for display.</summary>
public sealed record CompressionResult
{
    [JsonPropertyName("compressed_prompt")] public required string CompressedPrompt { get; init; }
    [JsonPropertyName("origin_tokens")] public required int OriginTokens { get; init; }
    [JsonPropertyName("compressed_tokens")] public required int CompressedTokens { get; init; }

    /// <summary>The counting tokenizer's name (budgets are met in its tokens).</summary>
    [JsonPropertyName("tokenizer")] public required string Tokenizer { get; init; }

    [JsonPropertyName("method")] public required string Method { get; init; }

    /// <summary>The keep rate asked for (TargetTokens / OriginTokens when a token budget was given).</summary>
    [JsonPropertyName("requested_rate")] public required double KeepRate { get; init; }

    /// <summary>The token budget the selection aimed at.</summary>
    [JsonPropertyName("target_tokens")] public required int TargetTokens { get; init; }

    /// <summary>Dollars saved per call at the request's input price; null when no price was given.</summary>
    [JsonPropertyName("saving")] public double? Saving { get; init; }

    /// <summary>The original prompt (parts joined by blank lines) that <see cref="Spans"/> index into.</summary>
    [JsonIgnore] public string OriginalPrompt { get; init; } = "";

    /// <summary>Kept and dropped stretches of <see cref="OriginalPrompt"/>, in order.</summary>
    [JsonIgnore] public IReadOnlyList<CompressionSpan> Spans { get; init; } = [];

    [JsonIgnore] public TimeSpan Elapsed { get; init; }

    /// <summary>Wall time of the compression call, in milliseconds.</summary>
    [JsonPropertyName("elapsed_ms")] public double ElapsedMs => Math.Round(Elapsed.TotalMilliseconds, 1);

    /// <summary>Origin tokens / compressed tokens (LLMLingua's "ratio", e.g. 3.2 for "3.2x").</summary>
    [JsonPropertyName("ratio"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] public double Ratio => CompressedTokens == 0 ? (OriginTokens == 0 ? 1 : double.PositiveInfinity) : (double)OriginTokens / CompressedTokens;

    /// <summary>Compressed tokens / origin tokens: the keep rate achieved (LLMLingua's "rate").</summary>
    [JsonPropertyName("rate")] public double AchievedRate => OriginTokens == 0 ? 1 : (double)CompressedTokens / OriginTokens;

    /// <summary>One JSON line with LLMLingua's field names (snake_case), typed.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [JsonIgnore] public string RatioText => $"{Ratio:0.0}x";
    [JsonIgnore] public string RateText => $"{AchievedRate * 100:0.0}%";
}

/// <summary>A stretch of the original prompt that was kept or dropped.</summary>
public readonly record struct CompressionSpan(int Start, int Length, bool Kept);
