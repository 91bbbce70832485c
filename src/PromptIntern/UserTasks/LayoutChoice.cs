using PromptIntern.Experiments;

namespace PromptIntern.UserTasks;

/// <summary>One measured inference layout of a user task: the trained model, what it reads per query, how well it answers,
/// and what it costs.</summary>
public sealed record LayoutRow(string Method, string Layout, string Metric, double Accuracy, double InputTokensPerQuery,
    double LatencyMsMedian, double CostPerMillionQueries, ExperimentResult Result)
{
    public static LayoutRow From(ExperimentResult r, string metric) => new(r.Method, r.InferenceLayout, metric,
        r.Metrics.GetValueOrDefault(metric), r.InputTokensPerQuery, r.LatencyMsMedian, r.CostPerMillionQueries, r);
}

/// <summary>Picks the layout to deploy: the cheapest one whose accuracy is within a tolerance of the full-prompt model's.</summary>
public static class LayoutChoice
{
    public const string Baseline = "full-prompt";

    /// <summary>Rows whose accuracy is at least the full-prompt row's minus <paramref name="tolerancePoints"/> (metric points,
    /// 0–100), cheapest first (cost per 1M queries, then input tokens); the full-prompt row always qualifies.</summary>
    public static LayoutRow Recommend(IReadOnlyList<LayoutRow> rows, double tolerancePoints)
    {
        var baseline = rows.FirstOrDefault(r => r.Method == Baseline) ?? throw new ArgumentException($"no '{Baseline}' row to compare with");
        return rows.Where(r => r.Accuracy >= baseline.Accuracy - tolerancePoints)
            .OrderBy(r => r.CostPerMillionQueries).ThenBy(r => r.InputTokensPerQuery).ThenBy(r => r.Method, StringComparer.Ordinal).First();
    }

    /// <summary>The Pareto frontier on (input tokens ↓, accuracy ↑): rows no other row beats on both, by tokens ascending.</summary>
    public static IReadOnlyList<LayoutRow> Frontier(IReadOnlyList<LayoutRow> rows)
    {
        var frontier = new List<LayoutRow>();
        foreach (var r in rows.OrderBy(r => r.InputTokensPerQuery).ThenByDescending(r => r.Accuracy))
            if (frontier.Count == 0 || r.Accuracy > frontier[^1].Accuracy) frontier.Add(r);
        return frontier;
    }
}
