using Xunit;
using PromptIntern.Scheduling;

namespace PromptIntern.Tests.Scheduling;

public class PlanPresetsTests
{
    [Fact]
    public void Default_IsFourStages_TemplateOneSixThreeDropped_ShotsThreeToZero_QueryOnlyInference()
    {
        var p = PlanPresets.Default;
        Assert.Equal([1.0, 0.6, 0.3, null], p.Stages.Select(s => s.KeepRate));
        Assert.Equal([3, 2, 1, 0], p.Stages.Select(s => s.Shots));
        Assert.True(p.Inference.IsQueryOnly);
        Assert.Equal(10, p.Epochs);
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(2.5, p.StageEpochs(i), 12));
        Assert.False(p.Final.KeepsTemplate);
    }

    [Fact]
    public void Ablations_ChangeOnlyWhatTheyAblate()
    {
        Assert.Equal([1.0, 1.0, 1.0, null], PlanPresets.Get("no-compression").Stages.Select(s => s.KeepRate));
        Assert.Equal([3, 2, 1, 0], PlanPresets.Get("no-compression").Stages.Select(s => s.Shots));
        Assert.All(PlanPresets.Get("no-absorption").Stages, s => Assert.Equal(0, s.Shots));
        var direct = PlanPresets.Get("no-progressive");
        Assert.Single(direct.Stages);
        Assert.Null(direct.Final.KeepRate);
        Assert.Equal(10, direct.StageEpochs(0));
    }

    [Fact]
    public void ShapeLinear_InterpolatesToQueryOnly()
    {
        var p = PlanPresets.Get("shape-linear");
        Assert.Equal([1.0, 0.667, 0.333, null], p.Stages.Select(s => s.KeepRate));
        Assert.Equal([3, 2, 1, 0], p.Stages.Select(s => s.Shots));
    }

    [Fact]
    public void FinalRate_KeepsTheCompressedTemplateAtInference()
    {
        var p = PlanPresets.Get("final-rate-0.3");
        Assert.Equal(0.3, p.Final.KeepRate);
        Assert.Equal(0.3, p.Inference.KeepRate);
    }

    [Fact]
    public void EveryPreset_IsValid_AndRoundTripsThroughJson()
    {
        foreach (var name in PlanPresets.Names)
        {
            var p = PlanPresets.Get(name);
            var back = PlanJson.Parse(PlanJson.ToJson(p), name);
            Assert.Equal(p.Stages, back.Stages);
            Assert.Equal(p.Inference, back.Inference);
            Assert.Equal(p.Epochs, back.Epochs);
            Assert.Equal(p.Name, back.Name);
        }
    }

    [Fact]
    public void Get_UnknownName_ListsPresets()
    {
        var e = Assert.Throws<ArgumentException>(() => PlanPresets.Get("nope"));
        Assert.Contains("default", e.Message);
    }
}
