using PromptIntern.Modeling;
using Xunit;
using static TorchSharp.torch;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;

namespace PromptIntern.Tests.Modeling;

public class GenerationTests
{
    [Fact]
    public void CachedDecoding_MatchesUncachedLogits()
    {
        using var lm = MicroModel(seed: 2);
        var model = lm.Model;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var ids = randint(0, 256, [2, 12]);
        var full = model.call(ids);
        using var cache = new KvCache(lm.Config, 2, 12, CPU, ScalarType.Float32);
        var prefill = model.Forward(ids.narrow(1, 0, 8), ForwardContext.Create(2, 8, CPU, cache: cache));
        Assert.True(MaxAbsDiff(prefill, full.narrow(1, 0, 8)) < 1e-5);
        var two = model.Forward(ids.narrow(1, 8, 2), ForwardContext.Create(2, 2, CPU, cache: cache, start: 8));
        Assert.True(MaxAbsDiff(two, full.narrow(1, 8, 2)) < 1e-5);
        for (int t = 10; t < 12; t++)
        {
            var step = model.Forward(ids.narrow(1, t, 1), ForwardContext.Create(2, 1, CPU, cache: cache, start: t));
            Assert.True(MaxAbsDiff(step, full.narrow(1, t, 1)) < 1e-5);
        }
    }

    [Fact]
    public void LeftPaddedBatch_GeneratesWhatEachPromptGeneratesAlone()
    {
        using var lm = MicroModel(seed: 4);
        var prompts = new[] { "ls -la", "find . -name '*.py' | head", "x" };
        var opts = new GenerationOptions { MaxNewTokens = 12, StopAtEos = false };
        var batched = lm.Generate(prompts, opts);
        for (int i = 0; i < prompts.Length; i++)
        {
            var alone = lm.Generate([prompts[i]], opts)[0];
            Assert.Equal(alone.Text, batched[i].Text);
            Assert.Equal(12, batched[i].GeneratedTokens);
        }
    }

    [Fact]
    public void LeftPaddedLogits_MatchUnpaddedLogits()
    {
        using var lm = MicroModel(seed: 6);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var a = Ids([5, 6, 7, 8, 9, 10]);
        var padded = Ids([258, 258, 5, 6, 7, 8, 9, 10]);
        var pad = tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 1 }, [1, 8]);
        var alone = lm.Model.call(a);
        var withPad = lm.Model.Forward(padded, ForwardContext.Create(1, 8, CPU, pad)).narrow(1, 2, 6);
        Assert.True(MaxAbsDiff(alone, withPad) < 1e-5);
    }

    [Fact]
    public void Sampling_IsReproducibleUnderASeed_AndStopSequencesCutText()
    {
        using var lm = MicroModel(seed: 7);
        var o = new GenerationOptions { MaxNewTokens = 20, Temperature = 1.0, TopP = 0.9, Seed = 11, StopAtEos = false };
        var a = lm.Generate(["hello"], o)[0].Text;
        Assert.Equal(a, lm.Generate(["hello"], o)[0].Text);
        // Greedy output of an untrained model is some fixed string; stopping at its 3rd character must cut there.
        var greedy = lm.Generate(["hello"], new GenerationOptions { MaxNewTokens = 10, StopAtEos = false })[0].Text;
        var stop = greedy.Substring(2, 1);
        var cut = lm.Generate(["hello"], new GenerationOptions { MaxNewTokens = 10, StopAtEos = false, StopSequences = [stop] })[0];
        Assert.Equal(greedy[..greedy.IndexOf(stop, StringComparison.Ordinal)], cut.Text);
        Assert.Equal("stop", cut.FinishReason);
    }

    [Fact]
    public void Generate_TooLongForContext_IsAClearError()
    {
        using var lm = MicroModel();
        var e = Assert.Throws<ArgumentException>(() => lm.Generate([new string('a', 250)], new GenerationOptions { MaxNewTokens = 10 }));
        Assert.Contains("max_position_embeddings", e.Message);
    }

    [Fact]
    public void TokenLogProbs_MatchesFullForward_AndBatchedAndWindowedAgree()
    {
        using var lm = MicroModel(seed: 8);
        var ids = lm.Encode("echo hello world; ls -la /tmp");
        var lp = lm.TokenLogProbs(ids);
        Assert.Equal(ids.Length, lp.Length);
        Assert.Equal(0f, lp[0]);
        using (no_grad())
        {
            var logp = nn.functional.log_softmax(lm.Model.call(tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length])), -1);
            for (int i = 1; i < ids.Length; i++) Assert.Equal(logp[0, i - 1, ids[i]].item<float>(), lp[i], 1e-4f);
        }
        var other = lm.Encode("pwd");
        var batch = lm.TokenLogProbs([other, ids]);
        for (int i = 0; i < ids.Length; i++) Assert.Equal(lp[i], batch[1][i], 1e-4f);
        Assert.True(lp.Skip(1).All(x => x < 0));

        // Longer than the context window: every position still gets a score.
        var longIds = lm.Encode(string.Concat(Enumerable.Repeat("abc ", 100)));
        var longLp = lm.TokenLogProbs(longIds);
        Assert.True(longLp.Skip(1).All(x => x < 0 && float.IsFinite(x)));
        var head = lm.TokenLogProbs(longIds[..200]);
        for (int i = 0; i < 200; i++) Assert.Equal(head[i], longLp[i], 1e-4f);
    }
}
