using System.Text;
using PromptIntern.Compression;
using PromptIntern.Modeling;
using PromptIntern.Text;
using Xunit;
using static TorchSharp.torch;

namespace PromptIntern.Tests.Compression;

public class TokenScorerTests
{
    [Fact]
    public void NGram_SeenContinuation_IsMoreProbableThanAnUnseenWord()
    {
        var lm = NGramTokenScorer.Train(["find . -name '*.txt' -delete", "find . -name '*.log' -print", "find /tmp -type f"]);
        var seen = lm.Score("find . -name").Last();
        var unseen = lm.Score("find . zebra").Last();
        Assert.True(seen.LogProb > unseen.LogProb);
        Assert.All(lm.Score("find . -name"), t => Assert.True(t.LogProb < 0));
    }

    [Fact]
    public void NGram_PrefixConditionsTheScores_ThroughTheCache()
    {
        var lm = CompressionFixture.Scorer;
        var plain = lm.Score("zebra").Single().LogProb;
        var primed = lm.Score("zebra", prefix: "a zebra is striped; the zebra runs").Single().LogProb;
        Assert.True(primed > plain + 1, $"{primed} vs {plain}");
    }

    [Fact]
    public void NGram_TokenSpans_TileTheTextInOrder()
    {
        var text = "Écrivez une fonction 😀 qui\n\trenvoie 42.";
        var tokens = CompressionFixture.Scorer.Score(text);
        var pos = 0;
        foreach (var t in tokens) { Assert.Equal(pos, t.Start); pos += t.Length; }
        Assert.Equal(text.Length, pos);
    }

    [Fact]
    public void CausalLm_Scores_MatchTheModelAndMergeBytePiecesIntoCharacters()
    {
        using var lm = CausalLanguageModel.Create(LlamaConfig.Micro, new ByteTokenizer(), CPU, seed: 3);
        var scorer = new CausalLmTokenScorer(lm, "micro");
        const string text = "naïve 😀 ok";
        var tokens = scorer.Score(text);

        Assert.Equal(text.EnumerateRunes().Count(), tokens.Count); // one token per character: bytes merged
        var pos = 0;
        foreach (var t in tokens) { Assert.Equal(pos, t.Start); pos += t.Length; Assert.True(t.LogProb < 0); }
        Assert.Equal(text.Length, pos);

        var direct = lm.TokenLogProbs([lm.Tokenizer.BosId, .. Encoding.UTF8.GetBytes(text).Select(b => (int)b)]);
        Assert.Equal(direct.Skip(1).Sum(), tokens.Sum(t => t.LogProb), 3);
    }

    [Fact]
    public void CausalLm_WithTheKitBpeTokenizer_SpansTileTheTextAndSumTheModelsLogProbs()
    {
        var tokenizer = ModelTokenizer.Load(Path.Combine(PromptIntern.Data.KitPaths.Data, "tokenizer"));
        using var lm = CausalLanguageModel.Create(LlamaConfig.Micro, tokenizer, CPU, seed: 3);
        var scorer = new CausalLmTokenScorer(lm, "micro-bpe");
        const string text = "find . -name '*.txt' | xargs grep -l café 😀";
        var tokens = scorer.Score(text);
        var pos = 0;
        foreach (var t in tokens) { Assert.Equal(pos, t.Start); pos += t.Length; }
        Assert.Equal(text.Length, pos);
        var direct = lm.TokenLogProbs([tokenizer.BosId, .. tokenizer.Encode(text)]);
        Assert.Equal(direct.Skip(1).Sum(), tokens.Sum(t => t.LogProb), 2);
    }

    [Fact]
    public void CausalLm_Prefix_IsContextOnly()
    {
        using var lm = CausalLanguageModel.Create(LlamaConfig.Micro, new ByteTokenizer(), CPU, seed: 3);
        var scorer = new CausalLmTokenScorer(lm, "micro");
        var plain = scorer.Score("list files");
        var conditioned = scorer.Score("list files", prefix: "Question: how do I ");
        Assert.Equal(plain.Select(t => (t.Start, t.Length)), conditioned.Select(t => (t.Start, t.Length)));
        Assert.NotEqual(plain.Select(t => t.LogProb), conditioned.Select(t => t.LogProb));
    }

    [Fact]
    public void LlmLingua_WithCausalLmScorer_MeetsTheRate()
    {
        using var lm = CausalLanguageModel.Create(LlamaConfig.Micro, new ByteTokenizer(), CPU, seed: 3);
        var scorer = new CausalLmTokenScorer(lm, "micro");
        var text = string.Join("\n\n", CompressionFixture.LongTemplate.Split("\n\n").Take(4)) + "\n" + CompressionFixture.NonAscii;
        foreach (var method in new[] { Compressors.LlmLingua, Compressors.LongLlmLingua, Compressors.SelectiveContext })
        {
            var r = Compressors.Create(method, scorer).Compress(new CompressionRequest { Instruction = text, Question = "Sum a list.", KeepRate = 0.4 });
            Assert.InRange(r.CompressedTokens, r.OriginTokens * 0.38, r.OriginTokens * 0.42);
        }
    }
}
