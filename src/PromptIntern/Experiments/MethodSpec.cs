namespace PromptIntern.Experiments;

/// <summary>How a method's prompt looks at inference, when it differs from its plan's inference layout:
/// the paper's compression baselines query the full-prompt model with an LLMLingua-compressed prompt.</summary>
public enum InferencePromptKind { PlanLayout, Compressed }

/// <summary>One row of the paper's main or ablation tables: the training plan (a Scheduling preset) and how the
/// trained model is queried. Methods that share a plan share one trained model.</summary>
public sealed record MethodSpec(string Name, string Plan, string Description, InferencePromptKind Inference = InferencePromptKind.PlanLayout,
    string? Compressor = null, bool IsAblation = false);
