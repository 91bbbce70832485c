using System.Text.Json;

namespace PromptIntern.Tests.UserTasks;

/// <summary>Writes finished `reproduce` experiment folders in the shape of the committed ones under results/experiments
/// (metrics.json with its result record, config.json with the stages and the base's held-out perplexity, predictions.jsonl
/// with per-row scores), so study and base-comparison tests run on numbers they chose.</summary>
static class ReproducedExperiments
{
    /// <summary>One experiment of <paramref name="task"/> on base <paramref name="model"/>: corpus BLEU <paramref name="bleu"/> in
    /// metrics.json, the rows' sentence BLEU in predictions.jsonl; <paramref name="perplexity"/> null = a base never measured.</summary>
    public static string Write(string root, string model, string method, int seed, int trainRows, double bleu, IReadOnlyList<double> sentenceBleu,
        double? perplexity, string task = "nl2bash")
    {
        var preset = trainRows == 1000 ? "full" : $"full-n{trainRows}";
        var id = $"{preset}-{task}-{method}-{model}-s{seed}-00000000";
        var dir = Directory.CreateDirectory(Path.Combine(root, id)).FullName;
        var machine = new { hostname = "test", os = "test", cpu = "test", cpu_count = 1, gpus = Array.Empty<string>(), dotnet = ".NET", torch_env = new { } };
        var result = new Dictionary<string, object?>
        {
            ["id"] = id, ["task"] = task, ["method"] = method, ["plan"] = method, ["model"] = model, ["seed"] = seed, ["preset"] = preset,
            ["inference_layout"] = "query-only", ["eval_file"] = "dev.jsonl", ["eval_rows"] = sentenceBleu.Count,
            ["metrics"] = new Dictionary<string, double> { ["BLEU"] = bleu, ["command_acc"] = 0, ["template_acc"] = 0 },
            ["input_tokens_per_query"] = 25.0, ["output_tokens_per_query"] = 18.0, ["cost_tokenizer"] = "cl100k_base",
            ["priced_model"] = "gpt-3.5-turbo-ft", ["cost_per_1m_queries"] = 183.0, ["train_seconds"] = 10.0, ["train_tokens"] = 1000L * trainRows,
        };
        File.WriteAllText(Path.Combine(dir, "metrics.json"),
            JsonSerializer.Serialize(new Dictionary<string, object?> { ["result"] = result, ["commit"] = "0000000", ["machine"] = machine, ["date_utc"] = "2026-12-06T00:00:00Z" }));
        var heldout = perplexity is { } p
            ? new { perplexity = p, loss_nats_per_token = Math.Log(p), tokens = 65536, window = 512, held_out = "test dev splits" }
            : null;
        File.WriteAllText(Path.Combine(dir, "config.json"), JsonSerializer.Serialize(new
        {
            commit = "0000000", machine, date_utc = "2026-12-06T00:00:00Z",
            config = new { stages = new[] { new { Stage = 1, Name = "stage1", Examples = trainRows } }, base_heldout = heldout },
        }));
        File.WriteAllLines(Path.Combine(dir, "predictions.jsonl"), sentenceBleu.Select((s, i) => JsonSerializer.Serialize(new
        {
            id = $"{task}-{i:00000}", prompt_chars = 100, prediction = "ls", reference = "ls -l", scores = new { sentence_bleu = s, command_acc = 0, template_acc = 0 }, detail = "",
        })));
        return dir;
    }

    /// <summary>The same method on seeds 1, 2, 3 with the corpus BLEU of each seed and the same sentence BLEU rows.</summary>
    public static void ThreeSeeds(string root, string model, string method, int trainRows, double[] bleuBySeed, IReadOnlyList<double> sentenceBleu, double? perplexity)
    {
        for (int s = 0; s < 3; s++) Write(root, model, method, s + 1, trainRows, bleuBySeed[s], sentenceBleu, perplexity);
    }
}
