using System.Text.Json.Nodes;
using PromptIntern.Data;
using PromptIntern.Experiments;
using PromptIntern.Modeling;
using PromptIntern.Text;
using Xunit;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;

namespace PromptIntern.Tests.Experiments;

public class ExperimentRunnerTests
{
    static readonly string[] Methods = ["full-prompt", "llmlingua", "query-only", "promptintern"];

    static ReproducePreset MicroPreset => ReproducePreset.Quick with
    {
        Name = "micro", TrainRows = 12, EvalRows = 4, TemplateTokenCap = 24, Epochs = 2, MicroBatchSize = 4,
        MaxSeqLength = 512, MaxNewTokens = 8, LatencyQueries = 2, Methods = Methods,
    };

    /// <summary>A micro model (byte tokenizer, 1k context) and a tiny nl2bash-shaped dataset, written to a temp dir.</summary>
    static (string ModelDir, string Train, string Dev) Fixture()
    {
        var dir = TempDir();
        using (var lm = CausalLanguageModel.Create(LlamaConfig.Micro with { MaxSeqLen = 1024 }, new ByteTokenizer(), seed: 2))
            lm.Save(Path.Combine(dir, "model"));
        var rows = Enumerable.Range(0, 20).Select(i => new TaskExample($"b{i:00}", $"show the first {i} lines of log{i}.txt", $"head -n {i} log{i}.txt")).ToList();
        JsonlDataset.Save(Path.Combine(dir, "train.jsonl"), rows.Take(16));
        JsonlDataset.Save(Path.Combine(dir, "dev.jsonl"), rows.Skip(16));
        return (Path.Combine(dir, "model"), Path.Combine(dir, "train.jsonl"), Path.Combine(dir, "dev.jsonl"));
    }

