using System.Globalization;
using System.Text;
using System.Text.Json;
using PromptIntern.Data;

namespace PromptIntern.Experiments;

/// <summary>Assembles every finished experiment under results/ into one table per preset (saved by the caller) and the
/// README's results section: per preset and base model, ours beside the paper's numbers, PromptIntern's token, latency and
/// cost savings, and where the rows were run (machine, commit, date) as their metrics.json files record it.</summary>
public static class ResultsReport
{
    /// <summary>Hands each preset's table to <paramref name="saveTable"/> (the CLI writes results/report/&lt;preset&gt;.{csv,md})
    /// and returns the README section text.</summary>
    public static string Write(string resultsRoot, string provenanceLine, Action<string, IReadOnlyList<ResultsRow>> saveTable)
    {
        var (results, provenance) = Load(resultsRoot);
        var sb = new StringBuilder();
        foreach (var preset in results.Select(r => r.Preset).Distinct().OrderBy(p => p == "full" ? 0 : 1))
        {
            var inPreset = results.Where(r => r.Preset == preset).ToList();
            saveTable(preset, ResultsTable.From(inPreset).Rows);
            var intervals = FullPromptDifferences.Compute(inPreset.Select(r => (r, provenance[r.Id].Directory)).ToList());
            // Newest base model first: a later run of the same preset supersedes, the earlier stays for comparison.
            foreach (var model in inPreset.GroupBy(r => r.Model).OrderByDescending(g => g.Max(r => provenance.GetValueOrDefault(r.Id)?.Date ?? "")))
            {
                var table = ResultsTable.From(model);
                sb.AppendLine($"#### Preset `{preset}`, base model `{model.Key}` (dev splits)").AppendLine();
                sb.AppendLine(RunLine(model.Select(r => provenance.GetValueOrDefault(r.Id)).OfType<RowProvenance>().ToList())).AppendLine();
                sb.AppendLine($"_{Training.HeldOutPerplexity.Describe(FullPromptDifferences.BasePerplexity(provenance[model.First().Id].Directory, model.Key))}_").AppendLine();
                sb.AppendLine("| task | method | metric | ours ± sd (seeds) | Δ vs full prompt [95% CI] | paper (GPT-4) | input tok/query | token reduction | latency ms (b=1) | speed-up (b=1) | batched speed-up | cost / 1M queries | cost saving |");
                sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
                foreach (var r in table.Rows)
                    sb.AppendLine($"| {r.Task} | {r.Method} | {r.Headline} | {F(r.Score)}{(r.ScoreSd is { } sd ? " ± " + F(sd) : "")} ({r.Seeds}) | {Interval(intervals.GetValueOrDefault((r.Task, r.Method, r.Preset, r.Model)))} | {F(r.PaperScore)} | {F(r.InputTokens)} | {Pct(r.TokenReductionPct)} | {F(r.LatencyMs)} | {Times(r.Speedup)} | {Times(r.BatchedSpeedup)} | ${F(r.CostPerMillion, "0")} | {Pct(r.CostSavingPct)} |");
                sb.AppendLine();
            }
        }
        if (sb.Length > 0) sb.AppendLine(IntervalNote).AppendLine();
        if (sb.Length == 0) sb.AppendLine("No finished experiments under results/ yet: run `./promptintern reproduce`.");
        sb.AppendLine(provenanceLine);
        return sb.ToString();
    }

    sealed record RowProvenance(string Commit, bool Dirty, string Date, string Device, string? Attention, string Directory);

    const string IntervalNote = "Δ vs full prompt: the row's mean minus the full-prompt row's over the same dev rows and seeds, with a 95% paired " +
        "bootstrap interval (seeds and rows resampled; BLEU rows compare mean sentence BLEU); a row is better or worse than the full prompt " +
        "only where the interval excludes zero.";

    /// <summary>"+1.2 [−0.4, +2.9] better" style cell; empty without an interval.</summary>
    static string Interval(PairedDifference? d) => d is null ? "" : d.Interval + (d.Sign == 0 ? "" : " " + d.Verdict);

    static string RunLine(IReadOnlyList<RowProvenance> rows)
    {
        if (rows.Count == 0) return "_Run details: not recorded._";
        string List(IEnumerable<string> xs) => string.Join(", ", xs.Distinct().Order(StringComparer.Ordinal));
        var attention = rows.Select(r => r.Attention).OfType<string>().ToList();
        return $"_Run on {List(rows.Select(r => r.Device))}; {List(rows.Select(r => r.Date[..Math.Min(10, r.Date.Length)]))}; " +
               $"commit {List(rows.Select(r => (r.Commit.Length > 10 ? r.Commit[..10] : r.Commit) + (r.Dirty ? " (with uncommitted changes)" : "")))}" +
               (attention.Count == 0 ? "" : $"; attention {List(attention)}") + "._" +
               (attention.Any(a => a != FlashFirst) ? $"{Environment.NewLine}{Environment.NewLine}_{CudnnCaveat}_" : "");
    }

