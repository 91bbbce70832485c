namespace PromptIntern.Compression;

/// <summary>Knobs of the LM-scored compressors, named after LLMLingua's arguments; defaults are LLMLingua's
/// where it has one, and marked "ours" where the kit chose.</summary>
public sealed record LlmLinguaOptions
{
    /// <summary>Tokens per segment of the iterative token-level pass (LLMLingua <c>iterative_size</c>, 200).</summary>
    public int IterativeSize { get; init; } = 200;

    /// <summary>Extra tokens the coarse demonstration filter may keep over the budget (LLMLingua <c>context_budget="+100"</c>).</summary>
    public int ContextBudgetSlack { get; init; } = 100;

    /// <summary>Drop whole demonstrations/documents before the token-level pass (LLMLingua <c>use_context_level_filter</c>).</summary>
    public bool UseContextLevelFilter { get; init; } = true;

    /// <summary>Keep rate of the instruction when demonstrations share the budget (the LLMLingua paper's
    /// budget controller gives the instruction a high rate); capped at half the budget (ours).</summary>
    public double InstructionRate { get; init; } = 0.85;

    /// <summary>Longest conditioning prefix (the end of the kept text) passed to the scorer, in chars: about 250 tokens (ours;
    /// LLMLingua keeps the whole compressed prefix in a KV cache, which costs too much time on CPU).</summary>
    public int MaxPrefixChars { get; init; } = 1024;

    /// <summary>LongLLMLingua: spread of per-document rates by rank, ± this value (<c>dynamic_context_compression_ratio</c>; 0.25 ours).</summary>
    public double DynamicContextCompressionRatio { get; init; } = 0.25;

    /// <summary>LongLLMLingua: emit documents most-relevant first (<c>reorder_context="sort"</c>) instead of in original order.</summary>
    public bool ReorderContexts { get; init; } = true;

    /// <summary>LongLLMLingua: the sentence appended to the question when ranking documents (from LongLLMLingua's code).</summary>
    public string RankingSuffix { get; init; } = " We can get the answer to this question in the given documents.";
}
