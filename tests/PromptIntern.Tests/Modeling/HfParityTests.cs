using PromptIntern.Data;
using PromptIntern.Modeling;
using Xunit;

namespace PromptIntern.Tests.Modeling;

/// <summary>The kit against transformers, tokenizers and PEFT on the committed fixtures (tests/fixtures/hf-parity,
/// written on the GPU machine by scripts/gpu/parity-fixtures.sh): fp32 logits within 1e-4, greedy tokens and token ids identical.</summary>
public class HfParityTests
{
    public static string Fixtures => Path.Combine(KitPaths.Root, "tests", "fixtures", "hf-parity");

    [Fact]
    public void EveryFamily_MatchesTransformers_LogitsAndGreedyTokens()
    {
        var results = HfParity.Families(Fixtures);
        Assert.Equal(["llama", "llama-linear-bias", "llama-theta500k", "llama3-rope", "mistral", "mixtral", "phi3", "qwen2", "qwen3"], results.Select(r => r.Family));
        Assert.All(results, r =>
        {
            Assert.True(r.MaxLogitDiff <= 1e-4, $"{r.Family}: max |logit diff| {r.MaxLogitDiff:E2}");
            Assert.True(r.GreedyEqual == r.GreedyTokens, $"{r.Family}: {r.GreedyEqual}/{r.GreedyTokens} greedy tokens equal");
        });
    }

    [Fact]
    public void EveryTokenizerKind_MatchesTokenizers_TokenForToken()
    {
        var results = HfParity.Tokenizers(Fixtures);
        Assert.Equal(5, results.Count);
        Assert.All(results, r =>
        {
            Assert.True(r.IdsEqual == r.Texts && r.WithSpecialEqual == r.Texts && r.DecodedEqual == r.Texts,
                $"{r.Kind}: ids {r.IdsEqual}/{r.Texts}, with special tokens {r.WithSpecialEqual}/{r.Texts}, decode {r.DecodedEqual}/{r.Texts}; first: {r.FirstDifference}");
        });
    }

    [Fact]
    public void LoraAdapters_RoundTripWithPeft()
    {
        var results = HfParity.Adapters(Fixtures);
        Assert.Contains(results, r => r.Adapter == "llama-kit-made");
        Assert.Contains(results, r => r.Adapter == "phi3-peft-made");
        Assert.All(results, r => Assert.True(r.MaxLogitDiff <= 1e-4, $"{r.Adapter}: max |logit diff| {r.MaxLogitDiff:E2}"));
    }
}
