using System.Text.Json.Serialization;

namespace PromptIntern.Scheduling;

/// <summary>One stage of progressive fine-tuning: how much of the template is kept, how many examples are shown, and the
/// stage's share of the epochs.</summary>
/// <param name="KeepRate">keep rate: fraction of the template's tokens kept (LLMLingua's rate), in (0, 1]; null = template dropped</param>
/// <param name="Shots">retrieved examples shown with each query, >= 0</param>
/// <param name="EpochShare">relative weight of this stage in the plan's epochs, > 0 (equal shares by default)</param>
public sealed record PlanStage([property: JsonPropertyName(PlanStage.KeepRateJsonName)] double? KeepRate, int Shots, double EpochShare = 1)
{
    /// <summary>The keep rate's name in serialized configs: experiment ids hash the config, so the name stays as first written.</summary>
    public const string KeepRateJsonName = "TemplateRate";

    public bool KeepsTemplate => KeepRate is not null;

    /// <summary>A short label such as "tr0.6_k2" or "query-only_k0" for file names and tables.</summary>
    public string Label => PlanFormat.LayoutLabel(KeepRate, Shots);
}

/// <summary>What the model sees at inference after the plan: query only (PromptIntern), or a compressed template
/// and/or examples (baselines and ablations).</summary>
/// <param name="KeepRate">keep rate of the template; null = no template</param>
/// <param name="Shots">retrieved examples shown at inference</param>
public sealed record InferenceLayout([property: JsonPropertyName(PlanStage.KeepRateJsonName)] double? KeepRate, int Shots = 0)
{
    public static readonly InferenceLayout QueryOnly = new(null, 0);

    public bool IsQueryOnly => KeepRate is null && Shots == 0;

    public string Label => IsQueryOnly ? "query-only" : PlanFormat.LayoutLabel(KeepRate, Shots);
}
