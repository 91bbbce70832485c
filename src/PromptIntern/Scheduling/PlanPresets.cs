using System.Globalization;

namespace PromptIntern.Scheduling;

/// <summary>Named plans: the kit's default schedule and the paper's ablations.</summary>
/// <remarks>The paper describes the schedule but publishes no values; these are ours (docs/paper.md, "The kit's defaults").
/// The default keeps the template at 1.0 → 0.6 → 0.3 and then drops it, mirroring the official MBPP data's three
/// template levels (baseline, 0.6, 0.3), with shots 3 → 2 → 1 → 0 (linear) and equal epoch shares of 10 epochs.</remarks>
public static class PlanPresets
{
    public const string DefaultName = "default";
    public const string FinalStageFull = "final-stage-full", EqualTokensQueryOnly = "equal-tokens-query-only", EqualTokensFullPrompt = "equal-tokens-full-prompt";

    static readonly (string Name, Func<InternalizationPlan> Make)[] All =
    [
        (DefaultName, () => Stages(DefaultName,
            "PromptIntern: template 1.0 → 0.6 → 0.3 → dropped, shots 3 → 2 → 1 → 0; query-only inference",
            [1.0, 0.6, 0.3, null], [3, 2, 1, 0])),
        ("no-compression", () => Stages("no-compression",
            "ablation without template compression: full template until the last stage drops it; shots 3 → 2 → 1 → 0",
            [1.0, 1.0, 1.0, null], [3, 2, 1, 0])),
        ("no-absorption", () => Stages("no-absorption",
            "ablation without example absorption: no examples in any stage; template 1.0 → 0.6 → 0.3 → dropped",
            [1.0, 0.6, 0.3, null], [0, 0, 0, 0])),
        ("no-progressive", () => Stages("no-progressive",
            "ablation without the progressive schedule: one stage trained directly on the final (query-only) layout",
            [null], [0])),
        ("full-prompt", () => new InternalizationPlan("full-prompt",
            "baseline: one stage on the full prompt (template + 3 retrieved examples), inferred with the same prompt",
            [new PlanStage(1.0, 3)], new InferenceLayout(1.0, 3)).Validate("full-prompt")),
        // Stage budgets: the default plan's stages with epochs set against the query-only and full-prompt baselines (StageBudget).
        (FinalStageFull, () => Budgeted(FinalStageFull, StageBudget.FinalStageFull,
            "stage budget: the default plan's stages, the final (query-only) stage trained as many epochs as the query-only baseline, earlier stages on top")),
        (EqualTokensQueryOnly, () => Budgeted(EqualTokensQueryOnly, StageBudget.EqualTokens(InferenceLayout.QueryOnly),
            "stage budget: the default plan's stages, all epochs scaled so training sees as many tokens as the query-only baseline")),
        (EqualTokensFullPrompt, () => Budgeted(EqualTokensFullPrompt, StageBudget.EqualTokens(new InferenceLayout(1.0, 3)),
            "stage budget: the default plan's stages, all epochs scaled so training sees as many tokens as the full-prompt baseline")),
        .. Enum.GetValues<DecayShape>().Select(shape => ($"shape-{DecaySchedule.ToName(shape)}", (Func<InternalizationPlan>)(() =>
            PlanBuilder.Shaped($"shape-{DecaySchedule.ToName(shape)}",
                $"schedule-shape ablation: 4 stages, template 1.0 → dropped and shots 3 → 0 along a {DecaySchedule.ToName(shape)} shape; query-only inference",
                4, shape)))),
        .. new[] { "0.6", "0.3", "0.1" }.Select(r => ($"final-rate-{r}", (Func<InternalizationPlan>)(() =>
            PlanBuilder.Shaped($"final-rate-{r}",
                $"final-template-rate ablation: 4 stages, template 1.0 → {r} (kept at inference), shots 3 → 0, linear",
                4, DecayShape.Linear, templateEnd: double.Parse(r, CultureInfo.InvariantCulture))))),
        .. new[] { 1, 2, 5 }.Select(k => ($"shots-{k}", (Func<InternalizationPlan>)(() =>
            PlanBuilder.Shaped($"shots-{k}",
                $"number-of-shots ablation: 4 stages, template 1.0 → dropped, shots {k} → 0, linear",
                4, DecayShape.Linear, shotsStart: k)))),
    ];

    public static IReadOnlyList<string> Names => All.Select(p => p.Name).ToList();

    public static InternalizationPlan Default => Get(DefaultName);

    /// <summary>The preset with this name, or an error listing the known names.</summary>
    public static InternalizationPlan Get(string name)
    {
        foreach (var (n, make) in All)
            if (string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase)) return make();
        throw new ArgumentException($"unknown plan '{name}'; presets: {string.Join(", ", Names)} (or pass a plan JSON file)");
    }

    public static bool Exists(string name) => All.Any(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    static InternalizationPlan Budgeted(string name, StageBudget budget, string description) =>
        Stages(name, description, [1.0, 0.6, 0.3, null], [3, 2, 1, 0]) with { Budget = budget };

    static InternalizationPlan Stages(string name, string description, double?[] rates, int[] shots) =>
        new InternalizationPlan(name, description,
            rates.Zip(shots, (r, k) => new PlanStage(r, k)).ToList(), InferenceLayout.QueryOnly).Validate(name);
}
