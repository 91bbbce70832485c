using PromptIntern.Cli;
using PromptIntern.Data;
using PromptIntern.Modeling;
using Xunit;

namespace PromptIntern.Tests.Modeling.Parity;

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

    [Fact]
    public void ModelInfo_DescribesAFixture_AndAnUnsupportedFamilyIsOneLine()
    {
        var output = new StringWriter();
        Assert.Equal(0, CliApp.Run(["model", "info", "--model", Path.Combine(Fixtures, "models", "phi3")], output));
        Assert.Contains("Phi3ForCausalLM", output.ToString());
        Assert.Contains("qkv_proj", output.ToString());

        var dir = Directory.CreateTempSubdirectory("pi-gemma-").FullName;
        File.WriteAllText(Path.Combine(dir, "config.json"), "{\"model_type\": \"gemma2\", \"hidden_size\": 64, \"num_attention_heads\": 4}");
        var refused = new StringWriter();
        Assert.Equal(2, CliApp.Run(["model", "info", "--model", dir], refused));
        var line = refused.ToString().ReplaceLineEndings("");   // the console wraps long lines
        Assert.Contains("config.json", line);
        Assert.Contains("'model_type'", line);
        Assert.Contains("gemma2", line);
        Assert.DoesNotContain("   at ", refused.ToString());
        Directory.Delete(dir, true);
    }

    [Fact]
    public void ModelMerge_WritesACheckpointWithTheAdaptedLogits()
    {
        var outDir = Directory.CreateTempSubdirectory("pi-merge-").FullName;
        var models = Path.Combine(Fixtures, "models");
        Assert.Equal(0, CliApp.Run(["model", "merge", "--model", Path.Combine(models, "llama"), "--adapter", Path.Combine(Fixtures, "peft", "llama-kit-made"), "--out", outDir, "--dtype", "float32"], new StringWriter()));
        using var merged = HfCheckpoint.Load(outDir);
        using var adapted = HfCheckpoint.Load(Path.Combine(models, "llama"));
        LoraAdapter.Load(adapted, Path.Combine(Fixtures, "peft", "llama-kit-made"));
        using var ids = TorchSharp.torch.randint(0, 200, [1, 12]);
        using var _ = TorchSharp.torch.no_grad();
        merged.eval(); adapted.eval();
        Assert.True(ModelingTestHelpers.MaxAbsDiff(merged.call(ids), adapted.call(ids)) < 1e-4);
        Directory.Delete(outDir, true);
    }
}
