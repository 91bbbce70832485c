namespace PromptIntern.Scheduling;

/// <summary>One stage of progressive fine-tuning: how much of the template is kept, how many examples are shown, and the
/// stage's share of the epochs.</summary>
/// <param name="TemplateRate">fraction of the template's tokens kept (LLMLingua's rate), in (0, 1]; null = template dropped</param>
/// <param name="Shots">retrieved examples shown with each query, >= 0</param>
/// <param name="EpochShare">relative weight of this stage in the plan's epochs, > 0 (equal shares by default)</param>
public sealed record PlanStage(double? TemplateRate, int Shots, double EpochShare = 1)
{
    public bool KeepsTemplate => TemplateRate is not null;

    /// <summary>A short label such as "tr0.6_k2" or "query-only_k0" for file names and tables.</summary>
    public string Label => PlanFormat.LayoutLabel(TemplateRate, Shots);
}

/// <summary>What the model sees at inference after the plan: query only (PromptIntern), or a compressed template
/// and/or examples (baselines and ablations).</summary>
/// <param name="TemplateRate">kept fraction of the template; null = no template</param>
/// <param name="Shots">retrieved examples shown at inference</param>
public sealed record InferenceLayout(double? TemplateRate, int Shots = 0)
{
    public static readonly InferenceLayout QueryOnly = new(null, 0);

    public bool IsQueryOnly => TemplateRate is null && Shots == 0;

    public string Label => IsQueryOnly ? "query-only" : PlanFormat.LayoutLabel(TemplateRate, Shots);
}
