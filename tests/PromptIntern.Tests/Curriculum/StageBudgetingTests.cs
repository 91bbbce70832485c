using PromptIntern.Curriculum;
using PromptIntern.Scheduling;
using PromptIntern.Text;
using Xunit;

namespace PromptIntern.Tests.Curriculum;

public class StageBudgetingTests
{
    static readonly ByteTokenizer Bytes = new();

    [Fact]
    public void Apply_EqualTokens_TrainsAsManyTokensAsTheReferenceLayout()
    {
        var train = CurriculumFixture.Train();
        var c = CurriculumFixture.Builder(train).Build(train, PlanPresets.Get(PlanPresets.EqualTokensQueryOnly) with { Epochs = 3 });
        var budgeted = StageBudgeting.Apply(c, train, Bytes, maxSeqLength: 4096);

        var stageTokens = budgeted.Stages.Select(s => StageBudgeting.TokensPerEpoch(s.Items.Select(i => (i.Prompt, i.Answer)), Bytes, 4096)).ToList();
        var queryOnly = StageBudgeting.TokensPerEpoch(train.Select((e, j) => (c.Prompt(e, null, 0), c.Stages[0].Items[j].Answer)), Bytes, 4096);
        Assert.Equal(3.0 * queryOnly, budgeted.Stages.Select((s, i) => s.Epochs * stageTokens[i]).Sum(), 6);
        Assert.Equal(stageTokens[^1], queryOnly); // the last stage is the query-only layout itself
        Assert.Single(budgeted.Stages.Select(s => Math.Round(s.Epochs, 9)).Distinct());
        // The plan records the epochs the stages got.
        Assert.Equal(budgeted.Stages.Select(s => s.Epochs), Enumerable.Range(0, 4).Select(budgeted.Plan.StageEpochs), new ToleranceComparer());
    }

    [Fact]
    public void Apply_FinalStageFull_SetsEpochsWithoutCountingTokens()
    {
        var train = CurriculumFixture.Train();
        var c = CurriculumFixture.Builder(train).Build(train, PlanPresets.Get(PlanPresets.FinalStageFull) with { Epochs = 2 });
        var budgeted = StageBudgeting.Apply(c, train, Bytes, 4096);
        Assert.Equal([0.5, 0.5, 0.5, 2.0], budgeted.Stages.Select(s => s.Epochs));
        Assert.Equal(3.5, budgeted.Plan.Epochs, 9);
    }

    [Fact]
    public void Apply_PlanWithoutBudget_IsUnchanged()
    {
        var train = CurriculumFixture.Train();
        var c = CurriculumFixture.Builder(train).Build(train, PlanPresets.Default with { Epochs = 4 });
        Assert.Same(c, StageBudgeting.Apply(c, train, Bytes, 4096));
    }

    [Fact]
    public void TokensPerEpoch_CountsBosPromptAnswerEos_CappedAtTheSequenceLength()
    {
        var row = (PromptIntern.Prompts.PromptParts.QueryOnly("abc"), " xy ");
        var text = PromptIntern.Prompts.PromptRenderer.ToText(row.Item1);
        Assert.Equal(2 + Bytes.Encode(text).Length + 2, StageBudgeting.TokensPerEpoch([row], Bytes, 4096));
        Assert.Equal(8, StageBudgeting.TokensPerEpoch([row], Bytes, 8));
    }

    sealed class ToleranceComparer : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) < 1e-9;
        public int GetHashCode(double d) => 0;
    }
}
