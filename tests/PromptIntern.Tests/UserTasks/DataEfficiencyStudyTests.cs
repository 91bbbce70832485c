using System.Text.Json;
using PromptIntern.Experiments;
using PromptIntern.UserTasks;
using PromptIntern.Training;
using Xunit;
using static PromptIntern.Tests.UserTasks.UserTaskFixtures;

namespace PromptIntern.Tests.UserTasks;

public class DataEfficiencyStudyTests
{
    [Fact]
    public void Run_TwoSizesOnMicroModel_WritesOneRowPerSizeAndMethod_AndResumesWithoutRetraining()
    {
        var task = UserTaskFile.Load(ExampleTaskFile);
        var options = MicroOptions(MicroModelDir(), TempDir());
        var table = DataEfficiencyStudy.Run(task, options, sizes: [4, 8], seeds: [5], methods: ["query-only", "final-stage-full"]);

        Assert.Equal([(4, "query-only"), (4, "final-stage-full"), (8, "query-only"), (8, "final-stage-full")],
            table.Rows.Select(r => (r.TrainRows, r.Method)));
        Assert.All(table.Rows.Where(r => r.Method == "final-stage-full"), r => Assert.NotNull(r.VsQueryOnly));
        Assert.All(table.Rows, r => Assert.Null(r.VsFullPrompt));
        Assert.Contains("not measured", File.ReadAllText(Path.Combine(options.OutputDirectory, "summary.md")));
        Assert.True(File.Exists(Path.Combine(options.OutputDirectory, "run.json")));
        // The final stage trained as many epochs as query-only fine-tuning (1), the three before it a quarter each.
        var config = Directory.EnumerateFiles(options.ResultsDirectory, "config.json", SearchOption.AllDirectories).First(f => f.Contains("final-stage-full"));
        using (var doc = JsonDocument.Parse(File.ReadAllText(config)))
            Assert.Equal([0.25, 0.25, 0.25, 1.0], doc.RootElement.GetProperty("config").GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("Epochs").GetDouble()));

