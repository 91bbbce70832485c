namespace PromptIntern.Evaluation;

/// <summary>How one prediction scored: its metric values (per example 0/1, or 0–100 for sentence BLEU), a short note, and
/// task-specific text fields (e.g. MBPP's sandbox reason and output excerpts).</summary>
public sealed record ExampleScore(string Id, string Prediction, string Reference, IReadOnlyDictionary<string, double> Scores, string Detail = "")
{
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();
}

/// <summary>A task's scores for a set of predictions: the summary metrics under the paper's names, plus per-example results.</summary>
public sealed record MetricReport(string Task, IReadOnlyDictionary<string, double> Metrics, IReadOnlyList<ExampleScore> Examples)
{
    /// <summary>Metric names in the order a table should show them.</summary>
    public IReadOnlyList<string> MetricNames { get; init; } = Metrics.Keys.ToList();
}
