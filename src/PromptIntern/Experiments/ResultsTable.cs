using System.Globalization;
using System.Text;
using System.Text.Json;
using PromptIntern.Data;

namespace PromptIntern.Experiments;

/// <summary>One row of the reproduce/report table: a method's accuracy, tokens, latency and cost, compared with the
/// same task's full-prompt row, and the paper's number for that row when it has one (labelled as the paper's).
/// <c>ScoreSd</c> is the sample standard deviation over seeds (null for one seed); the batched columns time the whole dev set
/// at the generation batch size (answers stop at their stop sequence), the latency columns one query at batch size 1.</summary>
public sealed record ResultsRow(string Task, string Method, string Preset, string Model, string Headline, double Score, double? ScoreSd,
    string OtherMetrics, double InputTokens, double? TokenReductionPct, double LatencyMs, double? Speedup,
    double BatchedMsPerQuery, double? BatchedSpeedup, double CostPerMillion, double? CostSavingPct, double? PaperScore, string PaperRow, int Seeds);

/// <summary>Builds the comparison table from experiment results (seeds averaged) and renders it as CSV or Markdown.</summary>
public sealed class ResultsTable(IReadOnlyList<ResultsRow> rows)
{
    public IReadOnlyList<ResultsRow> Rows { get; } = rows;

    public static readonly string[] Columns =
    [
        "task", "method", "preset", "model", "metric", "ours", "± sd", "other metrics", "input tok/query", "token reduction %",
        "latency ms (b=1)", "speed-up", "batched ms/query", "batched speed-up", "cost / 1M queries $", "cost saving %", "paper (GPT-4)", "paper row", "seeds",
    ];

    /// <summary>Rows for <paramref name="results"/>, grouped by (task, method, preset, model) with seeds averaged.</summary>
    public static ResultsTable From(IEnumerable<ExperimentResult> results)
    {
        var groups = results.GroupBy(r => (r.Task, r.Method, r.Preset, r.Model)).ToList();
        var rows = new List<ResultsRow>();
        foreach (var g in groups)
        {
            // A user task (Tasks.UserTaskDefinition) has no paper metric: its first metric is the headline.
            var headline = Data.TaskName.All.Contains(g.Key.Task) ? PaperReference.HeadlineMetric(g.Key.Task) : g.First().Metrics.Keys.First();
            double Mean(Func<ExperimentResult, double> f) => g.Average(f);
            var baseline = groups.FirstOrDefault(b => b.Key == (g.Key.Task, "full-prompt", g.Key.Preset, g.Key.Model));
            double? Relative(Func<ExperimentResult, double> f, bool inverse)
            {
                if (baseline == null) return null;
                var b = baseline.Average(f); var v = Mean(f);
                return inverse ? (v == 0 ? null : b / v) : (b == 0 ? null : 100 * (1 - v / b));
            }
            var others = g.First().Metrics.Keys.Where(k => k != headline)
                .Select(k => $"{k} {g.Average(r => r.Metrics.GetValueOrDefault(k)).ToString("0.0", CultureInfo.InvariantCulture)}");
            rows.Add(new ResultsRow(g.Key.Task, g.Key.Method, g.Key.Preset, g.Key.Model, headline,
                Mean(r => r.Metrics.GetValueOrDefault(headline)), SampleSd(g.Select(r => r.Metrics.GetValueOrDefault(headline)).ToList()),
                string.Join("; ", others), Mean(r => r.InputTokensPerQuery), Relative(r => r.InputTokensPerQuery, false),
                Mean(r => r.LatencyMsMedian), Relative(r => r.LatencyMsMedian, true),
                Mean(r => r.BatchedMsPerQuery), Relative(r => r.BatchedMsPerQuery, true),
                Mean(r => r.CostPerMillionQueries), Relative(r => r.CostPerMillionQueries, false),
                PaperReference.Headline(g.Key.Method, g.Key.Task), PaperReference.RowLabel(g.Key.Method) ?? "", g.Count()));
        }
        var order = MethodCatalog.Names.ToList();
        return new ResultsTable(rows.OrderBy(r => r.Task).ThenBy(r => r.Preset)
            .ThenBy(r => order.IndexOf(r.Method) is var i && i >= 0 ? i : int.MaxValue).ThenBy(r => r.Method).ToList());
    }

    static double? SampleSd(IReadOnlyList<double> xs)
    {
        if (xs.Count < 2) return null;
        var mean = xs.Average();
        return Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1));
    }

    /// <summary>Every finished experiment under <paramref name="resultsRoot"/> (folders holding a metrics.json).</summary>
    public static IReadOnlyList<ExperimentResult> LoadAll(string resultsRoot) =>
        Directory.Exists(resultsRoot)
            ? Directory.EnumerateFiles(resultsRoot, "metrics.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Select(LoadResult).OfType<ExperimentResult>().ToList()
            : [];

    /// <summary>The result inside an experiment's metrics.json; null for metrics files of other kinds (e.g. eval runs).</summary>
    public static ExperimentResult? LoadResult(string metricsPath)
    {
        return JsonFile.Read(metricsPath, root => root.TryGetProperty("result", out var r) ? r.Deserialize<ExperimentResult>() : null);
    }

    public IReadOnlyList<string[]> Cells() => Rows.Select(r => new[]
    {
        r.Task, r.Method, r.Preset, r.Model, r.Headline, F(r.Score, "0.0"), F(r.ScoreSd, "0.0"), r.OtherMetrics, F(r.InputTokens, "0.0"),
        F(r.TokenReductionPct, "0.0"), F(r.LatencyMs, "0.0"), Times(r.Speedup), F(r.BatchedMsPerQuery, "0.0"), Times(r.BatchedSpeedup),
        F(r.CostPerMillion, "0.00"),
        F(r.CostSavingPct, "0.0"), F(r.PaperScore, "0.0"), r.PaperRow, r.Seeds.ToString(CultureInfo.InvariantCulture),
    }).ToList();

    public string ToCsv()
    {
        var sb = new StringBuilder().AppendLine(string.Join(",", Columns.Select(Csv)));
        foreach (var row in Cells()) sb.AppendLine(string.Join(",", row.Select(Csv)));
        return sb.ToString();
    }

    public string ToMarkdown()
    {
        var sb = new StringBuilder()
            .AppendLine("| " + string.Join(" | ", Columns) + " |")
            .AppendLine("|" + string.Concat(Enumerable.Repeat("---|", Columns.Length)));
        foreach (var row in Cells()) sb.AppendLine("| " + string.Join(" | ", row.Select(c => c.Replace("|", "\\|"))) + " |");
        sb.AppendLine().AppendLine($"Paper column: {PaperReference.Source}. Token reduction, speed-up and cost saving are relative to the same task's full-prompt row.");
        return sb.ToString();
    }

    static string Times(double? v) => v is { } x ? F(x, "0.00") + "x" : "";
    static string F(double? v, string format) => v is { } x && !double.IsNaN(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "";
    static string Csv(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
