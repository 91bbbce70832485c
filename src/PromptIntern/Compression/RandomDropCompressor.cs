using PromptIntern.Text;

namespace PromptIntern.Compression;

/// <summary>Baseline: drops uniformly random units (seeded by the request) until the budget is met.</summary>
public sealed class RandomDropCompressor(ITokenCounter? counter = null) : PromptCompressorBase(counter)
{
    public override string Name => "random";

    protected override UnitPlan Plan(PromptDocument doc, int targetTokens, CompressionRequest request)
    {
        var rng = new Random(request.Seed);
        return UnitPlan.FromPriorities(Enumerable.Range(0, doc.Units.Count).Select(_ => rng.NextDouble()).ToArray());
    }
}
