using PromptIntern.Text;

namespace PromptIntern.Compression;

/// <summary>LongLLMLingua (Jiang et al., ACL 2024): question-aware. Documents (the contexts, or the template's
/// sections when there are none) are ranked by how well they predict the question,
/// <c>-mean log p(question + suffix | document)</c>; the least relevant are dropped to fit the budget, the rest
/// get rates that grow with relevance, documents are reordered most-relevant first, and the token-level pass
/// keeps the words the question makes most predictable (contrastive perplexity).</summary>
public sealed class LongLlmLinguaCompressor(ITokenScorer scorer, LlmLinguaOptions? options = null, ITokenCounter? counter = null)
    : LlmLinguaFamilyCompressor(scorer, options, counter)
{
    public override string Name => "longllmlingua";

    protected override IReadOnlyList<int>? Rank(PromptDocument doc, double budget, CompressionRequest request, bool[] excluded, double[] priority)
    {
        var question = request.Question.Trim();
        if (question.Length == 0)
            throw new ArgumentException("LongLLMLingua is question-aware: the request needs a Question", nameof(request));

        var parts = doc.Parts.Select((p, i) => (p, i)).ToList();
        var contextParts = parts.Where(x => x.p.Kind == PromptPartKind.Context).Select(x => x.i).ToList();
        var instructionParts = parts.Where(x => x.p.Kind == PromptPartKind.Instruction && x.p.Compressible).Select(x => x.i).ToList();

        // Documents to rank: the contexts; a template alone is ranked by its sections.
        var documents = contextParts.Count > 0
            ? contextParts.Select(p => UnitBlock.OfPart(doc, p)).ToList()
            : instructionParts.SelectMany(p => UnitBlock.Sections(doc, p)).ToList();
        var fixedBlocks = contextParts.Count > 0 ? instructionParts.Select(p => UnitBlock.OfPart(doc, p)).ToList() : [];

        var fixedTokens = fixedBlocks.Sum(b => b.DroppableTokens(doc));
        var fixedBudget = FixedBudget(budget, fixedTokens, documents.Count > 0);
        var docBudget = budget - fixedBudget;

        var probe = question + Options.RankingSuffix;
        var surprise = MeanSelfInformation(documents.Select(b => (probe, b.Text(doc))).ToList());
        var ranked = documents.Select((b, i) => (b, i)).OrderBy(x => surprise[x.i]).ThenBy(x => x.b.FirstUnit).Select(x => x.b).ToList();
        var kept = KeepWithinBudget(doc, ranked, docBudget, excluded, mustKeep: b => b.Units.Any(u => doc.Forced[u]));

        // Dynamic rates: the most relevant kept document gets tau + d, the least tau - d, linear in rank.
        var tau = Budget.Rate(docBudget, kept.Sum(b => b.DroppableTokens(doc)));
        var d = Options.DynamicContextCompressionRatio;
        var rated = kept.Select((b, rank) => b with
        {
            Rank = rank,
            Rate = Math.Clamp(tau + (kept.Count > 1 ? d * (1 - 2.0 * rank / (kept.Count - 1)) : 0), 0, 1),
        }).ToList();

        // Output order: instruction, documents (by relevance when they are contexts and reordering is on), question.
        var docsInOrder = contextParts.Count > 0 && Options.ReorderContexts ? rated : rated.OrderBy(b => b.FirstUnit).ToList();
        var blocks = fixedBlocks.Select(b => b with { Rate = Budget.Rate(fixedBudget, fixedTokens) }).Concat(docsInOrder).ToList();
        FilterTokens(doc, blocks, excluded, priority, question);

        if (!(contextParts.Count > 0 && Options.ReorderContexts)) return null;
        return parts.Where(x => x.p.Kind == PromptPartKind.Instruction).Select(x => x.i)
            .Concat(rated.Select(b => b.Part)).Concat(ranked.Select(b => b.Part)).Distinct()
            .Concat(parts.Where(x => x.p.Kind == PromptPartKind.Question).Select(x => x.i))
            .ToList();
    }
}
