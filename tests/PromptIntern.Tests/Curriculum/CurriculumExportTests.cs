using PromptIntern.Text;
using Xunit;
using System.Text.Json;
using PromptIntern.Curriculum;
using PromptIntern.Provenance;
using PromptIntern.Scheduling;

namespace PromptIntern.Tests.Curriculum;

public class CurriculumExportTests
{
    static readonly ITokenCounter Tok = CostTokenizer.Get("o200k_base");

    [Fact]
    public void Run_ReportsPerStageCountsTokensAndCost_AndTheInferenceSaving()
    {
        var train = CurriculumFixture.Train(12);
        var c = CurriculumFixture.Builder(train).Build(train, PlanPresets.Default);
        var dir = Directory.CreateTempSubdirectory("curriculum-").FullName;
        var report = CurriculumExport.Run(c, "nl2bash", dir, FineTuneFormat.OpenAi, Tok, train, trainingPricePerMillionUsd: 25);

        Assert.Equal(4, report.Stages.Count);
        Assert.All(report.Stages, s => Assert.Equal(12, s.Examples));
        Assert.All(report.Stages, s => Assert.True(File.Exists(Path.Combine(dir, s.File))));
        for (int i = 1; i < 4; i++) Assert.True(report.Stages[i].InputTokensPerQuery < report.Stages[i - 1].InputTokensPerQuery);
        foreach (var s in report.Stages)
        {
            var file = FineTuneValidator.ValidateFile(Path.Combine(dir, s.File), FineTuneFormat.OpenAi, Tok);
            Assert.Equal(file.TotalTokens, s.TrainingTokens);
            Assert.Equal(s.TrainingTokens * 2.5, s.TrainedTokens, 6);
            Assert.Equal(s.TrainedTokens * 25 / 1e6, s.EstimatedCostUsd!.Value, 12);
        }
        var queryOnly = train.Average(q => FineTuneValidator.ChatTokens([("user", "### Query:\n" + q.Query)], Tok));
        Assert.Equal(queryOnly, report.Inference.InputTokensPerQuery, 9);
        Assert.Equal(report.Stages[0].InputTokensPerQuery, report.Inference.FullPromptTokensPerQuery, 9);
        Assert.InRange(report.Inference.Reduction, 0.5, 1);
    }

    [Fact]
    public void ReportWriter_WritesJsonAndMarkdown()
    {
        var train = CurriculumFixture.Train(12);
        var c = CurriculumFixture.Builder(train).Build(train, PlanPresets.Get("no-progressive"));
        var dir = Directory.CreateTempSubdirectory("curriculum-").FullName;
        var report = CurriculumExport.Run(c, "nl2bash", dir, FineTuneFormat.Trl, Tok, train,
            run: RunProvenance.Capture(new Dictionary<string, object?> { ["command"] = "test" }));
        var (json, md) = CurriculumReportWriter.Write(report, dir);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("no-progressive", doc.RootElement.GetProperty("plan").GetString());
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("training_price_per_million_usd").ValueKind);
        Assert.Equal("test", doc.RootElement.GetProperty("run").GetProperty("config").GetProperty("command").GetString());
        var text = File.ReadAllText(md);
        Assert.Contains("stage1_tr0_k0.jsonl", text);
        Assert.Contains("cost not estimated", text);
    }
}
