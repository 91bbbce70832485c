using PromptIntern.Figures;
using PromptIntern.Scheduling;
using PromptIntern.UserTasks;
using Xunit;
using static PromptIntern.Tests.UserTasks.UserTaskFixtures;

namespace PromptIntern.Tests.UserTasks;

public class ScheduleSearchTests
{
    [Fact]
    public void DefaultGrid_TrainsEachDistinctScheduleOnce()
    {
        var plans = ScheduleGrid.Default.Plans(epochs: 4);
        // 2 stage counts × 2 shapes × 2 final rates, but with 2 stages linear and exponential give the same stages.
        Assert.Equal(6, plans.Count);
        Assert.Equal(plans.Count, plans.Select(p => p.Name).Distinct().Count());
        Assert.All(plans.Where(p => p.Name.EndsWith("dropped")), p => Assert.True(p.Inference.IsQueryOnly));
        Assert.All(plans.Where(p => p.Name.EndsWith("tr0.3")), p => Assert.Equal(0.3, p.Inference.KeepRate));
    }

    [Fact]
    public void Recommend_PicksTheCheapestLayoutWithinTolerance()
    {
        LayoutRow Row(string m, double acc, double tokens) => new(m, m, "EM", acc, tokens, 1, tokens, null!);
        var rows = new[] { Row("full-prompt", 50, 700), Row("a", 49.5, 30), Row("b", 40, 10), Row("c", 52, 200) };
        Assert.Equal("a", LayoutChoice.Recommend(rows, 1).Method);
        Assert.Equal("full-prompt", LayoutChoice.Recommend([rows[0], rows[2]], 1).Method);
        Assert.Equal(["b", "a", "c"], LayoutChoice.Frontier(rows).Select(r => r.Method));
    }

    [Fact]
    public void Run_OnMicroModel_RecommendsAMeasuredLayoutWithinToleranceOfTheFullPrompt()
    {
        var task = UserTaskFile.Load(ExampleTaskFile);
        var options = MicroOptions(MicroModelDir(), TempDir()) with { TolerancePoints = 10 };
        var grid = new ScheduleGrid([2], [DecayShape.Linear], [null, 0.3]);
        var result = ScheduleSearch.Run(task, options, grid);

        Assert.Equal(3, result.Rows.Count);
        var full = result.FullPrompt;
        Assert.True(result.Recommended.Accuracy >= full.Accuracy - options.TolerancePoints);
        var within = result.Rows.Where(r => r.Accuracy >= full.Accuracy - options.TolerancePoints);
        Assert.Equal(within.Min(r => r.CostPerMillionQueries), result.Recommended.CostPerMillionQueries);
        // The recommended accuracy is the one measured and written for that layout.
        Assert.Equal(result.Recommended.Result.Metrics["EM"], result.Recommended.Accuracy);
        Assert.Contains(result.Recommended, result.Rows);
        Assert.NotEmpty(result.Frontier);
        Assert.True(File.Exists(Path.Combine(options.OutputDirectory, "search", "table.md")));
        Assert.NotNull(result.Chart());
    }
}