    [Fact]
    public void Run_WritesEveryMethodRowAndFolder_ThenSkipsFinishedExperiments()
    {
        var (modelDir, train, dev) = Fixture();
        var results = TempDir();
        var runs = TempDir();
        var setup = TaskSetup.Load(TaskName.Nl2Bash, MicroPreset, 1337, train, dev);
        var runner = new ExperimentRunner(MicroPreset, results, runs) { ModelDirectory = modelDir };
        var first = runner.Run(setup, Methods.Select(MethodCatalog.Get).ToList(), 1337);

        var table = ResultsTable.From(first);
        Assert.Equal(Methods, table.Rows.Select(r => r.Method));
        foreach (var r in first)
        {
            foreach (var f in new[] { "config.json", "metrics.json", "predictions.jsonl", "table.csv", "table.md" })
                Assert.True(File.Exists(Path.Combine(results, r.Id, f)), $"{r.Id}/{f}");
            Assert.Equal(4, File.ReadLines(Path.Combine(results, r.Id, "predictions.jsonl")).Count());
            Assert.Contains("BLEU", r.Metrics.Keys);
            Assert.True(r.InputTokensPerQuery > 0 && r.LatencyMsMedian > 0);
            // The heap was settled before the timed calls, and the collections during them are on record.
            Assert.True(r.LatencyGc is { Settled: true, Gen0: >= 0, PauseMs: >= 0 }, r.Id);
            // The batched pass was timed after an untimed warm-up batch (4 dev rows, batch 16: all of them).
            Assert.Equal(4, r.BatchedWarmupQueries);
            // The batching policy of that pass is part of the run's config.
            var batches = JsonNode.Parse(File.ReadAllText(Path.Combine(results, r.Id, "config.json")))!["config"]!["generation_batches"]!;
            Assert.Equal(("length-sorted", 16), (batches["order"]!.GetValue<string>(), batches["batch_size"]!.GetValue<int>()));
        }
        var full = first.Single(r => r.Method == "full-prompt");
        Assert.All(first.Where(r => r.Method != "full-prompt"), r => Assert.True(r.InputTokensPerQuery < full.InputTokensPerQuery, r.Method));
        Assert.Equal(first.Single(r => r.Method == "query-only").InputTokensPerQuery, first.Single(r => r.Method == "promptintern").InputTokensPerQuery);

        var stamp = File.GetLastWriteTimeUtc(Path.Combine(results, full.Id, "metrics.json"));
        var again = runner.Run(setup, Methods.Select(MethodCatalog.Get).ToList(), 1337);
        Assert.Equal(first.Select(r => r.Id).Order(), again.Select(r => r.Id).Order());
        Assert.Equal(full.LatencyGc, again.Single(r => r.Method == "full-prompt").LatencyGc); // read back from metrics.json
        Assert.Equal(4, again.Single(r => r.Method == "full-prompt").BatchedWarmupQueries);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(results, full.Id, "metrics.json")));
        Assert.Equal(first.Count, ResultsTable.LoadAll(results).Count);
        Assert.Equal(first.Count, runner.Reused);
    }

    [Fact]
    public void Run_WithResultsLostButCheckpointsKept_EvaluatesTheTrainedModelsAgain()
    {
        // The GPU machine deletes untracked folders between calls but keeps checkpoints: a re-run then skips training
        // and must still query the trained models (a bug once queried the base model).
        var (modelDir, train, dev) = Fixture();
        var preset = MicroPreset with { LearningRate = 5e-3, Epochs = 4, Methods = ["query-only", "promptintern"] };
        var specs = preset.Methods.Select(MethodCatalog.Get).ToList();
        var setup = TaskSetup.Load(TaskName.Nl2Bash, preset, 1337, train, dev);
        var runs = TempDir();
        var (first, second) = (TempDir(), TempDir());
        _ = new ExperimentRunner(preset, first, runs) { ModelDirectory = modelDir }.Run(setup, specs, 1337);
        var rerun = new ExperimentRunner(preset, second, runs) { ModelDirectory = modelDir }.Run(setup, specs, 1337);

        string[] Predictions(string root, ExperimentResult r) => File.ReadAllLines(Path.Combine(root, r.Id, "predictions.jsonl"));
        foreach (var r in rerun) Assert.Equal(Predictions(first, r), Predictions(second, r));
        // Every train answer is a `head` command: the fine-tuned models answer with one, the random-init base never does.
        Assert.All(rerun.SelectMany(r => Predictions(second, r)),
            line => Assert.StartsWith("head", System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("prediction").GetString()));
    }

    [Fact]
    public void DeterministicTraining_IsItsOwnExperiment_RecordedInConfig_AndRepeatsExactly()
    {
        var (modelDir, train, dev) = Fixture();
        var preset = MicroPreset with { Methods = ["query-only"] };
        var specs = preset.Methods.Select(MethodCatalog.Get).ToList();
        var setup = TaskSetup.Load(TaskName.Nl2Bash, preset, 1337, train, dev);
        ExperimentResult Run(string results, bool deterministic) =>
            new ExperimentRunner(preset, results, TempDir()) { ModelDirectory = modelDir, DeterministicTraining = deterministic }.Run(setup, specs, 1337).Single();
        var (a, b, plain) = (TempDir(), TempDir(), TempDir());
        var first = Run(a, deterministic: true);
        var second = Run(b, deterministic: true);
        var byDefault = Run(plain, deterministic: false);

        Assert.Equal(first.Id, second.Id);
        Assert.NotEqual(byDefault.Id, first.Id); // never reused for, or mixed with, a default-kernel row
        Assert.Equal(first.FinalTrainLoss, second.FinalTrainLoss);
        Assert.Equal(File.ReadAllLines(Path.Combine(a, first.Id, "predictions.jsonl")), File.ReadAllLines(Path.Combine(b, second.Id, "predictions.jsonl")));
        bool Recorded(string root, ExperimentResult r) => System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, r.Id, "config.json")))
            .RootElement.GetProperty("config").GetProperty("deterministic_training").GetBoolean();
        Assert.True(Recorded(a, first));
        Assert.False(Recorded(plain, byDefault));
    }

    [Fact]
    public void ExperimentIds_AreStableAndChangeWithConfig()
    {
        var a = ExperimentId.For("quick", "nl2bash", "promptintern", "tiny", 1337, new { epochs = 4, rows = 400 });
        var b = ExperimentId.For("quick", "nl2bash", "promptintern", "tiny", 1337, new { epochs = 4, rows = 400 });
        var c = ExperimentId.For("quick", "nl2bash", "promptintern", "tiny", 1337, new { epochs = 5, rows = 400 });
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.StartsWith("quick-nl2bash-promptintern-tiny-s1337-", a);
    }

    [Fact]
    public void QuickPreset_CoversTheMainComparison()
    {
        Assert.Equal(["full-prompt", "llmlingua2", "query-only", "promptintern"], ReproducePreset.Quick.Methods);
        Assert.All(ReproducePreset.Full.Methods, m => MethodCatalog.Get(m));
        Assert.Equal(MethodCatalog.Names, ReproducePreset.Full.Methods);
        Assert.Throws<ArgumentException>(() => ReproducePreset.Get("huge"));
        Assert.Throws<ArgumentException>(() => MethodCatalog.Get("gist"));
    }
}
