using PromptIntern.Modeling;
using PromptIntern.Text;
using PromptIntern.Training;
using Xunit;

namespace PromptIntern.Tests.Training;

public class HeldOutPerplexityTests
{
    [Fact]
    public void Measure_UntrainedModel_IsNearTheVocabularySize_AndRoundTripsThroughTheModelFolder()
    {
        using var lm = CausalLanguageModel.Create(LlamaConfig.Micro, new ByteTokenizer(), TorchSharp.torch.CPU, 3);
        var docs = Enumerable.Range(0, 40).Select(i => $"find dir{i} -name '*.txt' -mtime -{i % 7} | xargs grep -l pattern{i}").ToList();
        var p = HeldOutPerplexity.Measure(lm, docs, "test commands", window: 64, maxTokens: 1024);

        Assert.Equal(1024, p.Tokens);
        Assert.Equal(Math.Exp(p.Loss), p.Perplexity, 9);
        // A randomly initialised model is close to uniform over its vocabulary.
        Assert.InRange(p.Perplexity, 0.5 * lm.Config.VocabSize, 2.0 * lm.Config.VocabSize);

        var dir = Directory.CreateTempSubdirectory("pi-heldout-").FullName;
        Assert.Null(HeldOutPerplexity.Read(dir));
        Assert.Equal("Base model's held-out perplexity: not measured.", HeldOutPerplexity.Describe(null));
        p.Write(dir);
        var back = HeldOutPerplexity.Read(dir)!;
        Assert.Equal(p.Perplexity, back.Perplexity);
        Assert.Contains("test commands", HeldOutPerplexity.Describe(back));
        Directory.Delete(dir, true);
    }
}
