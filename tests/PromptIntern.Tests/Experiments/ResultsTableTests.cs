using System.Text.Json;
using PromptIntern.Experiments;
using Xunit;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;

namespace PromptIntern.Tests.Experiments;

public class ResultsTableTests
{
    static ExperimentResult Result(string method, int seed, double bleu, double batchedMs, string model = "nano") => new()
    {
        Id = $"full-nl2bash-{method}-{model}-s{seed}", Task = "nl2bash", Method = method, Plan = method, Model = model, Seed = seed,
        Preset = "full", InferenceLayout = "query-only", EvalFile = "dev.jsonl", EvalRows = 10,
        Metrics = new Dictionary<string, double> { ["BLEU"] = bleu }, InputTokensPerQuery = method == "full-prompt" ? 2000 : 20,
        CostTokenizer = "cl100k_base", LatencyMsMedian = 50, BatchedMsPerQuery = batchedMs, PricedModel = "gpt-3.5-turbo-ft",
        CostPerMillionQueries = 100,
    };

    [Fact]
    public void From_AveragesSeeds_WithSampleStandardDeviation_AndBatchedSpeedupAgainstFullPrompt()
    {
        var table = ResultsTable.From([
            Result("full-prompt", 1337, 10, 40), Result("full-prompt", 1338, 14, 40),
            Result("promptintern", 1337, 8, 10), Result("promptintern", 1338, 12, 10), Result("promptintern", 1339, 10, 10),
        ]);
        var full = table.Rows.Single(r => r.Method == "full-prompt");
        var pi = table.Rows.Single(r => r.Method == "promptintern");
        Assert.Equal(12, full.Score, 9);
        Assert.Equal(Math.Sqrt(8), full.ScoreSd!.Value, 9);      // (10-12)² + (14-12)² over n-1 = 1
        Assert.Equal(3, pi.Seeds);
        Assert.Equal(2, pi.ScoreSd!.Value, 9);                   // 8, 12, 10: sum of squares 8 over n-1 = 2 → sd 2
        Assert.Equal(4, pi.BatchedSpeedup!.Value, 9);
        Assert.Equal(99, pi.TokenReductionPct!.Value, 9);
        Assert.Null(ResultsTable.From([Result("promptintern", 1337, 8, 10)]).Rows.Single().ScoreSd);
    }

