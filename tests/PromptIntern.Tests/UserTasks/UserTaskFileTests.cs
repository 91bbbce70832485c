using PromptIntern.Data;
using PromptIntern.UserTasks;
using Xunit;
using static PromptIntern.Tests.UserTasks.UserTaskFixtures;

namespace PromptIntern.Tests.UserTasks;

public class UserTaskFileTests
{
    const string Valid = """
        {
          "name": "caps",
          "train": "train.jsonl",
          "dev": "dev.jsonl",
          "template": "template.md",
          "fields": {"id": "uid", "query": "question", "answer": "label"},
          "metric": "exact_match",
          "forced_spans": ["Write only the word."]
        }
        """;

    static DataFormatException Rejected(string json) =>
        Assert.Throws<DataFormatException>(() => { var t = UserTaskFile.Load(WriteTask(json)); UserTaskFile.LoadData(t); });

    [Fact]
    public void Load_ValidFile_ResolvesPathsBesideTheTaskFileAndMapsFields()
    {
        var path = WriteTask(Valid);
        var task = UserTaskFile.Load(path);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(path)!, "train.jsonl"), task.TrainFile);
        var (train, dev, pool) = UserTaskFile.LoadData(task);
        Assert.Equal(["a", "b"], train.Select(e => e.Id));
        Assert.Equal(("cow", "COW"), (dev[0].Query, dev[0].Answer));
        Assert.Equal(train.Select(e => e.Id), pool.Select(e => e.Id));
        Assert.Equal(UserMetricKind.ExactMatch, task.Metric.Kind);
    }

    [Fact]
    public void Load_MissingDataFile_NamesTheTaskFileAndTheKey()
    {
        var e = Rejected(Valid.Replace("\"dev.jsonl\"", "\"nope.jsonl\""));
        Assert.EndsWith("task.json", e.File);
        Assert.Equal("dev", e.Field);
        Assert.Equal(4, e.Line);
        Assert.Contains("nope.jsonl", e.Problem);
    }

    [Fact]
    public void Load_UnknownMetric_NamesMetricAndListsTheKnownOnes()
    {
        var e = Rejected(Valid.Replace("\"exact_match\"", "\"accuracy\""));
        Assert.Equal("metric", e.Field);
        Assert.Equal(7, e.Line);
        Assert.Contains("unknown metric 'accuracy'", e.Problem);
        Assert.Contains("chrf", e.Problem);
    }

    [Fact]
    public void Load_UnknownKey_IsAnErrorWithItsLine()
    {
        var e = Rejected(Valid.Replace("\"metric\":", "\"metrc\": 1,\n  \"metric\":"));
        Assert.Equal("metrc", e.Field);
        Assert.Equal(7, e.Line);
        var nested = Rejected(Valid.Replace("\"answer\": \"label\"", "\"answer\": \"label\", \"extra\": \"x\""));
        Assert.Equal("fields.extra", nested.Field);
    }

    [Fact]
    public void LoadData_MappingToAKeyTheRowsLack_NamesDataFileLineKeyAndMapping()
    {
        var e = Rejected(Valid.Replace("\"query\": \"question\"", "\"query\": \"prompt\""));
        Assert.EndsWith("train.jsonl", e.File);
        Assert.Equal(1, e.Line);
        Assert.Equal("prompt", e.Field);
        Assert.Contains("fields.query", e.Problem);
        Assert.Contains("question", e.Problem);
    }

    [Fact]
    public void Load_BadFieldMappingValuesAndSpans_AreRejected()
    {
        Assert.Equal("fields.query", Rejected(Valid.Replace("\"query\": \"question\"", "\"query\": 3")).Field);
        Assert.Equal("fields.answer", Rejected(Valid.Replace("\"answer\": \"label\"", "\"answer\": \"question\"")).Field);
        var span = Rejected(Valid.Replace("Write only the word.", "Not in the template"));
        Assert.Equal(("forced_spans[0]", 8), (span.Field, span.Line));
        Assert.Equal("metric", Rejected(Valid.Replace(",\n  \"metric\": \"exact_match\"", "")).Field);
        Assert.Equal("(json)", Rejected("{ \"name\": ").Field);
    }

    [Fact]
    public void Load_CommandMetric_RunsTheCheckPerPredictionWithTheRowInTheEnvironment()
    {
        var task = UserTaskFile.Load(WriteTask(Valid.Replace("\"exact_match\"", "{\"command\": \"test \\\"$PI_PREDICTION\\\" = \\\"$PI_ANSWER\\\"\", \"timeout_s\": 5}")));
        Assert.Equal(UserMetricKind.Command, task.Metric.Kind);
        var dev = new[] { new TaskExample("x", "cow", "COW"), new TaskExample("y", "pig", "PIG") };
        var report = task.CreateMetric().Score(dev, ["COW", "pig"]);
        Assert.Equal(50, report.Metrics["pass"]);
        Assert.Equal([1.0, 0.0], report.Examples.Select(x => x.Scores["pass"]));
    }

    [Fact]
    public void CommandMetric_ACheckThatHangs_FailsAtTheTimeLimit()
    {
        var metric = new UserTaskMetric("t", new UserMetricSpec(UserMetricKind.Command, "sleep 30", 0.5), Path.GetTempPath());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var report = metric.Score([new TaskExample("x", "q", "a")], ["a"]);
        Assert.True(clock.Elapsed.TotalSeconds < 10);
        Assert.Equal(0, report.Metrics["pass"]);
        Assert.Contains("timeout", report.Examples[0].Detail);
    }

    [Fact]
    public void Metrics_ScoreTextAsDocumented()
    {
        var refs = new[] { new TaskExample("x", "q", "Hello  World") };
        Assert.Equal(0, new UserTaskMetric("t", new(UserMetricKind.ExactMatch), ".").Score(refs, ["hello world"]).Metrics["EM"]);
        Assert.Equal(100, new UserTaskMetric("t", new(UserMetricKind.NormalizedMatch), ".").Score(refs, ["hello world"]).Metrics["normalized_match"]);
        Assert.Equal(100, Chrf.Sentence("the cat sat", "the cat sat"), 6);
        Assert.Equal(0, Chrf.Sentence("xyz", "abc"));
        var partial = Chrf.Sentence("the cat sat", "the cat sat down");
        Assert.InRange(partial, 50, 99.9);
    }

    [Fact]
    public void Example_TaskFileLoads_AndItsDataIsWhatTheGeneratorWrites()
    {
        var task = UserTaskFile.Load(ExampleTaskFile);
        var (train, dev, _) = UserTaskFile.LoadData(task);
        Assert.Equal(400, train.Count);
        Assert.Equal(60, dev.Count);
        var fresh = TempDir();
        OrderExtractionExample.WriteData(fresh);
        Assert.Equal(File.ReadAllText(task.TrainFile), File.ReadAllText(Path.Combine(fresh, "train.jsonl")));
        Assert.Equal(File.ReadAllText(task.DevFile), File.ReadAllText(Path.Combine(fresh, "dev.jsonl")));
        Assert.All(dev, e => System.Text.Json.JsonDocument.Parse(e.Answer).Dispose());
    }
}
