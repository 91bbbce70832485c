using PromptIntern.UserTasks;
using Xunit;
using static PromptIntern.Tests.UserTasks.UserTaskFixtures;

namespace PromptIntern.Tests.UserTasks;

public class InternalizeTests
{
    [Fact]
    public void Run_ExampleTaskOnMicroModel_ComparesThreeLayoutsAndResumesWithoutRetraining()
    {
        var task = UserTaskFile.Load(ExampleTaskFile);
        var options = MicroOptions(MicroModelDir(), TempDir());
        var result = Internalizer.Run(task, options);

        Assert.Equal(["full-prompt", "query-only", "promptintern"], result.Rows.Select(r => r.Method));
        Assert.All(result.Rows, r => Assert.Equal("EM", r.Metric));
        var full = result.Rows[0];
        Assert.Equal("query-only", result.Rows[2].Layout);
        // The internalized model reads the query alone: a small fraction of the full prompt's tokens.
        Assert.True(result.Rows[2].InputTokensPerQuery < 0.2 * full.InputTokensPerQuery,
            $"{result.Rows[2].InputTokensPerQuery} vs {full.InputTokensPerQuery}");
        Assert.True(result.Recommended.Accuracy >= full.Accuracy - options.TolerancePoints);
        Assert.True(File.Exists(Path.Combine(options.OutputDirectory, "internalize", "table.md")));
        Assert.Contains("Recommended layout", File.ReadAllText(Path.Combine(options.OutputDirectory, "internalize", "table.md")));
        // Each stage of the internalized run left its checkpointed weights.
        Assert.Equal(4, Directory.EnumerateFiles(options.RunsDirectory, "done.json", SearchOption.AllDirectories).Count(f => f.Contains("-train-default-")));

        // A second run finds every layout's metrics.json and trains nothing.
        var stamp = Directory.EnumerateFiles(options.RunsDirectory, "done.json", SearchOption.AllDirectories).Max(File.GetLastWriteTimeUtc);
        var again = Internalizer.Run(task, options);
        Assert.Equal(result.Rows.Select(r => r.Accuracy), again.Rows.Select(r => r.Accuracy));
        Assert.Equal(stamp, Directory.EnumerateFiles(options.RunsDirectory, "done.json", SearchOption.AllDirectories).Max(File.GetLastWriteTimeUtc));
    }

    [Fact]
    public void ExportOnly_WritesEveryStageInBothFormats()
    {
        var task = UserTaskFile.Load(ExampleTaskFile);
        var dir = TempDir();
        var options = MicroOptions(MicroModelDir(), TempDir());
        // OpenAI fine-tuning needs at least 10 examples per file; the exporter validates every file it writes.
        var reports = FineTuneHandoff.Export(task, options with { Preset = options.Preset with { TrainRows = 12 } }, dir);
        Assert.Equal(["openai", "trl"], reports.Select(r => r.Format));
        foreach (var sub in new[] { "openai", "trl" })
        {
            var files = Directory.GetFiles(Path.Combine(dir, sub), "stage*.jsonl").Order().ToList();
            Assert.Equal(4, files.Count);
            Assert.All(files, f => Assert.Equal(12, File.ReadAllLines(f).Length));
            Assert.True(File.Exists(Path.Combine(dir, sub, "plan.json")));
        }
        Assert.DoesNotContain("\"system\"", File.ReadAllLines(Directory.GetFiles(Path.Combine(dir, "openai"), "stage4*.jsonl")[0])[0]);
    }
}
