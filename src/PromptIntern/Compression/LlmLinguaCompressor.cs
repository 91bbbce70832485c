using PromptIntern.Text;

namespace PromptIntern.Compression;

/// <summary>LLMLingua (Jiang et al., EMNLP 2023): a budget controller splits the budget between instruction and
/// demonstrations, a coarse filter keeps the demonstrations with the highest perplexity until the demonstration
/// budget (+slack) is used, then an iterative token-level pass drops the least surprising words segment by
/// segment, each segment scored conditioned on the compressed text before it.</summary>
public sealed class LlmLinguaCompressor(ITokenScorer scorer, LlmLinguaOptions? options = null, ITokenCounter? counter = null)
    : LlmLinguaFamilyCompressor(scorer, options, counter)
{
    public override string Name => "llmlingua";

    protected override IReadOnlyList<int>? Rank(PromptDocument doc, double budget, CompressionRequest request, bool[] excluded, double[] priority)
    {
        var instruction = doc.Parts.Select((p, i) => (p, i)).Where(x => x.p.Kind == PromptPartKind.Instruction && x.p.Compressible)
            .Select(x => UnitBlock.OfPart(doc, x.i)).ToList();
        var contexts = doc.Parts.Select((p, i) => (p, i)).Where(x => x.p.Kind == PromptPartKind.Context)
            .Select(x => UnitBlock.OfPart(doc, x.i)).ToList();

        var insTokens = instruction.Sum(b => b.DroppableTokens(doc));
        var insBudget = FixedBudget(budget, insTokens, contexts.Count > 0);
        var demBudget = budget - insBudget;

        if (contexts.Count > 1 && Options.UseContextLevelFilter)
        {
            // coarse: highest perplexity first (most information), until the demonstration budget + slack is spent
            var ppl = MeanSelfInformation(contexts.Select(b => (b.Text(doc), "")).ToList());
            var byPerplexity = contexts.Select((b, i) => (b, i)).OrderByDescending(x => ppl[x.i]).ThenBy(x => x.b.FirstUnit).Select(x => x.b).ToList();
            var keep = KeepWithinBudget(doc, byPerplexity, demBudget, excluded, mustKeep: _ => false).ToHashSet();
            contexts = contexts.Where(keep.Contains).ToList();
        }

        var demTokens = contexts.Sum(b => b.DroppableTokens(doc));
        var blocks = instruction.Select(b => b with { Rate = Budget.Rate(insBudget, insTokens) })
            .Concat(contexts.Select(b => b with { Rate = Budget.Rate(demBudget, demTokens) })).ToList();
        FilterTokens(doc, blocks, excluded, priority);
        return null;
    }
}
