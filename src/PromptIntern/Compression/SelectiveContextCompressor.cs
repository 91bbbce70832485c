using PromptIntern.Text;

namespace PromptIntern.Compression;

/// <summary>Selective Context (Li et al., 2023): a lexical unit's self-information is the sum of its tokens'
/// <c>-log p</c> under the LM; units below the percentile that the rate sets are dropped. Units here are words
/// and punctuation (the paper also merges noun phrases with a parser, which the kit does not ship).</summary>
public sealed class SelectiveContextCompressor(ITokenScorer scorer, ITokenCounter? counter = null) : PromptCompressorBase(counter)
{
    public override string Name => "selective-context";

    public ITokenScorer Scorer { get; } = scorer;

    protected override UnitPlan Plan(PromptDocument doc, int targetTokens, CompressionRequest request)
    {
        var priority = new double[doc.Units.Count];
        for (var i = 0; i < doc.Parts.Count; i++)
        {
            var part = doc.Parts[i];
            if (!part.Compressible) continue;
            var (sum, _) = UnitInformation.Aggregate(doc, part.FirstUnit, part.UnitCount, Scorer.Score(doc.PartText(i)), part.Start);
            Array.Copy(sum, 0, priority, part.FirstUnit, part.UnitCount);
        }
        // Keeping the highest-information units up to the budget is the percentile threshold, met exactly.
        return UnitPlan.FromPriorities(priority);
    }
}
