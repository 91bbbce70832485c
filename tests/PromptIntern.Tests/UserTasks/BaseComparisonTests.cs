using System.Text.Json;
using PromptIntern.Cli;
using PromptIntern.Figures;
using PromptIntern.UserTasks;
using Xunit;
using static PromptIntern.Tests.UserTasks.ReproducedExperiments;

namespace PromptIntern.Tests.UserTasks;

/// <summary>The comparison of one task's reproduce grid across bases, on experiment folders these tests write: base-a
/// (perplexity 12.00) and base-b, three seeds at 1,000 rows, ten dev rows.</summary>
public class BaseComparisonTests
{
    static readonly double[] Ten = [.. Enumerable.Repeat(10.0, 10)], Five = [.. Enumerable.Repeat(5.0, 10)], Fifteen = [.. Enumerable.Repeat(15.0, 10)];
    // Mean 10 like query-only's rows, but ±1 around it: the paired interval straddles zero.
    static readonly double[] AroundTen = [.. Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? 9.0 : 11.0)];

    /// <summary>Query-only and PromptIntern alike on both bases; final-stage-full as given on base-b. Base-a also has a 100-row
    /// query-only cell and base-b a full-prompt row, which the other base lacks.</summary>
    static string Experiments(double[] finalStageBleuOnB, double[] finalStageRowsOnB, double? perplexityOfB)
    {
        var root = UserTaskFixtures.TempDir();
        ThreeSeeds(root, "base-a", "query-only", 1000, [10, 11, 12], Ten, 12.0);
        ThreeSeeds(root, "base-a", "promptintern", 1000, [5, 5, 5], Five, 12.0);
        ThreeSeeds(root, "base-a", "final-stage-full", 1000, [10, 10, 10], AroundTen, 12.0);
        ThreeSeeds(root, "base-a", "query-only", 100, [3, 3, 3], Five, 12.0);
        ThreeSeeds(root, "base-b", "query-only", 1000, [10, 11, 12], Ten, perplexityOfB);
        ThreeSeeds(root, "base-b", "promptintern", 1000, [5, 5, 5], Five, perplexityOfB);
        ThreeSeeds(root, "base-b", "final-stage-full", 1000, finalStageBleuOnB, finalStageRowsOnB, perplexityOfB);
        ThreeSeeds(root, "base-b", "full-prompt", 1000, [8, 8, 8], Ten, perplexityOfB);
        return root;
    }

    [Fact]
    public void From_KeepsTheRowsEveryBaseHas_RanksEachBaseByMean_AndHeadsEachGroupWithItsPerplexity()
    {
        var cmp = BaseComparison.SummarizeReproduced(Experiments([15, 15, 15], Fifteen, 9.5), "nl2bash", ["base-a", "base-b"]);

        Assert.Equal([(1000, "query-only"), (1000, "promptintern"), (1000, "final-stage-full")], cmp.Rows.Select(r => (r.TrainRows, r.Method)));
        var qo = cmp.Rows[0];
        Assert.Equal([11.0, 11.0], qo.PerBase.Select(s => s.Mean));
        Assert.Equal([1.0, 1.0], qo.PerBase.Select(s => s.Sd!.Value));
        // base-a: query-only 11 > final-stage-full 10 > PromptIntern 5; base-b: final-stage-full 15 first.
        Assert.Equal([[1, 2], [3, 3], [2, 1]], cmp.Rows.Select(r => r.Ranks.ToArray()));
        Assert.Equal(["worse", "worse"], cmp.Rows[1].PerBase.Select(s => s.VsQueryOnly!.Verdict));
        Assert.Equal(-5, cmp.Rows[1].PerBase[0].VsQueryOnly!.Mean, 9);
        Assert.Equal(["no clear difference", "better"], cmp.Rows[2].PerBase.Select(s => s.VsQueryOnly!.Verdict));
        Assert.Equal((15.0, 15.0, 15.0), (cmp.Rows[2].PerBase[1].MeanInterval!.Mean, cmp.Rows[2].PerBase[1].MeanInterval!.Lower, cmp.Rows[2].PerBase[1].MeanInterval!.Upper));
        Assert.Equal("base-a (held-out perplexity 12.00): mean ± sd (seeds)", cmp.Columns[3]);
        Assert.Equal("base-b (held-out perplexity 9.50): mean ± sd (seeds)", cmp.Columns[7]);
        Assert.Equal(["1000", "promptintern", "BLEU", "5.0 ± 0.0 (3)", "−5.0 [−5.0, −5.0]", "worse", "3", "5.0 ± 0.0 (3)", "−5.0 [−5.0, −5.0]", "worse", "3"], cmp.Cells()[1]);
        Assert.Equal("On nl2bash, across bases base-a (held-out perplexity 12.00) and base-b (held-out perplexity 9.50), the standing against query-only " +
                     "fine-tuning (95% paired interval) changes with the base for final-stage-full at 1000 rows (no clear difference on base-a and better on base-b); " +
                     "it does not for promptintern at 1000 rows: worse on every base.", cmp.Verdict());
    }

    [Fact]
    public void Verdict_WhenNoStandingChanges_SaysSo_AndNamesTheMeansThatFlipInsideTheIntervals()
    {
        // final-stage-full's corpus BLEU is below query-only's on base-a (10 < 11) and above it on base-b (12 > 11); its rows straddle query-only's on both.
        var cmp = BaseComparison.SummarizeReproduced(Experiments([12, 12, 12], AroundTen, null), "nl2bash", ["base-a", "base-b"]);

        Assert.Equal("On nl2bash, across bases base-a (held-out perplexity 12.00) and base-b (held-out perplexity not measured), the standing of promptintern " +
                     "and final-stage-full against query-only fine-tuning (95% paired interval) does not change with the base: promptintern at 1000 rows: " +
                     "worse on every base; final-stage-full at 1000 rows: no clear difference on every base; the order of the means against query-only flips " +
                     "for final-stage-full at 1000 rows, inside the intervals.", cmp.Verdict());
        Assert.Contains("- base-b: Base model's held-out perplexity: not measured.", cmp.ToMarkdown());
    }

    [Fact]
    public void StudyCli_CompareBases_WritesTableCsvAndProvenance_AndTheVerdictIntoTheReadmeSection()
    {
        var experiments = Experiments([15, 15, 15], Fifteen, 9.5);
        var whenItPays = UserTaskFixtures.TempDir();
        var output = Path.Combine(whenItPays, "nl2bash-bases");
        var readme = Path.Combine(UserTaskFixtures.TempDir(), "README.md");
        File.WriteAllText(readme, "# t\n<!-- verdict-nl2bash-bases:begin -->\nold\n<!-- verdict-nl2bash-bases:end -->\nafter\n");
        var console = new StringWriter();

        int code = CliApp.Run(["study", "--compare-bases", "nl2bash:base-a,base-b", "--experiments", experiments, "--out", output, "--verdict-into", readme], console);

        Assert.True(code == 0, console.ToString());
        var md = File.ReadAllText(Path.Combine(output, "summary.md"));
        Assert.Contains("| train rows | method | metric | base-a (held-out perplexity 12.00): mean ± sd (seeds) | base-a: Δ vs query-only [95% CI] | base-a: vs query-only " +
                        "| base-a: rank | base-b (held-out perplexity 9.50): mean ± sd (seeds) |", md);
        Assert.Contains("| 1000 | query-only | BLEU | 11.0 ± 1.0 (3) |  |  | 1 | 11.0 ± 1.0 (3) |  |  | 2 |", md);
        Assert.Contains("| 1000 | final-stage-full | BLEU | 10.0 ± 0.0 (3) | +0.0 [−", md);
        Assert.Contains("| no clear difference | 2 | 15.0 ± 0.0 (3) | +5.0 [+5.0, +5.0] | better | 1 |", md);
        Assert.DoesNotContain("full-prompt", md.Split("| train rows")[1].Split("Δ:")[0]);
        var csv = File.ReadAllLines(Path.Combine(output, "summary.csv"));
        Assert.Equal(4, csv.Length);
        Assert.Equal("1000,promptintern,BLEU,5.0 ± 0.0 (3),\"−5.0 [−5.0, −5.0]\",worse,3,5.0 ± 0.0 (3),\"−5.0 [−5.0, −5.0]\",worse,3", csv[2]);
        using (var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "run.json"))))
        {
            var root = run.RootElement;
            Assert.True(root.TryGetProperty("commit", out _) && root.TryGetProperty("machine", out _) && root.TryGetProperty("date_utc", out _));
            Assert.Equal("nl2bash", root.GetProperty("config").GetProperty("task").GetString());
            var bases = root.GetProperty("config").GetProperty("bases");
            Assert.Equal(["base-a", "base-b"], bases.EnumerateArray().Select(b => b.GetProperty("label").GetString()));
            Assert.Equal(9.5, bases[1].GetProperty("heldout").GetProperty("perplexity").GetDouble());
        }
        // The notebook rebuilds the same table from the folder's run.json, and tells a comparison folder from a one-base study folder.
        Assert.Equal(md, BaseComparison.Load(output, experiments)!.ToMarkdown());
        Assert.Null(BaseComparison.Load(Path.Combine(whenItPays, "absent"), experiments));
        Assert.Equal(0, CliApp.Run(["study", "--reproduced", "nl2bash:base-a", "--experiments", experiments, "--out", Path.Combine(whenItPays, "nl2bash-base-a")], console));
        Assert.Equal(["base-a"], DataEfficiencyStudy.ReproducedBases(whenItPays, "nl2bash"));
        Assert.Empty(DataEfficiencyStudy.ReproducedBases(Path.Combine(whenItPays, "absent"), "nl2bash"));
        var text = File.ReadAllText(readme);
        Assert.Contains("<!-- verdict-nl2bash-bases:begin -->\nOn nl2bash, across bases base-a (held-out perplexity 12.00)", text);
        Assert.DoesNotContain("old", text);
        Assert.EndsWith("<!-- verdict-nl2bash-bases:end -->\nafter\n", text);
    }

    [Fact]
    public void StudyTableCsv_CarriesTheBasePerplexity_OrSaysItWasNotMeasured()
    {
        var experiments = Experiments([15, 15, 15], Fifteen, null);

        var a = DataEfficiencyStudy.SummarizeReproduced(experiments, "nl2bash", "base-a").ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var b = DataEfficiencyStudy.SummarizeReproduced(experiments, "nl2bash", "base-b").ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.EndsWith("," + StudyTable.BasePerplexityColumn, a[0]);
        Assert.All(a[1..], row => Assert.EndsWith(",12.00", row));
        Assert.All(b[1..], row => Assert.EndsWith(",not measured", row));
    }

    [Fact]
    public void Charts_ScoresByBase_DrawTheIntervalsAsErrorBarsOnBasesNamedWithTheirPerplexity_TheDataCurveIsOnALogAxis()
    {
        var experiments = Experiments([15, 15, 15], Fifteen, 9.5);
        var cmp = BaseComparison.SummarizeReproduced(experiments, "nl2bash", ["base-a", "base-b"]);

        var bars = Plotly.NET.GenericChart.toChartHTML(cmp.ScoresByBase());
        var curve = Plotly.NET.GenericChart.toChartHTML(DataEfficiencyStudy.SummarizeReproduced(experiments, "nl2bash", "base-a").DataEfficiency("nl2bash on base-a"));

        Assert.Contains("\"type\":\"bar\"", bars);
        Assert.Contains("\"x\":[\"base-a (held-out perplexity 12.00)\",\"base-b (held-out perplexity 9.50)\"]", bars);
        // final-stage-full on base-a: rows of 9 and 11, so its interval spreads about ±0.6 around 10; the constant rows have none.
        Assert.Contains("\"error_y\":{\"type\":\"data\",\"symmetric\":false,\"array\":[0.59", bars);
        Assert.Contains("\"error_y\":{\"type\":\"data\",\"symmetric\":false,\"array\":[0.0,0.0],\"arrayminus\":[0.0,0.0]}", bars);
        Assert.Contains("\"type\":\"log\"", curve);
        Assert.Contains("perplexity 12.00", curve);
    }
}
