using PromptIntern.Text;

namespace PromptIntern.Compression;

/// <summary>LLMLingua (Jiang et al., EMNLP 2023): a budget controller splits the budget between instruction and
/// demonstrations, a coarse filter keeps the demonstrations with the highest perplexity until the demonstration
/// budget (+slack) is used, then an iterative token-level pass drops the least surprising words segment by
/// segment, each segment scored conditioned on the compressed text before it.</summary>
public sealed class LlmLinguaCompressor(ITokenScorer scorer, LlmLinguaOptions? options = null, ITokenCounter? counter = null)
    : PromptCompressorBase(counter)
{
    public override string Name => "llmlingua";

    public ITokenScorer Scorer { get; } = scorer;
    public LlmLinguaOptions Options { get; } = options ?? new();

    protected override UnitPlan Plan(PromptDocument doc, int targetTokens, CompressionRequest request)
    {
        var excluded = new bool[doc.Units.Count];
        var priority = new double[doc.Units.Count];
        var budget = Budget.Compressible(doc, targetTokens);
        var instruction = doc.Parts.Select((p, i) => (p, i)).Where(x => x.p.Kind == PromptPartKind.Instruction && x.p.Compressible)
            .Select(x => UnitBlock.OfPart(doc, x.i)).ToList();
        var contexts = doc.Parts.Select((p, i) => (p, i)).Where(x => x.p.Kind == PromptPartKind.Context)
            .Select(x => UnitBlock.OfPart(doc, x.i)).ToList();

        var insTokens = instruction.Sum(b => b.DroppableTokens(doc));
        var insBudget = contexts.Count == 0 ? budget : Math.Min(Options.InstructionRate * insTokens, 0.5 * budget);
        var demBudget = budget - insBudget;

        if (contexts.Count > 1 && Options.UseContextLevelFilter)
        {
            // coarse: highest perplexity first (most information), until the demonstration budget + slack is spent
            var ppl = Scorer.ScoreMany(contexts.Select(b => (b.Text(doc), "")).ToList())
                .Select(t => t.Count == 0 ? 0 : t.Average(x => x.SelfInformation)).ToList();
            var byPerplexity = contexts.Select((b, i) => (b, i)).OrderByDescending(x => ppl[x.i]).ThenBy(x => x.b.FirstUnit).Select(x => x.b).ToList();
            var left = demBudget + Options.ContextBudgetSlack;
            var keep = new HashSet<UnitBlock>();
            foreach (var b in byPerplexity)
            {
                if (left < 0) break;
                keep.Add(b);
                left -= b.DroppableTokens(doc);
            }
            foreach (var b in contexts.Where(b => !keep.Contains(b)))
                foreach (var u in b.Units) excluded[u] = true;
            contexts = contexts.Where(keep.Contains).ToList();
        }

        var demTokens = contexts.Sum(b => b.DroppableTokens(doc));
        var blocks = instruction.Select(b => b with { Rate = Budget.Rate(insBudget, insTokens) })
            .Concat(contexts.Select(b => b with { Rate = Budget.Rate(demBudget, demTokens) })).ToList();
        new IterativeTokenFilter(Scorer, Options.IterativeSize, Options.MaxPrefixChars).Run(doc, blocks, excluded, priority);
        return new UnitPlan(priority, excluded);
    }

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
