using PromptIntern.Text;
using Xunit;
using PromptIntern.Compression;
using PromptIntern.Curriculum;
using PromptIntern.Scheduling;
using PromptIntern.Data;

namespace PromptIntern.Tests.Curriculum;

public class CurriculumBuilderTests
{
    [Fact]
    public void Build_DefaultPlan_GivesOneItemPerRowPerStage_WithTheStagesShotsAndTemplate()
    {
        var train = CurriculumFixture.Train();
        var c = CurriculumFixture.Builder(train).Build(train, PlanPresets.Default);

        Assert.Equal(4, c.Stages.Count);
        Assert.All(c.Stages, s => Assert.Equal(train.Select(t => t.Id), s.Items.Select(i => i.Id)));
        Assert.Equal([3, 2, 1, 0], c.Stages.Select(s => s.Items.Select(i => i.Prompt.Examples.Count).Distinct().Single()));
        Assert.Equal(CurriculumFixture.Template, c.Stages[0].Template);
        Assert.True(c.Stages[1].Template.Length < c.Stages[0].Template.Length);
        Assert.True(c.Stages[2].Template.Length < c.Stages[1].Template.Length);
        Assert.Equal("", c.Stages[3].Template);
        Assert.All(c.Stages[3].Items, i => Assert.Equal(PromptIntern.Prompts.PromptParts.QueryOnly(i.Prompt.Query), i.Prompt with { Examples = [] }));
        Assert.Equal(["stage1_tr1_k3", "stage2_tr0.6_k2", "stage3_tr0.3_k1", "stage4_tr0_k0"], c.Stages.Select(s => s.Name));
    }

    [Fact]
    public void Build_StagesKeepTheMostRelevantExamples_AndNeverTheQueryItself()
    {
        var train = CurriculumFixture.Train();
        var c = CurriculumFixture.Builder(train).Build(train, PlanPresets.Default);
        for (int j = 0; j < train.Count; j++)
        {
            var three = c.Stages[0].Items[j].Prompt.Examples;
            Assert.Equal(three.Take(2), c.Stages[1].Items[j].Prompt.Examples);
            Assert.Equal(three.Take(1), c.Stages[2].Items[j].Prompt.Examples);
            Assert.DoesNotContain(three, e => e.Query == train[j].Query);
        }
    }

    [Fact]
    public void Build_CompressesEachRateOnce_AcrossStagesAndInference()
    {
        var train = CurriculumFixture.Train();
        var counting = new CurriculumFixture.CountingCompressor();
        var c = CurriculumFixture.Builder(train, counting).Build(train, PlanPresets.Get("final-rate-0.3"));
        foreach (var q in train) c.InferencePrompt(q);
        // final-rate-0.3 uses rates 1.0 (no compression), 0.767, 0.533, 0.3; inference repeats 0.3.
        Assert.Equal(3, counting.Calls);
        Assert.Equal(c.Stages[^1].Template, c.InferenceTemplate);
    }

    [Fact]
    public void InferencePrompt_DefaultPlan_IsQueryOnly()
    {
        var train = CurriculumFixture.Train();
        var c = CurriculumFixture.Builder(train).Build(train, PlanPresets.Default);
        var q = new TaskExample("new", "Count lines in log.txt", "wc -l log.txt");
        Assert.Equal(PromptIntern.Prompts.PromptParts.QueryOnly(q.Query), c.InferencePrompt(q) with { Examples = [] });
        Assert.Empty(c.InferencePrompt(q).Examples);
        Assert.Equal(3, c.FullPrompt(q, 3).Examples.Count);
        Assert.Equal(CurriculumFixture.Template, c.FullPrompt(q, 3).Template);
    }

    [Fact]
    public void TaskTextFormat_IsAppliedToQueriesExamplesAndAnswers()
    {
        var train = CurriculumFixture.Train();
        var format = new TaskTextFormat(e => "Q: " + e.Query, e => "A: " + e.Answer);
        var c = new CurriculumBuilder(CurriculumFixture.Template, new TruncateCompressor(), [],
            new PromptIntern.Absorption.Bm25Retriever(train), format).Build(train, PlanPresets.Default);
        var item = c.Stages[0].Items[0];
        Assert.StartsWith("Q: ", item.Prompt.Query);
        Assert.StartsWith("A: ", item.Answer);
        Assert.All(item.Prompt.Examples, e => { Assert.StartsWith("Q: ", e.Query); Assert.StartsWith("A: ", e.Answer); });
    }

    [Fact]
    public void TemplateAt_CompressesTheTemplateToTheKeepRate_AndKeepsForcedSpans()
    {
        var train = CurriculumFixture.Train();
        var builder = new CurriculumBuilder(CurriculumFixture.Template, new TruncateCompressor(), ["Rule 40"], new PromptIntern.Absorption.Bm25Retriever(train));
        var tok = CostTokenizer.O200k;
        var kept = builder.TemplateAt(0.3);
        Assert.Equal("truncate", builder.CompressorName);
        Assert.InRange(tok.CountTokens(kept), 1, (int)Math.Ceiling(0.35 * tok.CountTokens(CurriculumFixture.Template)));
        Assert.StartsWith("Rule 1:", kept);
        Assert.Contains("Rule 40", kept);
        Assert.Equal(CurriculumFixture.Template, builder.TemplateAt(1.0));
        Assert.Equal("", builder.TemplateAt(null));
    }
}
