using System.Diagnostics;
using PromptIntern.Text;

namespace PromptIntern.Compression;

/// <summary>The shared pipeline: assemble the prompt, let the method rank its units (<see cref="Plan"/>), meet
/// the budget exactly with <see cref="BudgetSelector"/>, and account for the result in counted tokens.</summary>
public abstract class PromptCompressorBase(ITokenCounter? counter = null) : IPromptCompressor
{
    public abstract string Name { get; }

    /// <summary>The tokenizer whose tokens budgets and results are counted in.</summary>
    public ITokenCounter Counter { get; } = counter ?? CostTokenizer.O200k;

    public CompressionResult Compress(CompressionRequest request)
    {
        request.Validate();
        var clock = Stopwatch.StartNew();
        var doc = PromptDocument.Build(request, Counter);
        var origin = Counter.CountTokens(doc.Text);
        var target = request.TargetTokens ?? (int)Math.Round(request.KeepRate * origin, MidpointRounding.AwayFromZero);

        bool[] kept;
        IReadOnlyList<int>? order = null;
        if (doc.Units.Count == 0 || target >= origin) kept = Enumerable.Repeat(true, doc.Units.Count).ToArray();
        else
        {
            var plan = Plan(doc, target, request);
            kept = BudgetSelector.Select(doc, plan, target);
            order = plan.PartOrder;
        }
        var compressed = UnitJoiner.Join(doc, kept, order);
        var compressedTokens = Counter.CountTokens(compressed);
        return new CompressionResult
        {
            CompressedPrompt = compressed,
            OriginTokens = origin,
            CompressedTokens = compressedTokens,
            Tokenizer = Counter.Name,
            Method = Name,
            KeepRate = request.TargetTokens is { } t ? (origin == 0 ? 1 : (double)t / origin) : request.KeepRate,
            TargetTokens = target,
            Saving = request.InputPricePerMillionTokens is { } price ? (origin - compressedTokens) * price / 1_000_000 : null,
            OriginalPrompt = doc.Text,
            Spans = Spans(doc, kept),
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>Ranks units for keeping; <paramref name="targetTokens"/> is the whole prompt's budget.</summary>
    protected abstract UnitPlan Plan(PromptDocument doc, int targetTokens, CompressionRequest request);

    static List<CompressionSpan> Spans(PromptDocument doc, bool[] kept)
    {
        var spans = new List<CompressionSpan>();
        var pos = 0;
        for (var u = 0; u < doc.Units.Count; u++)
        {
            var unit = doc.Units[u];
            if (unit.Start > pos) Add(spans, pos, unit.Start - pos, true); // part separators are kept
            Add(spans, unit.Start, unit.Length, kept[u]);
            pos = unit.End;
        }
        if (doc.Text.Length > pos) Add(spans, pos, doc.Text.Length - pos, true);
        return spans;
    }

    static void Add(List<CompressionSpan> spans, int start, int length, bool kept)
    {
        if (spans.Count > 0 && spans[^1].Kept == kept && spans[^1].Start + spans[^1].Length == start)
            spans[^1] = spans[^1] with { Length = spans[^1].Length + length };
        else spans.Add(new CompressionSpan(start, length, kept));
    }
}
