using PromptIntern.Data;
using PromptIntern.Datasets.Nl2Formula;
using PromptIntern.Evaluation.Formula;
using Xunit;

namespace PromptIntern.Tests.Datasets.Nl2Formula;

public sealed class Nl2FormulaGeneratorTests
{
    static readonly IReadOnlyList<TaskExample> Rows = Nl2FormulaGenerator.Generate(11, "train", 400);

    [Fact]
    public void Generate_IsDeterministicUnderTheSeed()
    {
        var again = Nl2FormulaGenerator.Generate(11, "train", 400);
        Assert.Equal(Rows.Select(JsonlDataset.ToJson), again.Select(JsonlDataset.ToJson));
        var other = Nl2FormulaGenerator.Generate(12, "train", 400);
        Assert.NotEqual(Rows.Select(JsonlDataset.ToJson), other.Select(JsonlDataset.ToJson));
        var dev = Nl2FormulaGenerator.Generate(11, "dev", 50);
        Assert.All(dev, r => Assert.StartsWith("nl2f-dev-", r.Id));
        Assert.NotEqual(Rows.Take(50).Select(r => r.Query), dev.Select(r => r.Query));
    }

    [Fact]
    public void EveryFormula_ExecutesToItsStoredValue_AndLevel()
    {
        foreach (var row in Rows)
        {
            var value = FormulaEvaluator.Evaluate(row.Answer, Nl2FormulaRecords.Sheet(row));
            Assert.IsNotType<FormulaError>(value);
            Assert.Equal(row.Extra["value"].GetString(), FormulaValue.Format(value));
            Assert.Equal(row.Extra["level"].GetString(), FormulaComplexity.Level(row.Answer));
        }
    }

    [Fact]
    public void Rows_AreVaried_InDomainLevelFunctionAndSize()
    {
        Assert.Equal(new[] { "easy", "hard", "medium" }, Rows.Select(r => r.Extra["level"].GetString()).Distinct().Order());
        Assert.All(Rows.GroupBy(r => r.Extra["level"].GetString()), g => Assert.True(g.Count() > Rows.Count / 6, $"{g.Key}: {g.Count()}"));
        Assert.True(Rows.Select(r => r.Extra["table_name"].GetString()).Distinct().Count() >= 16);
        var functions = new[] { "SUMIFS", "COUNTIFS", "AVERAGEIF", "VLOOKUP", "INDEX", "MATCH", "IF(", "IFS(", "ROUND", "LEFT", "CONCAT", "AND(", "OR(", "ABS", "MAXIFS", "MINIFS" };
        Assert.All(functions, f => Assert.Contains(Rows, r => r.Answer.Contains(f)));
        Assert.All(Rows, r => Assert.InRange(Nl2FormulaRecords.Table(r).Count - 1, 5, 30));
        Assert.True(Rows.Select(r => r.Query).Distinct().Count() > Rows.Count * 9 / 10);
    }

    [Fact]
    public void Dataset_WritesSplitsAndAReadmeLabelledOurs()
    {
        var dir = Directory.CreateTempSubdirectory("nl2f-gen-").FullName;
        try
        {
            var summary = Nl2FormulaDataset.Write(dir, 5, 30, 10);
            Assert.Equal(30, JsonlDataset.Load(Path.Combine(dir, "train.jsonl")).Count);
            Assert.Equal(10, JsonlDataset.Load(Path.Combine(dir, "dev.jsonl")).Count);
            var readme = File.ReadAllText(Path.Combine(dir, "README.md"));
            Assert.Contains("OURS", readme);
            Assert.Contains("seed 5", readme);
            Assert.Contains($"| train | 30 | {summary.Levels("train").GetValueOrDefault("easy")} |", readme);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void CommittedDevSplit_IsExactlyWhatTheGeneratorMakes()
    {
        var path = KitPaths.Split(TaskName.Nl2Formula, "dev");
        var committed = JsonlDataset.Load(path);
        var seed = int.Parse(System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(Path.GetDirectoryName(path)!, "README.md")), @"seed (\d+)").Groups[1].Value);
        var regenerated = Nl2FormulaGenerator.Generate(seed, "dev", committed.Count);
        Assert.Equal(regenerated.Select(JsonlDataset.ToJson), committed.Select(JsonlDataset.ToJson));
    }
}
