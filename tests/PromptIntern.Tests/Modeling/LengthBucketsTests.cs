using PromptIntern.Data;
using PromptIntern.Experiments;
using PromptIntern.Modeling;
using PromptIntern.Prompts;
using Xunit;
using static TorchSharp.torch;

namespace PromptIntern.Tests.Modeling;

public class LengthBucketsTests
{
    [Fact]
    public void Plan_GroupsLongestFirst_KeepsInputOrderAmongEqualLengths()
    {
        var lengths = new[] { 5, 40, 7, 40, 6, 39 };
        var sorted = new LengthBuckets { BatchSize = 2, ByLength = true }.Plan(lengths);
        Assert.Equal([[1, 3], [5, 2], [4, 0]], sorted);
        var inOrder = new LengthBuckets { BatchSize = 4, ByLength = false }.Plan(lengths);
        Assert.Equal([[0, 1, 2, 3], [4, 5]], inOrder);
    }

    [Fact]
    public void Padding_CountsSlotsOfEachBatchLongestPrompt()
    {
        var lengths = new[] { 5, 40, 7, 40 };
        var inOrder = new LengthBuckets { BatchSize = 2, ByLength = false }.Padding(lengths);
        Assert.Equal((92L, 160L, 68L), (inOrder.RealTokens, inOrder.Slots, inOrder.PadTokens));
        var sorted = new LengthBuckets { BatchSize = 2, ByLength = true }.Padding(lengths);
        Assert.Equal((92L, 94L, 2L), (sorted.RealTokens, sorted.Slots, sorted.PadTokens));
        Assert.Equal(2.0 / 94, sorted.PadFraction, 12);
    }

    /// <summary>The shipped tiny model on NL2Bash dev queries, some alone and some behind 1–3 retrieved examples: sorted
    /// batches pad far less, and greedy decoding gives every query the same text, returned in input order.</summary>
    [Fact]
    public void TinyModel_LengthSortedBatches_GiveTheInputOrderBatchesGreedyTexts()
    {
        var setup = TaskSetup.Load(TaskName.Nl2Bash, ReproducePreset.Quick with { EvalRows = 12 }, seed: 1337);
        var texts = setup.Eval.Select((e, i) => PromptRenderer.ToText(new PromptParts("", i % 4 == 0 ? []
            : setup.Retriever.Retrieve(e, i % 4).Select(r => new FewShotExample(r.Example.Query, r.Example.Answer)).ToList(), e.Query))).ToList();
        using var lm = CausalLanguageModel.Load(KitPaths.TinyModel, CPU);
        var options = ExperimentRunner.EvalGenerationOptions(setup, maxNewTokens: 24, CPU) with { BatchSize = 4, StopAtEos = false };
        var inOrder = lm.Generate(texts, options with { BucketByLength = false });
        var sorted = lm.Generate(texts, options);

        Assert.True(options.BucketByLength);
        Assert.True(lm.Padding(texts, options).PadTokens * 2 < lm.Padding(texts, options with { BucketByLength = false }).PadTokens);
        Assert.Equal(inOrder.Select(g => g.Text), sorted.Select(g => g.Text));
        Assert.Equal(texts.Select(t => lm.Encode(t).Length), sorted.Select(g => g.PromptTokens));
        Assert.Contains(sorted, g => g.Text.Length > 0);
    }
}
