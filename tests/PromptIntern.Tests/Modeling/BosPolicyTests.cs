using PromptIntern.Data;
using PromptIntern.Modeling;
using PromptIntern.Training;
using Xunit;

namespace PromptIntern.Tests.Modeling;

/// <summary>BOS first where the checkpoint's tokenizer says so: Qwen (bos_token null, no add_bos_token) trains, scores and
/// generates without it, as transformers feeds it; Llama-style tokenizers and the kit's own keep it.</summary>
public class BosPolicyTests
{
    static string Model(string family) => Path.Combine(HfParityTests.Fixtures, "models", family);

    [Theory]
    [InlineData("qwen2", false)]
    [InlineData("qwen3", false)]
    [InlineData("llama", true)]          // SentencePiece, add_bos_token true
    [InlineData("llama3-rope", true)]    // byte-level, the post-processor's template adds <|begin_of_text|>
    public void FixtureTokenizers_PutBosFirstAsTransformersDoes(string family, bool bos)
    {
        using var lm = CausalLanguageModel.Load(Model(family));
        Assert.Equal(bos, lm.Tokenizer.PrependsBos);
        var hf = (PromptIntern.Text.IHfTokenizer)lm.Tokenizer;
        // transformers' own encoding (BOS / EOS as the tokenizer files say) starts as the kit's sequences do.
        var text = "ls -la /tmp";
        Assert.Equal(hf.EncodeWithSpecialTokens(text), lm.Encode(text));
    }

    [Fact]
    public void KitTokenizer_KeepsBos_ThoughItsConfigSaysFalse()
    {
        using var lm = CausalLanguageModel.Load(KitPaths.TinyModel);
        Assert.True(lm.Tokenizer.PrependsBos);
        Assert.Equal(lm.Tokenizer.BosId, lm.Encode("echo hi")[0]);
    }

    [Fact]
    public void QwenTrainingSequences_StartWithThePrompt_AndScoreTheCompletionOnly()
    {
        using var lm = CausalLanguageModel.Load(Model("qwen2"));
        var tok = lm.Tokenizer;
        var pair = new TrainingPair("list files", "ls");
        var batch = new SupervisedBatches([pair], tok, batch: 1, maxSeqLength: 64, seed: 1).Get(0, 0);
        int[] prompt = tok.Encode(pair.Prompt), completion = [.. tok.Encode(pair.Completion), tok.EosId];
        Assert.Equal([.. prompt, .. completion], batch.Ids.Select(x => (int)x));
        Assert.Equal(Enumerable.Repeat(-100L, prompt.Length).Concat(completion.Select(x => (long)x)), batch.Labels);

        using var llama = CausalLanguageModel.Load(Model("llama"));
        var withBos = new SupervisedBatches([pair], llama.Tokenizer, batch: 1, maxSeqLength: 64, seed: 1).Get(0, 0);
        Assert.Equal(llama.Tokenizer.BosId, withBos.Ids[0]);
        Assert.Equal(-100L, withBos.Labels[llama.Tokenizer.Encode(pair.Prompt).Length]); // BOS + prompt are context
    }
}