        var stamp = Directory.EnumerateFiles(options.RunsDirectory, "done.json", SearchOption.AllDirectories).Max(File.GetLastWriteTimeUtc);
        var again = DataEfficiencyStudy.Run(task, options, [4, 8], [5], ["query-only", "final-stage-full"]);
        Assert.Equal(table.Rows.Select(r => r.Mean), again.Rows.Select(r => r.Mean));
        Assert.Equal(stamp, Directory.EnumerateFiles(options.RunsDirectory, "done.json", SearchOption.AllDirectories).Max(File.GetLastWriteTimeUtc));
    }

    [Fact]
    public void Summarize_PairsSeedsAndRows_AndReadsTheBasePerplexity()
    {
        var root = TempDir();
        // Query-only is right on rows a, b (seed 1) and a (seed 2); PromptIntern on a, b, c under both seeds.
        Cell(root, "query-only", 1, 3, new() { ["a"] = 1, ["b"] = 1, ["c"] = 0 });
        Cell(root, "query-only", 2, 3, new() { ["a"] = 1, ["b"] = 0, ["c"] = 0 });
        Cell(root, "promptintern", 1, 3, new() { ["a"] = 1, ["b"] = 1, ["c"] = 1 });
        Cell(root, "promptintern", 2, 3, new() { ["a"] = 1, ["b"] = 1, ["c"] = 1 });
        Cell(root, "promptintern", 3, 3, new() { ["a"] = 0, ["b"] = 0, ["c"] = 0 }); // no query-only partner: left out of the pairing
        var model = TempDir();
        new HeldOutPerplexity(12.5, Math.Log(12.5), 1024, 256, "test text").Write(model);

        var table = DataEfficiencyStudy.Summarize(root, model);
        var pi = table.Rows.Single(r => r.Method == "promptintern");
        Assert.Equal(3, pi.Seeds);
        Assert.Equal(200.0 / 3, pi.Mean, 9);
        // Paired on seeds 1 and 2: differences (0, 0, 100) and (0, 100, 100) → mean 50.
        Assert.Equal(50, pi.VsQueryOnly!.Mean, 9);
        Assert.Equal(2, pi.VsQueryOnly.Seeds);
        Assert.Equal(3, pi.VsQueryOnly.Rows);
        Assert.Contains("12.50", table.ToMarkdown());
        Assert.Contains("+50.0 [", table.ToMarkdown());
        // The README findings are generated from the same rows.
        var findings = table.Findings("t");
        Assert.Contains("- 3 rows, promptintern: EM 66.7 vs query-only 50.0 over 2 paired seed(s) × 3 dev rows: Δ +50.0 [", findings);
        Assert.Contains("12.50", findings);
    }

    [Fact]
    public void SummarizeReproduced_KeepsOneTaskAndBaseOfTheFullPresets_BySize()
    {
        var root = TempDir();
        Cell(root, "query-only", 1, 1000, new() { ["a"] = 1, ["b"] = 0 }, "nl2bash", "nano-x", "full");
        Cell(root, "promptintern", 1, 1000, new() { ["a"] = 1, ["b"] = 1 }, "nl2bash", "nano-x", "full");
        Cell(root, "query-only", 1, 30, new() { ["a"] = 0, ["b"] = 0 }, "nl2bash", "nano-x", "full-n30");
        Cell(root, "query-only", 2, 30, new() { ["a"] = 0, ["b"] = 0 }, "nl2bash", "nano-y", "full-n30"); // another base
        Cell(root, "query-only", 3, 30, new() { ["a"] = 0, ["b"] = 0 }, "mbpp", "nano-x", "full-n30");    // another task
        Cell(root, "query-only", 4, 400, new() { ["a"] = 0, ["b"] = 0 }, "nl2bash", "nano-x", "quick");   // another preset

        var table = DataEfficiencyStudy.SummarizeReproduced(root, "nl2bash", "nano-x");

        Assert.Equal([(30, "query-only", 1), (1000, "query-only", 1), (1000, "promptintern", 1)], table.Rows.Select(r => (r.TrainRows, r.Method, r.Seeds)));
        Assert.Equal(50, table.Rows.Single(r => r.Method == "promptintern").VsQueryOnly!.Mean, 9);
    }

    [Fact]
    public void Verdict_NamesTheWinsAndCountsTheWorse()
    {
        var root = TempDir();
        var rows = Enumerable.Range(0, 10).Select(i => $"r{i}").ToList();
        foreach (var seed in new[] { 1, 2, 3 })
        {
            Cell(root, "query-only", seed, 50, rows.ToDictionary(r => r, _ => 0.0));
            Cell(root, "promptintern", seed, 50, rows.ToDictionary(r => r, _ => 1.0));
            Cell(root, "final-stage-full", seed, 50, rows.ToDictionary(r => r, _ => 0.0));
            Cell(root, "query-only", seed, 100, rows.ToDictionary(r => r, _ => 1.0));
            Cell(root, "promptintern", seed, 100, rows.ToDictionary(r => r, _ => 0.0));
        }
        var verdict = DataEfficiencyStudy.Summarize(root).Verdict("t");
        Assert.Equal("On t (50, 100 rows; 3 paired seed(s)), beating query-only fine-tuning (95% interval above zero): " +
                     "promptintern at 50 rows (+100.0 [+100.0, +100.0]); 1 of 3 comparisons are worse.", verdict);
    }

    static void Cell(string root, string method, int seed, int trainRows, Dictionary<string, double> correct,
        string task = "t", string model = "m", string? preset = null)
    {
        var dir = Path.Combine(root, $"{task}-{preset}-{model}-{method}-n{trainRows}-s{seed}");
        Directory.CreateDirectory(dir);
        var result = new ExperimentResult
        {
            Id = $"{method}-s{seed}", Task = task, Method = method, Plan = method, Model = model, Seed = seed, Preset = preset ?? "study-n3", InferenceLayout = "query-only",
            EvalFile = "dev.jsonl", EvalRows = correct.Count, Metrics = new Dictionary<string, double> { ["EM"] = 100 * correct.Values.Average() },
            CostTokenizer = "cl100k_base", PricedModel = "p",
        };
        File.WriteAllText(Path.Combine(dir, "metrics.json"), JsonSerializer.Serialize(new { result }));
        File.WriteAllText(Path.Combine(dir, "config.json"), JsonSerializer.Serialize(new { config = new { stages = new[] { new { Examples = trainRows } } } }));
        File.WriteAllLines(Path.Combine(dir, "predictions.jsonl"), correct.Select(kv => JsonSerializer.Serialize(new { id = kv.Key, scores = new { EM = kv.Value } })));
    }
}
