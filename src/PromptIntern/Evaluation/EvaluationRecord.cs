using System.Globalization;
using System.Text;
using System.Text.Json;
using PromptIntern.Data;
using PromptIntern.Provenance;

namespace PromptIntern.Evaluation;

/// <summary>Writes a scored run to a folder: <c>examples.jsonl</c> (one line per example), <c>summary.json</c> (metrics +
/// provenance + config), <c>summary.csv</c> and <c>summary.md</c>. The folder appears whole or not at all.</summary>
public static class EvaluationRecord
{
    // Code and formulas stay readable (no \u003C for '<'); the files are data, never embedded in HTML.
    static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IReadOnlyList<string> Write(string directory, MetricReport report, RunProvenance provenance)
    {
        var target = Path.GetFullPath(directory);
        AtomicFolder.Write(target, staging =>
        {
            File.WriteAllLines(Path.Combine(staging, "examples.jsonl"), report.Examples.Select(ExampleJson));
            File.WriteAllText(Path.Combine(staging, "summary.json"), SummaryJson(report, provenance));
            File.WriteAllText(Path.Combine(staging, "summary.csv"), SummaryCsv(report, provenance));
            File.WriteAllText(Path.Combine(staging, "summary.md"), SummaryMarkdown(report, provenance));
        });
        return new[] { "examples.jsonl", "summary.json", "summary.csv", "summary.md" }.Select(f => Path.Combine(target, f)).ToList();
    }

    static string ExampleJson(ExampleScore e)
    {
        var o = new Dictionary<string, object?> { ["id"] = e.Id, ["prediction"] = e.Prediction, ["reference"] = e.Reference };
        foreach (var (k, v) in e.Scores) o[k] = v;
        if (e.Detail.Length > 0) o["detail"] = e.Detail;
        foreach (var (k, v) in e.Fields) o[k] = v;
        return JsonSerializer.Serialize(o, Readable);
    }

    static string SummaryJson(MetricReport r, RunProvenance p) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["task"] = r.Task,
        ["examples"] = r.Examples.Count,
        ["metrics"] = r.MetricNames.ToDictionary(n => n, n => Math.Round(r.Metrics[n], 4)),
        ["provenance"] = p,
    }, new JsonSerializerOptions(Readable) { WriteIndented = true });

    static string SummaryCsv(MetricReport r, RunProvenance p)
    {
        var inv = CultureInfo.InvariantCulture;
        var header = new[] { "task", "examples" }.Concat(r.MetricNames).Concat(["commit", "machine", "date_utc"]);
        var row = new[] { r.Task, r.Examples.Count.ToString(inv) }
            .Concat(r.MetricNames.Select(n => r.Metrics[n].ToString("0.####", inv)))
            .Concat([p.Commit, p.Machine.ToString(), p.DateUtc]);
        return string.Join(',', header.Select(Csv)) + "\n" + string.Join(',', row.Select(Csv)) + "\n";
    }

    static string Csv(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    static string SummaryMarkdown(MetricReport r, RunProvenance p)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine($"| task | examples | {string.Join(" | ", r.MetricNames)} |");
        sb.AppendLine($"|---|---|{string.Concat(r.MetricNames.Select(_ => "---|"))}");
        sb.AppendLine($"| {r.Task} | {r.Examples.Count} | {string.Join(" | ", r.MetricNames.Select(n => r.Metrics[n].ToString("0.0#", inv)))} |");
        sb.AppendLine();
        sb.AppendLine($"commit {p.Commit}{(p.CommitDirty == true ? " (uncommitted changes)" : "")}; machine {p.Machine}; date {p.DateUtc} (UTC)");
        if (p.Config.Count > 0) sb.AppendLine($"config: {string.Join("; ", p.Config.Select(kv => $"{kv.Key}={kv.Value}"))}");
        return sb.ToString();
    }
}
