using PromptIntern.Text;

namespace PromptIntern.Compression;

/// <summary>What LLMLingua and LongLLMLingua share: an LM scorer and options, the budget split between the fixed part and
/// the ranked blocks, a coarse pass that keeps ranked blocks until the budget (+slack) is spent, and the iterative
/// token-level pass.</summary>
public abstract class LlmLinguaFamilyCompressor(ITokenScorer scorer, LlmLinguaOptions? options, ITokenCounter? counter)
    : PromptCompressorBase(counter)
{
    public ITokenScorer Scorer { get; } = scorer;
    public LlmLinguaOptions Options { get; } = options ?? new();

    protected sealed override UnitPlan Plan(PromptDocument doc, int targetTokens, CompressionRequest request)
    {
        var excluded = new bool[doc.Units.Count];
        var priority = new double[doc.Units.Count];
        var order = Rank(doc, Budget.Compressible(doc, targetTokens), request, excluded, priority);
        return new UnitPlan(priority, excluded, order);
    }

    /// <summary>Fills each unit's keep priority and marks the units dropped outright, for a compressible
    /// <paramref name="budget"/>; returns the parts' output order, or null to keep the prompt's.</summary>
    protected abstract IReadOnlyList<int>? Rank(PromptDocument doc, double budget, CompressionRequest request, bool[] excluded, double[] priority);

    /// <summary>The fixed part's share of <paramref name="budget"/>: all of it when there is nothing to rank, else at most
    /// <see cref="LlmLinguaOptions.InstructionRate"/> of its own tokens and half the budget.</summary>
    protected double FixedBudget(double budget, double fixedTokens, bool hasRankedBlocks) =>
        hasRankedBlocks ? Math.Min(Options.InstructionRate * fixedTokens, 0.5 * budget) : budget;

    /// <summary>Mean self-information of each text's tokens given its prefix, under the scorer (0 for an empty text).</summary>
    protected IReadOnlyList<float> MeanSelfInformation(IReadOnlyList<(string Text, string Prefix)> pairs) =>
        Scorer.ScoreMany(pairs).Select(t => t.Count == 0 ? 0 : t.Average(x => x.SelfInformation)).ToList();

    /// <summary>Keeps <paramref name="ranked"/> blocks in order while <paramref name="budget"/> + slack lasts (blocks that
    /// <paramref name="mustKeep"/> always stay); marks the units of the others excluded.</summary>
    protected List<UnitBlock> KeepWithinBudget(PromptDocument doc, IEnumerable<UnitBlock> ranked, double budget, bool[] excluded,
        Func<UnitBlock, bool> mustKeep)
    {
        var kept = new List<UnitBlock>();
        var left = budget + Options.ContextBudgetSlack;
        foreach (var b in ranked)
        {
            if (left < 0 && !mustKeep(b)) { foreach (var u in b.Units) excluded[u] = true; continue; }
            kept.Add(b);
            left -= b.DroppableTokens(doc);
        }
        return kept;
    }

    /// <summary>The token-level pass over <paramref name="blocks"/> (each at its own rate), conditioned on the question if given.</summary>
    protected void FilterTokens(PromptDocument doc, IReadOnlyList<UnitBlock> blocks, bool[] excluded, double[] priority, string? question = null) =>
        new IterativeTokenFilter(Scorer, Options.IterativeSize, Options.MaxPrefixChars).Run(doc, blocks, excluded, priority, question);
}

/// <summary>Budget arithmetic shared by the LM-scored compressors.</summary>
static class Budget
{
    /// <summary>Tokens left for droppable units once forced units (and part separators) are paid for.</summary>
    public static double Compressible(PromptDocument doc, int targetTokens)
    {
        var forced = doc.TokenScale * Enumerable.Range(0, doc.Units.Count).Where(u => doc.Forced[u]).Sum(u => doc.UnitTokens[u]);
        return Math.Max(0, targetTokens - forced - (doc.Parts.Count - 1));
    }

    public static double Rate(double budget, double tokens) => tokens <= 0 ? 1 : Math.Clamp(budget / tokens, 0, 1);
}
