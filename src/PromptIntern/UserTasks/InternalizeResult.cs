using System.Globalization;
using System.Text;

namespace PromptIntern.UserTasks;

/// <summary>What internalizing a user task measured: one row per layout (full prompt, query-only fine-tuning, the
/// internalized model) and the recommended one.</summary>
public sealed record InternalizeResult(string Task, string Plan, IReadOnlyList<LayoutRow> Rows, LayoutRow Recommended, double TolerancePoints)
{
    public static readonly string[] Columns =
        ["method", "inference layout", "metric", "accuracy", "input tok/query", "latency ms (b=1)", "cost / 1M queries $", "recommended"];

    public IReadOnlyList<string[]> Cells() => Rows.Select(r => new[]
    {
        r.Method, r.Layout, r.Metric, F(r.Accuracy, "0.0"), F(r.InputTokensPerQuery, "0.0"), F(r.LatencyMsMedian, "0.0"),
        F(r.CostPerMillionQueries, "0.00"), r == Recommended ? "yes" : "",
    }).ToList();

    public string ToMarkdown()
    {
        var sb = new StringBuilder("| " + string.Join(" | ", Columns) + " |\n|" + string.Concat(Columns.Select(_ => "---|")) + "\n");
        foreach (var row in Cells()) sb.Append("| ").Append(string.Join(" | ", row.Select(c => c.Replace("|", "\\|")))).Append(" |\n");
        sb.Append('\n').Append(RecommendationText).Append('\n');
        return sb.ToString();
    }

    public string ToCsv() => string.Join(",", Columns) + "\n" + string.Concat(Cells().Select(r => string.Join(",", r.Select(Csv)) + "\n"));

    /// <summary>One sentence: the recommended layout and why.</summary>
    public string RecommendationText
    {
        get
        {
            var full = Rows.First(r => r.Method == LayoutChoice.Baseline);
            return $"Recommended layout: {Recommended.Method} ({Recommended.Layout}): {F(Recommended.InputTokensPerQuery, "0.0")} input tokens/query " +
                   $"vs {F(full.InputTokensPerQuery, "0.0")} for the full prompt, {Recommended.Metric} {F(Recommended.Accuracy, "0.0")} vs {F(full.Accuracy, "0.0")} " +
                   $"(tolerance {F(TolerancePoints, "0.#")} points).";
        }
    }

    static string F(double v, string format) => double.IsNaN(v) ? "" : v.ToString(format, CultureInfo.InvariantCulture);
    static string Csv(string s) => s.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