    [Fact]
    public void Report_GivesEachBaseModelItsOwnTable_WithWhereItRan()
    {
        var root = TempDir();
        void Write(ExperimentResult r, string commit, string gpu, bool dirty)
        {
            var dir = Directory.CreateDirectory(Path.Combine(root, r.Id)).FullName;
            var machine = new Dictionary<string, object> { ["gpus"] = new[] { $"{gpu}, 143771 MiB" }, ["cpu"] = "x" };
            // The H200 rows record flash attention first; the H100 row predates torch_env and records no order.
            if (gpu == "NVIDIA H200") machine["torch_env"] = new Dictionary<string, string> { ["TORCH_CUDNN_SDPA_DEPRIORITIZED"] = "1" };
            File.WriteAllText(Path.Combine(dir, "metrics.json"), JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["result"] = r, ["commit"] = commit, ["date_utc"] = "2026-11-27T10:00:00Z", ["machine"] = machine,
            }));
            File.WriteAllText(Path.Combine(dir, "config.json"), JsonSerializer.Serialize(new { commit, commit_dirty = dirty }));
        }
        Write(Result("full-prompt", 1337, 10, 40, "nano"), "0123456789abcdef", "NVIDIA H200", dirty: true);
        Write(Result("promptintern", 1337, 9, 10, "nano"), "0123456789abcdef", "NVIDIA H200", dirty: true);
        Write(Result("full-prompt", 1337, 11, 40, "small"), "fedcba9876543210", "NVIDIA H100", dirty: false);
        // A study's cells are tabled by `study`, not by the report.
        var cell = Result("query-only", 1337, 5, 10, "tiny") with { Preset = "study-n50" };
        Write(cell with { Id = Path.Combine("when-it-pays", "t", "results", cell.Id) }, "fedcba9876543210", "NVIDIA H100", dirty: false);

        var saved = new List<(string Preset, int Rows)>();
        var section = ResultsReport.Write(root, "provenance", (preset, rows) => saved.Add((preset, rows.Count)));

        Assert.Contains("#### Preset `full`, base model `nano`", section);
        Assert.Contains("#### Preset `full`, base model `small`", section);
        Assert.Contains("_Run on NVIDIA H200; 2026-11-27; commit 0123456789 (with uncommitted changes); attention flash first._\n", section);
        Assert.Contains("_Run on NVIDIA H100; 2026-11-27; commit fedcba9876; attention order not recorded._", section);
        // Only the table whose timings may carry cuDNN plan builds gets the caveat.
        Assert.Single(section.Split("read their b=1 and batched timings as unreliable")[..^1]);
        Assert.Contains("attention order not recorded._\n\n_Latency columns: rows not run with flash attention first", section);
        Assert.Contains("| 4.00x |", section);
        Assert.Equal([("full", 3)], saved);
        // Notebook 06 plots GPU latency only for the rows this calls flash first.
        Assert.Equal(["full-nl2bash-full-prompt-nano-s1337", "full-nl2bash-promptintern-nano-s1337"],
            ResultsReport.MeasuredFlashFirst(root).Select(r => r.Id).Order());
    }

    [Fact]
    public void Report_GivesEachRowItsPairedIntervalAgainstTheFullPrompt_AndTheBasesPerplexity()
    {
        var root = TempDir();
        void Write(ExperimentResult r, double[] sentenceBleu, object? heldout = null)
        {
            var dir = Directory.CreateDirectory(Path.Combine(root, r.Id)).FullName;
            File.WriteAllText(Path.Combine(dir, "metrics.json"), JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["result"] = r, ["commit"] = "0123456789abcdef", ["date_utc"] = "2026-11-27T10:00:00Z", ["machine"] = new { cpu = "x", gpus = Array.Empty<string>() },
            }));
            File.WriteAllText(Path.Combine(dir, "config.json"), JsonSerializer.Serialize(new { commit = "0123456789abcdef", config = new { base_heldout = heldout } }));
            File.WriteAllLines(Path.Combine(dir, "predictions.jsonl"),
                sentenceBleu.Select((b, i) => JsonSerializer.Serialize(new { id = $"r{i}", scores = new { sentence_bleu = b } })));
        }
        var heldout = new PromptIntern.Training.HeldOutPerplexity(21.5, Math.Log(21.5), 4096, 512, "dev splits");
        Write(Result("full-prompt", 1337, 10, 40), [10, 10, 10, 10], heldout);
        Write(Result("query-only", 1337, 30, 10), [30, 30, 30, 30], heldout);
        Write(Result("promptintern", 1337, 11, 10), [0, 20, 10, 14], heldout);
        Write(Result("full-prompt", 1337, 10, 40, "other"), [10, 10, 10, 10]);
        Write(Result("query-only", 1337, 30, 10, "other"), [30, 30, 30, 30]);

        var section = ResultsReport.Write(root, "provenance", (_, _) => { });

        Assert.Contains("| Δ vs full prompt [95% CI] |", section);
        Assert.Contains("| nl2bash | query-only | BLEU | 30.0 (1) | +20.0 [+20.0, +20.0] better |", section);
        Assert.Matches(@"\| nl2bash \| promptintern \| BLEU \| 11\.0 \(1\) \| \+1\.0 \[−[0-9.]+, \+[0-9.]+\] \|", section);
        Assert.Contains("_Base model's held-out perplexity: 21.50 (4,096 tokens of dev splits, 512-token windows)._", section);
        Assert.Contains("_Base model's held-out perplexity: not measured._", section);
    }
}
