using Xunit;
using PromptIntern.Data;
using PromptIntern.Scheduling;

namespace PromptIntern.Tests.Scheduling;

public class PlanJsonTests
{
    static DataFormatException Bad(string json)
    {
        var dir = Directory.CreateTempSubdirectory("plan-");
        var path = Path.Combine(dir.FullName, "plan.json");
        File.WriteAllText(path, json);
        var e = Assert.Throws<DataFormatException>(() => PlanJson.Load(path));
        Assert.Equal(path, e.File);
        return e;
    }

    [Fact]
    public void Load_ReadsAPlan_WithExplicitDrop()
    {
        var plan = PlanJson.Parse("""
            {"name": "two", "epochs": 4, "stages": [
              {"template_rate": 0.5, "shots": 1, "epoch_share": 3},
              {"template_rate": null, "shots": 0}],
             "inference": {"template_rate": null}}
            """);
        Assert.Equal([0.5, null], plan.Stages.Select(s => s.KeepRate));
        Assert.Equal(3, plan.StageEpochs(0), 12);
        Assert.Equal(1, plan.StageEpochs(1), 12);
        Assert.True(plan.Inference.IsQueryOnly);
    }

    [Fact]
    public void UnknownKey_IsAnError_NamingTheField()
    {
        var e = Bad("""{"name": "x", "stages": [{"template_rate": 1.0, "shots": 1, "temprate": 2}]}""");
        Assert.Equal("stages[0].temprate", e.Field);
        Assert.Equal("top", Bad("""{"name": "x", "top": 1, "stages": []}""").Field);
    }

    [Theory]
    [InlineData("""{"name": "x", "stages": [{"template_rate": 1.2, "shots": 1}]}""", "stages[0].template_rate")]
    [InlineData("""{"name": "x", "stages": [{"template_rate": 0, "shots": 1}]}""", "stages[0].template_rate")]
    [InlineData("""{"name": "x", "stages": [{"shots": 1}]}""", "stages[0].template_rate")]
    [InlineData("""{"name": "x", "stages": [{"template_rate": 1, "shots": -1}]}""", "stages[0].shots")]
    [InlineData("""{"name": "x", "stages": [{"template_rate": 1, "shots": 1.5}]}""", "stages[0].shots")]
    [InlineData("""{"name": "x", "stages": [{"template_rate": 1, "shots": 1, "epoch_share": 0}]}""", "stages[0].epoch_share")]
    [InlineData("""{"name": "x", "stages": [{"template_rate": 0.5, "shots": 1}, {"template_rate": 0.6, "shots": 1}]}""", "stages[1].template_rate")]
    [InlineData("""{"name": "x", "stages": [{"template_rate": null, "shots": 1}, {"template_rate": 0.3, "shots": 1}]}""", "stages[1].template_rate")]
    [InlineData("""{"name": "x", "stages": [{"template_rate": 1, "shots": 1}, {"template_rate": 1, "shots": 2}]}""", "stages[1].shots")]
    [InlineData("""{"name": "x", "stages": []}""", "stages")]
    [InlineData("""{"name": "x"}""", "stages")]
    [InlineData("""{"stages": [{"template_rate": 1, "shots": 1}]}""", "name")]
    [InlineData("""{"name": "x", "epochs": 0, "stages": [{"template_rate": 1, "shots": 1}]}""", "epochs")]
    [InlineData("""{"name": "x", "stages": [{"template_rate": 1, "shots": 1}], "inference": {"template_rate": 2}}""", "inference.template_rate")]
    [InlineData("""{"name": "x", "stages": [{"template_rate": "1", "shots": 1}]}""", "stages[0].template_rate")]
    [InlineData("""{"name": "x", "stages": [ """, "(json)")]
    public void BadPlan_IsRejected_NamingFileAndField(string json, string field)
    {
        var e = Bad(json);
        Assert.Equal(field, e.Field);
        Assert.Contains("plan.json", e.Message);
    }

    [Fact]
    public void Save_ThenLoad_GivesTheSamePlan()
    {
        var dir = Directory.CreateTempSubdirectory("plan-");
        var path = Path.Combine(dir.FullName, "p.json");
        PlanJson.Save(path, PlanPresets.Default);
        var back = PlanJson.Load(path);
        Assert.Equal(PlanPresets.Default.Stages, back.Stages);
    }
}
