using PromptIntern.Text;

namespace PromptIntern.Compression;

/// <summary>Baseline: keeps the beginning of each compressible part's text, in prompt order, up to the budget.</summary>
public sealed class TruncateCompressor(ITokenCounter? counter = null) : PromptCompressorBase(counter)
{
    public override string Name => "truncate";

    protected override UnitPlan Plan(PromptDocument doc, int targetTokens, CompressionRequest request) =>
        UnitPlan.FromPriorities(Enumerable.Range(0, doc.Units.Count).Select(u => -(double)u).ToArray());
}
