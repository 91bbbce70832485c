using PromptIntern.Experiments;
using PromptIntern.Scheduling;
using Xunit;

namespace PromptIntern.Tests.Scheduling;

public class StageBudgetTests
{
    [Fact]
    public void FinalStageFull_GivesTheLastStageTheRunsEpochs_AndEarlierStagesTheirEqualShare()
    {
        var plan = PlanPresets.Get(PlanPresets.FinalStageFull) with { Epochs = 3 };
        Assert.Equal([0.75, 0.75, 0.75, 3.0], plan.Budget!.StageEpochs(plan));
        Assert.Equal(PlanPresets.Default.Stages, plan.Stages);
    }

    [Fact]
    public void EqualTokens_ScalesEveryStage_SoTheTokensTrainedEqualTheReferences()
    {
        var plan = PlanPresets.Get(PlanPresets.EqualTokensQueryOnly) with { Epochs = 4 };
        long[] tokens = [1000, 600, 300, 100];
        var epochs = plan.Budget!.StageEpochs(plan, tokens, referenceTokensPerEpoch: 100);
        // Equal shares give 1 epoch each = 2,000 tokens; query-only trains 4 × 100 = 400, so each stage gets 0.2 epochs.
        Assert.All(epochs, e => Assert.Equal(0.2, e, 12));
        Assert.Equal(4 * 100, epochs.Select((e, i) => e * tokens[i]).Sum(), 9);
    }

    [Fact]
    public void EqualTokensFullPrompt_MatchesTheFullPromptLayout_AndCanGiveMoreEpochsThanTheRun()
    {
        var plan = PlanPresets.Get(PlanPresets.EqualTokensFullPrompt) with { Epochs = 2 };
        Assert.Equal(new InferenceLayout(1.0, 3), plan.Budget!.Reference);
        long[] tokens = [900, 500, 300, 50];
        var epochs = plan.Budget.StageEpochs(plan, tokens, referenceTokensPerEpoch: 900);
        Assert.Equal(2 * 900, epochs.Select((e, i) => e * tokens[i]).Sum(), 9);
        Assert.True(epochs.Sum() > 2);
        Assert.Single(epochs.Distinct());
    }

    [Fact]
    public void EqualTokens_WithoutTokenCounts_Throws()
    {
        var plan = PlanPresets.Get(PlanPresets.EqualTokensQueryOnly);
        Assert.Throws<ArgumentException>(() => plan.Budget!.StageEpochs(plan));
        Assert.Throws<ArgumentException>(() => plan.Budget!.StageEpochs(plan, [1, 2, 3, 4], 0));
    }

    [Fact]
    public void BudgetMethods_AreCatalogued_AsPromptInternVariants()
    {
        foreach (var name in new[] { PlanPresets.FinalStageFull, PlanPresets.EqualTokensQueryOnly, PlanPresets.EqualTokensFullPrompt })
        {
            var method = MethodCatalog.Get(name);
            Assert.Equal(name, method.Plan);
            Assert.True(method.IsAblation);
            Assert.True(PlanPresets.Get(name).Inference.IsQueryOnly);
        }
    }

    [Fact]
    public void PlanWithoutBudget_SerializesAsBefore_SoExperimentIdsDoNotMove()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(PlanPresets.Default);
        Assert.DoesNotContain("Budget", json);
        Assert.Contains("\"Budget\":{\"Kind\":\"FinalStageFull\"", System.Text.Json.JsonSerializer.Serialize(PlanPresets.Get(PlanPresets.FinalStageFull)));
    }
}
