using PromptIntern.Text;

namespace PromptIntern.Compression;

/// <summary>LongLLMLingua (Jiang et al., ACL 2024): question-aware. Documents (the contexts, or the template's
/// sections when there are none) are ranked by how well they predict the question,
/// <c>-mean log p(question + suffix | document)</c>; the least relevant are dropped to fit the budget, the rest
/// get rates that grow with relevance, documents are reordered most-relevant first, and the token-level pass
/// keeps the words the question makes most predictable (contrastive perplexity).</summary>
public sealed class LongLlmLinguaCompressor(ITokenScorer scorer, LlmLinguaOptions? options = null, ITokenCounter? counter = null)
    : PromptCompressorBase(counter)
{
    public override string Name => "longllmlingua";

    public ITokenScorer Scorer { get; } = scorer;
    public LlmLinguaOptions Options { get; } = options ?? new();

    protected override UnitPlan Plan(PromptDocument doc, int targetTokens, CompressionRequest request)
    {
        var question = request.Question.Trim();
        if (question.Length == 0)
            throw new ArgumentException("LongLLMLingua is question-aware: the request needs a Question", nameof(request));
        var excluded = new bool[doc.Units.Count];
        var priority = new double[doc.Units.Count];
        var budget = Budget.Compressible(doc, targetTokens);

        var parts = doc.Parts.Select((p, i) => (p, i)).ToList();
        var contextParts = parts.Where(x => x.p.Kind == PromptPartKind.Context).Select(x => x.i).ToList();
        var instructionParts = parts.Where(x => x.p.Kind == PromptPartKind.Instruction && x.p.Compressible).Select(x => x.i).ToList();

        // Documents to rank: the contexts; a template alone is ranked by its sections.
        var documents = contextParts.Count > 0
            ? contextParts.Select(p => UnitBlock.OfPart(doc, p)).ToList()
            : instructionParts.SelectMany(p => UnitBlock.Sections(doc, p)).ToList();
        var fixedBlocks = contextParts.Count > 0 ? instructionParts.Select(p => UnitBlock.OfPart(doc, p)).ToList() : [];

        var fixedTokens = fixedBlocks.Sum(b => b.DroppableTokens(doc));
        var fixedBudget = documents.Count == 0 ? budget : Math.Min(Options.InstructionRate * fixedTokens, 0.5 * budget);
        var docBudget = budget - fixedBudget;

        var probe = question + Options.RankingSuffix;
        var surprise = Scorer.ScoreMany(documents.Select(b => (probe, b.Text(doc))).ToList())
            .Select(t => t.Count == 0 ? 0 : t.Average(x => x.SelfInformation)).ToList();
        var ranked = documents.Select((b, i) => (b, i)).OrderBy(x => surprise[x.i]).ThenBy(x => x.b.FirstUnit).Select(x => x.b).ToList();
        var kept = new List<UnitBlock>();
        var left = docBudget + Options.ContextBudgetSlack;
        foreach (var b in ranked)
        {
            var hasForced = b.Units.Any(u => doc.Forced[u]);
            if (left < 0 && !hasForced) { foreach (var u in b.Units) excluded[u] = true; continue; }
            kept.Add(b);
            left -= b.DroppableTokens(doc);
        }

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
        new IterativeTokenFilter(Scorer, Options.IterativeSize, Options.MaxPrefixChars).Run(doc, blocks, excluded, priority, question);

        IReadOnlyList<int>? order = null;
        if (contextParts.Count > 0 && Options.ReorderContexts)
            order = parts.Where(x => x.p.Kind == PromptPartKind.Instruction).Select(x => x.i)
                .Concat(rated.Select(b => b.Part)).Concat(ranked.Select(b => b.Part)).Distinct()
                .Concat(parts.Where(x => x.p.Kind == PromptPartKind.Question).Select(x => x.i))
                .ToList();
        return new UnitPlan(priority, excluded, order);
    }
}
