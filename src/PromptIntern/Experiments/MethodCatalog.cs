using PromptIntern.Scheduling;

namespace PromptIntern.Experiments;

/// <summary>The methods of the paper's main table and ablations (docs/paper.md), each mapped to a training plan preset.</summary>
public static class MethodCatalog
{
    public static readonly IReadOnlyList<MethodSpec> All =
    [
        new("full-prompt", "full-prompt", "fine-tune and infer with the full prompt (template + 3 retrieved examples)"),
        new("llmlingua", "full-prompt", "full-prompt model, inferred with the prompt compressed by LLMLingua", InferencePromptKind.Compressed, "llmlingua"),
        new("longllmlingua", "full-prompt", "full-prompt model, inferred with the prompt compressed by LongLLMLingua", InferencePromptKind.Compressed, "longllmlingua"),
        new("llmlingua2", "full-prompt", "full-prompt model, inferred with the prompt compressed by LLMLingua-2 (our distilled classifier)", InferencePromptKind.Compressed, "llmlingua2"),
        new("query-only", "no-progressive", "direct fine-tuning on the query alone, query-only inference (= the 'no progressive schedule' ablation)"),
        new("promptintern", "default", "PromptIntern: template 1.0→0.6→0.3→dropped, shots 3→2→1→0, query-only inference"),
        new("no-compression", "no-compression", "ablation: no template compression (full template until dropped)", IsAblation: true),
        new("no-absorption", "no-absorption", "ablation: no example absorption (no shots in any stage)", IsAblation: true),
        new("shape-exponential", "shape-exponential", "ablation: exponential decay schedule", IsAblation: true),
        new("shape-inverse-exponential", "shape-inverse-exponential", "ablation: inverse-exponential decay schedule", IsAblation: true),
        new("shape-step", "shape-step", "ablation: step decay schedule", IsAblation: true),
        new("shots-1", "shots-1", "ablation: 1 shot at the start", IsAblation: true),
        new("shots-5", "shots-5", "ablation: 5 shots at the start", IsAblation: true),
        new("final-rate-0.3", "final-rate-0.3", "ablation: template kept at 0.3 at inference instead of dropped", IsAblation: true),
        new(PlanPresets.FinalStageFull, PlanPresets.FinalStageFull, "stage budget: PromptIntern whose final query-only stage trains as many epochs as query-only fine-tuning (earlier stages on top)", IsAblation: true),
        new(PlanPresets.EqualTokensQueryOnly, PlanPresets.EqualTokensQueryOnly, "stage budget: PromptIntern scaled to the query-only baseline's training tokens", IsAblation: true),
        new(PlanPresets.EqualTokensFullPrompt, PlanPresets.EqualTokensFullPrompt, "stage budget: PromptIntern scaled to the full-prompt baseline's training tokens", IsAblation: true),
    ];

    public static IReadOnlyList<string> Names => All.Select(m => m.Name).ToList();

    public static MethodSpec Get(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown method '{name}'; known: {string.Join(", ", Names)}");
}
