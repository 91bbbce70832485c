using System.Text.Json;
using PromptIntern.Training;

namespace PromptIntern.Experiments;

/// <summary>For the report: each method's paired bootstrap interval of its difference to the full-prompt row of the same
/// task, preset and base model (same dev rows, seeds paired), and each base model's held-out perplexity.</summary>
public static class FullPromptDifferences
{
    const string FullPrompt = "full-prompt";

    /// <summary>Intervals keyed by (task, method, preset, model); rows without a full-prompt partner on a shared seed have none.</summary>
    public static IReadOnlyDictionary<(string Task, string Method, string Preset, string Model), PairedDifference> Compute(
        IReadOnlyList<(ExperimentResult Result, string Directory)> cells)
    {
        var intervals = new Dictionary<(string, string, string, string), PairedDifference>();
        foreach (var table in cells.GroupBy(c => (c.Result.Task, c.Result.Preset, c.Result.Model)))
        {
            var byMethod = table.GroupBy(c => c.Result.Method).ToDictionary(g => g.Key, Dirs);
            if (!byMethod.TryGetValue(FullPrompt, out var full)) continue;
            var headline = Data.TaskName.All.Contains(table.Key.Task) ? PaperReference.HeadlineMetric(table.Key.Task) : table.First().Result.Metrics.Keys.First();
            foreach (var (method, dirs) in byMethod.Where(kv => kv.Key != FullPrompt))
                if (ExampleScores.Compare(dirs, full, headline) is { } d)
                    intervals[(table.Key.Task, method, table.Key.Preset, table.Key.Model)] = d;
        }
        return intervals;
    }

    /// <summary>Folders by seed, of the cells that kept their per-row scores (predictions.jsonl).</summary>
    static IReadOnlyDictionary<int, string> Dirs(IEnumerable<(ExperimentResult Result, string Directory)> cells) =>
        cells.Where(c => File.Exists(Path.Combine(c.Directory, "predictions.jsonl")))
            .GroupBy(c => c.Result.Seed).ToDictionary(g => g.Key, g => g.First().Directory);

    /// <summary>The held-out perplexity of the base a result ran on: as its config.json recorded it (base_heldout), else the
    /// heldout.json of the kit's model folder of that name (data/models/&lt;model&gt;); null = not measured.</summary>
    public static HeldOutPerplexity? BasePerplexity(string experimentDirectory, string model)
    {
        var config = Path.Combine(experimentDirectory, "config.json");
        if (File.Exists(config))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(config));
            if (doc.RootElement.TryGetProperty("config", out var c) && c.TryGetProperty("base_heldout", out var h) && h.ValueKind == JsonValueKind.Object)
                return h.Deserialize<HeldOutPerplexity>();
        }
        var local = Path.Combine(Data.KitPaths.Data, "models", model);
        return Directory.Exists(local) ? HeldOutPerplexity.Read(local) : null;
    }
}
