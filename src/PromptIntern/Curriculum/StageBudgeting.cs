using PromptIntern.Data;
using PromptIntern.Prompts;
using PromptIntern.Text;

namespace PromptIntern.Curriculum;

/// <summary>Applies a plan's <see cref="Scheduling.StageBudget"/> to its built curriculum: counts the tokens each stage (and
/// the budget's reference layout) trains on per epoch, and sets the stages' epochs from them.</summary>
public static class StageBudgeting
{
    /// <summary>The curriculum with its stages' epochs set by its plan's budget; unchanged when the plan has none.
    /// <paramref name="train"/> is the split the curriculum was built from (for the reference layout's prompts).</summary>
    public static StagedCurriculum Apply(StagedCurriculum curriculum, IReadOnlyList<TaskExample> train, ITokenizer tokenizer, int maxSeqLength)
    {
        if (curriculum.Plan.Budget is not { } budget) return curriculum;
        if (!budget.NeedsTokens) return curriculum.WithStageEpochs(budget.StageEpochs(curriculum.Plan));
        var answers = curriculum.Stages[0].Items.Select(i => i.Answer).ToList();
        var reference = budget.Reference!;
        var stageTokens = curriculum.Stages.Select(s => TokensPerEpoch(s.Items.Select(i => (i.Prompt, i.Answer)), tokenizer, maxSeqLength)).ToList();
        long referenceTokens = TokensPerEpoch(train.Select((e, j) => (curriculum.Prompt(e, reference.KeepRate, reference.Shots), answers[j])),
            tokenizer, maxSeqLength);
        return curriculum.WithStageEpochs(budget.StageEpochs(curriculum.Plan, stageTokens, referenceTokens));
    }

    /// <summary>Tokens one epoch over <paramref name="rows"/> trains on, as the fine-tuner builds its sequences: BOS (where the tokenizer takes one), the
    /// rendered prompt, the trimmed answer and EOS, capped at <paramref name="maxSeqLength"/> (long prompts lose their start).</summary>
    public static long TokensPerEpoch(IEnumerable<(PromptParts Prompt, string Answer)> rows, ITokenizer tokenizer, int maxSeqLength) =>
        rows.Sum(r => (long)Math.Min(maxSeqLength,
            tokenizer.BosPrefix.Length + 1 + tokenizer.Encode(PromptRenderer.ToText(r.Prompt)).Length + tokenizer.Encode(r.Answer.Trim()).Length));
}
