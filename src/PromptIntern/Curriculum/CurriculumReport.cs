using System.Text.Json.Serialization;
using PromptIntern.Provenance;

namespace PromptIntern.Curriculum;

/// <summary>Accounting for one exported stage. Tokens are counted with <see cref="CurriculumReport.Tokenizer"/>.</summary>
/// <param name="InputTokensPerQuery">mean prompt tokens per training example (what the stage feeds the model besides the answer)</param>
/// <param name="TrainingTokens">tokens in the stage's file (prompt + answer of every example)</param>
/// <param name="TrainedTokens">TrainingTokens × the stage's epochs: what a hosted fine-tune bills</param>
/// <param name="EstimatedCostUsd">TrainedTokens × price per 1M training tokens / 1e6; null when no price was given</param>
public sealed record StageReport(int Stage, string Name, string File, [property: JsonPropertyName("template_rate")] double? KeepRate, int Shots, double Epochs, int Examples,
    double InputTokensPerQuery, long TrainingTokens, double TrainedTokens, double? EstimatedCostUsd);

/// <summary>Inference input tokens per query in the plan's final layout against the full prompt.</summary>
/// <param name="FullPromptShots">examples in the full prompt compared against</param>
/// <param name="Reduction">1 − layout / full: the fraction of input tokens saved</param>
public sealed record InferenceReport(string Layout, int Queries, double InputTokensPerQuery, int FullPromptShots, double FullPromptTokensPerQuery, double Reduction);

/// <summary>Everything `promptintern curriculum` reports: configuration, per-stage accounting and the inference saving.</summary>
public sealed record CurriculumReport(string Task, string Plan, string PlanDescription, double PlanEpochs, string Format, string Tokenizer,
    string Compressor, string Retriever, double? TrainingPricePerMillionUsd, IReadOnlyList<StageReport> Stages, InferenceReport Inference,
    RunProvenance? Run)
{
    public long TotalTrainingTokens => Stages.Sum(s => s.TrainingTokens);
    public double TotalTrainedTokens => Stages.Sum(s => s.TrainedTokens);
    public double? TotalEstimatedCostUsd => TrainingPricePerMillionUsd is null ? null : Stages.Sum(s => s.EstimatedCostUsd ?? 0);
}
