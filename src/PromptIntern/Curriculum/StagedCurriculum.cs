using PromptIntern.Data;
using PromptIntern.Prompts;
using PromptIntern.Scheduling;

namespace PromptIntern.Curriculum;

/// <summary>A plan turned into training sets: the per-stage items, and the prompts to use at inference
/// (the plan's final layout) and for the full-prompt comparison.</summary>
public sealed class StagedCurriculum
{
    readonly CurriculumBuilder _builder;

    internal StagedCurriculum(CurriculumBuilder builder, InternalizationPlan plan, IReadOnlyList<CurriculumStage> stages)
    {
        _builder = builder;
        Plan = plan;
        Stages = stages;
    }

    public InternalizationPlan Plan { get; }
    public IReadOnlyList<CurriculumStage> Stages { get; }
    public string CompressorName => _builder.CompressorName;
    public string RetrieverName => _builder.RetrieverName;

    /// <summary>The template text as inference uses it: compressed at the plan's inference rate, or "" (query only).</summary>
    public string InferenceTemplate => _builder.TemplateAt(Plan.Inference.KeepRate);

    /// <summary>The prompt for a (new) query in the plan's inference layout: query only for PromptIntern.</summary>
    public PromptParts InferencePrompt(TaskExample query) => _builder.Prompt(query, Plan.Inference.KeepRate, Plan.Inference.Shots);

    /// <summary>A prompt for <paramref name="query"/> in any layout: the template at <paramref name="rate"/> (null = dropped) and
    /// <paramref name="shots"/> retrieved examples.</summary>
    public PromptParts Prompt(TaskExample query, double? rate, int shots) => _builder.Prompt(query, rate, shots);

    /// <summary>The same stages with the given epochs; the plan's epoch shares and total are set to match.</summary>
    public StagedCurriculum WithStageEpochs(IReadOnlyList<double> epochs)
    {
        if (epochs.Count != Stages.Count) throw new ArgumentException($"{Stages.Count} stage epochs are needed, got {epochs.Count}", nameof(epochs));
        var plan = Plan with { Epochs = epochs.Sum(), Stages = Plan.Stages.Select((s, i) => s with { EpochShare = epochs[i] }).ToList() };
        return new StagedCurriculum(_builder, plan.Validate(plan.Name), Stages.Select((s, i) => s with { Epochs = epochs[i] }).ToList());
    }

    /// <summary>The uncompressed prompt (full template + <paramref name="shots"/> retrieved examples) the savings are measured against.</summary>
    public PromptParts FullPrompt(TaskExample query, int shots) => _builder.Prompt(query, 1.0, shots);
}
