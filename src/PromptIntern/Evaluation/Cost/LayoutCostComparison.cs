using PromptIntern.Compression;
using PromptIntern.Data;
using PromptIntern.Prompts;
using PromptIntern.Text;

namespace PromptIntern.Evaluation.Cost;

/// <summary>One prompt layout's average tokens per query over an evaluation set, and what N such queries cost.</summary>
public sealed record LayoutCost(string Layout, string Description, double TemplateTokens, double ExampleTokens, double QueryTokens,
    double InputTokensPerQuery, CostEstimate Cost, double InputSavingVsFull, double CostSavingVsFull);

/// <summary>The paper's token/cost comparison from our own templates and data: full prompt (template + shots + query),
/// template cut to a keep rate (a truncation stand-in until a compressor runs), and query only (PromptIntern's inference).
/// Tokens are counted with the priced model's tokenizer; output tokens per query are the reference answers' average.
/// Pass a <c>compressor</c> (e.g. LLMLingua-2) to replace the truncation stand-in with real compression.</summary>
public static class LayoutCostComparison
{
    public const string Full = "full", TemplateTruncated = "template-truncated", TemplateCompressed = "template-compressed", QueryOnly = "query-only";

    /// <param name="compressor">compresses the template to <paramref name="keepRate"/>; null: the template is truncated instead</param>
    /// <param name="forcedSpans">literal text of the template the compressor keeps (TaskTemplates.ForcedSpans)</param>
    public static IReadOnlyList<LayoutCost> Compare(
        string task, IReadOnlyList<TaskExample> evalRows, string template, Func<TaskExample, IReadOnlyList<FewShotExample>> shots,
        ModelPrice price, long queries, double keepRate = 0.3, IPromptCompressor? compressor = null, IReadOnlyList<string>? forcedSpans = null)
    {
        if (evalRows.Count == 0) throw new ArgumentException("no evaluation rows");
        if (keepRate is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(keepRate), "must be in [0, 1]");
        var tok = CostTokenizer.Get(price.Tokenizer);
        int templateTokens = tok.CountTokens(template);
        var shortened = compressor is null ? tok.Prefix(template, (int)Math.Round(templateTokens * keepRate))
            : compressor.CompressTemplate(template, keepRate, forcedSpans ?? []);
        var layouts = new (string Name, string Description, Func<TaskExample, PromptParts> Build)[]
        {
            (Full, "template + shots + query (fine-tuned with the full prompt)", e => new PromptParts(template, shots(e), TaskFormat.QueryText(task, e))),
            compressor is null
                ? (TemplateTruncated, $"first {keepRate * 100:0.#}% of template tokens + shots + query (truncation stand-in for a compressor)",
                    e => new PromptParts(shortened, shots(e), TaskFormat.QueryText(task, e)))
                : (TemplateCompressed, $"template compressed by {compressor.Name} to {keepRate * 100:0.#}% of its tokens + shots + query",
                    e => new PromptParts(shortened, shots(e), TaskFormat.QueryText(task, e))),
            (QueryOnly, "query only (PromptIntern inference)", e => PromptParts.QueryOnly(TaskFormat.QueryText(task, e))),
        };
        double outputTokens = evalRows.Average(e => tok.CountTokens(TaskFormat.AnswerText(task, e)));
        var results = new List<LayoutCost>();
        foreach (var (name, description, build) in layouts)
        {
            var counts = evalRows.Select(e => PromptTokens.Count(build(e), tok)).ToList();
            var cost = CostModel.Estimate(price, tok.Name, counts.Average(c => c.Total), outputTokens, queries);
            var full = results.Count > 0 ? results[0] : null;
            results.Add(new LayoutCost(name, description, counts.Average(c => c.Template), counts.Average(c => c.Examples), counts.Average(c => c.Query),
                cost.InputTokensPerQuery, cost,
                full == null ? 0 : CostModel.Saving(full.InputTokensPerQuery, cost.InputTokensPerQuery),
                full == null ? 0 : CostModel.Saving(full.Cost.TotalCost, cost.TotalCost)));
        }
        return results;
    }
}
