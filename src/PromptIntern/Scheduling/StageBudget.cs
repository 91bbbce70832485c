using System.Text.Json.Serialization;

namespace PromptIntern.Scheduling;

/// <summary>Which rule a <see cref="StageBudget"/> applies.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StageBudgetKind>))]
public enum StageBudgetKind
{
    /// <summary>The final stage trains as many epochs as a one-stage baseline; earlier stages come on top.</summary>
    FinalStageFull,
    /// <summary>All stages scaled by one factor so the plan trains on as many tokens as a one-stage baseline.</summary>
    EqualTokens,
}

/// <summary>A stage budget: sets each stage's epochs from the run's epochs E (what a one-stage baseline such as query-only
/// trains for) instead of splitting E between the stages by epoch share. It answers two objections to the default plan:
/// its final, query-only stage trains only a share of E, and it trains on more tokens than query-only fine-tuning.</summary>
/// <remarks>Let d_i = E × share_i / Σ share be what equal splitting gives stage i, and t_i the tokens one epoch of stage i
/// trains on (BOS + prompt + answer + EOS per row in the model's tokenizer, capped at the sequence length).
/// <see cref="StageBudgetKind.FinalStageFull"/>: stages before the last keep d_i, the last trains E epochs, so the plan
/// trains E × (1 + Σ_{i&lt;n} share_i / Σ share) epochs in all (1.75 E for four equal stages).
/// <see cref="StageBudgetKind.EqualTokens"/>: every d_i is scaled by f = E × t_ref / Σ d_i × t_i, where t_ref is one epoch of
/// the <see cref="Reference"/> layout, so Σ epochs_i × t_i = E × t_ref: the plan costs the reference baseline's training compute.</remarks>
/// <param name="Kind">the rule</param>
/// <param name="Reference">the one-stage baseline's layout whose tokens <see cref="StageBudgetKind.EqualTokens"/> matches
/// (query only, or the full prompt with its shots); unused by <see cref="StageBudgetKind.FinalStageFull"/></param>
public sealed record StageBudget(StageBudgetKind Kind, InferenceLayout? Reference = null)
{
    public static readonly StageBudget FinalStageFull = new(StageBudgetKind.FinalStageFull);

    public static StageBudget EqualTokens(InferenceLayout reference) => new(StageBudgetKind.EqualTokens, reference);

    /// <summary>Whether <see cref="StageEpochs"/> needs token counts (then the reference layout's too).</summary>
    [JsonIgnore] public bool NeedsTokens => Kind == StageBudgetKind.EqualTokens;

    /// <summary>Epochs of each stage of <paramref name="plan"/>, whose <see cref="InternalizationPlan.Epochs"/> is the run's E.
    /// <paramref name="stageTokensPerEpoch"/> (one per stage) and <paramref name="referenceTokensPerEpoch"/> are needed by
    /// <see cref="StageBudgetKind.EqualTokens"/> only.</summary>
    public IReadOnlyList<double> StageEpochs(InternalizationPlan plan, IReadOnlyList<long>? stageTokensPerEpoch = null, long referenceTokensPerEpoch = 0)
    {
        var even = Enumerable.Range(0, plan.Stages.Count).Select(plan.StageEpochs).ToArray();
        if (Kind == StageBudgetKind.FinalStageFull)
        {
            even[^1] = plan.Epochs;
            return even;
        }
        if (Reference is null) throw new InvalidOperationException($"plan '{plan.Name}': an equal-tokens budget needs a reference layout");
        if (stageTokensPerEpoch is null || stageTokensPerEpoch.Count != even.Length)
            throw new ArgumentException($"plan '{plan.Name}': {even.Length} stage token counts are needed, got {stageTokensPerEpoch?.Count ?? 0}", nameof(stageTokensPerEpoch));
        if (referenceTokensPerEpoch <= 0 || stageTokensPerEpoch.Any(t => t <= 0))
            throw new ArgumentException($"plan '{plan.Name}': token counts must be positive", nameof(referenceTokensPerEpoch));
        double planTokens = even.Select((d, i) => d * stageTokensPerEpoch[i]).Sum();
        double factor = plan.Epochs * referenceTokensPerEpoch / planTokens;
        return even.Select(d => d * factor).ToArray();
    }

    /// <summary>"final stage = E", "tokens = query-only × E" and the like, for descriptions and tables.</summary>
    public string Label => Kind == StageBudgetKind.FinalStageFull ? "final stage trains E epochs" : $"tokens = {Reference?.Label} × E epochs";
}