    /// <summary>The attention order of a GPU result whose latency columns are free of cuDNN plan builds.</summary>
    public const string FlashFirst = "flash first";

    /// <summary>The GPU results under <paramref name="resultsRoot"/> that ran with <see cref="FlashFirst"/>: the only GPU
    /// rows whose latency columns can be compared (one read of each metrics.json, as the report's).</summary>
    public static IReadOnlyList<ExperimentResult> MeasuredFlashFirst(string resultsRoot)
    {
        var (results, runs) = Load(resultsRoot);
        return results.Where(r => runs.GetValueOrDefault(r.Id)?.Attention == FlashFirst).ToList();
    }

    const string CudnnCaveat = "Latency columns: rows not run with flash attention first may carry cuDNN attention plan builds, one per " +
        "attention shape a process had not run yet (recent PyTorch on Hopper puts cuDNN first unless TORCH_CUDNN_SDPA_DEPRIORITIZED=1); " +
        "read their b=1 and batched timings as unreliable.";

    /// <summary>The SDPA backend order a GPU run used, from the environment its provenance records (null on CPU).</summary>
    static string? AttentionOrder(JsonElement machine, bool gpu)
    {
        if (!gpu) return null;
        if (!machine.TryGetProperty("torch_env", out var env) || env.ValueKind != JsonValueKind.Object) return "order not recorded";
        return env.TryGetProperty("TORCH_CUDNN_SDPA_DEPRIORITIZED", out var v) && v.GetString() == "1" ? FlashFirst : "cuDNN first (PyTorch default)";
    }

    /// <summary>Every finished experiment under <paramref name="resultsRoot"/> (as <see cref="ResultsTable.LoadAll"/>) and,
    /// by id, the commit, date, device (first GPU, else CPU) and GPU attention order its metrics.json records: one read of each file.</summary>
    static (List<ExperimentResult> Results, Dictionary<string, RowProvenance> Runs) Load(string resultsRoot)
    {
        var results = new List<ExperimentResult>();
        var runs = new Dictionary<string, RowProvenance>(StringComparer.Ordinal);
        if (!Directory.Exists(resultsRoot)) return (results, runs);
        var studies = Path.Combine(Path.GetFullPath(resultsRoot), "when-it-pays") + Path.DirectorySeparatorChar;
        foreach (var path in Directory.EnumerateFiles(resultsRoot, "metrics.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            // A study's cells are tabled by `study` itself (results/when-it-pays/<task>/summary.md, with paired intervals).
            if (Path.GetFullPath(path).StartsWith(studies, StringComparison.Ordinal)) continue;
            var row = JsonFile.Read<(ExperimentResult Result, RowProvenance Run)?>(path, root =>
            {
                if (!root.TryGetProperty("result", out var element) || element.Deserialize<ExperimentResult>() is not { } result) return null;
                string Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
                var machine = root.TryGetProperty("machine", out var m) ? m : default;
                var gpu = machine.ValueKind == JsonValueKind.Object && machine.TryGetProperty("gpus", out var g) && g.GetArrayLength() > 0
                    ? g[0].GetString()!.Split(',')[0] : null;
                var device = gpu ?? (machine.ValueKind == JsonValueKind.Object ? $"CPU ({Text(machine, "cpu")})" : "unknown");
                // metrics.json carries commit, machine and date; whether the tree was dirty is in config.json beside it.
                var config = Path.Combine(Path.GetDirectoryName(path)!, "config.json");
                var dirty = File.Exists(config) && IsDirty(config);
                return (Result: result, Run: new RowProvenance(Text(root, "commit") is { Length: > 0 } commit ? commit : "unknown", dirty, Text(root, "date_utc"), device,
                    AttentionOrder(machine, gpu is not null), Path.GetDirectoryName(path)!));
            });
            if (row is not { } r) continue;
            results.Add(r.Result);
            runs[r.Result.Id] = r.Run;
        }
        return (results, runs);
    }

    static bool IsDirty(string configPath) =>
        JsonFile.Read(configPath, root => root.TryGetProperty("commit_dirty", out var d) && d.ValueKind == JsonValueKind.True);

    static string F(double? v, string format = "0.0") => v is { } x && !double.IsNaN(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "";
    static string Times(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "";
    static string Pct(double? v) => v is { } x ? F(x) + "%" : "";
}
