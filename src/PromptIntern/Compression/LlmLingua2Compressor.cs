using PromptIntern.Text;

namespace PromptIntern.Compression;

/// <summary>LLMLingua-2 (Pan et al., ACL 2024 Findings) style: a bidirectional classifier gives every word a keep
/// probability; the words with the highest probability are kept up to the budget (LLMLingua-2's percentile
/// threshold, met exactly). No causal LM runs at compression time, so it is the fastest LM-based method.
/// The classifier is distilled from the kit's LLMLingua decisions, not from GPT-4 (see <see cref="KeepClassifierTrainer"/>).</summary>
public sealed class LlmLingua2Compressor(KeepClassifier classifier, ITokenCounter? counter = null) : PromptCompressorBase(counter)
{
    public override string Name => "llmlingua2";

    public KeepClassifier Classifier { get; } = classifier;

    protected override UnitPlan Plan(PromptDocument doc, int targetTokens, CompressionRequest request)
    {
        var priority = new double[doc.Units.Count];
        foreach (var part in doc.Parts.Where(p => p.Compressible))
        {
            var units = Enumerable.Range(part.FirstUnit, part.UnitCount).Select(doc.UnitText).ToList();
            var p = Classifier.KeepProbabilities(units);
            for (var i = 0; i < p.Length; i++) priority[part.FirstUnit + i] = p[i];
        }
        return UnitPlan.FromPriorities(priority);
    }
}
