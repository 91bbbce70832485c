using PromptIntern.Data;

namespace PromptIntern.Evaluation;

/// <summary>A metric scored example by example: predictions aligned with references, each (reference, trimmed prediction)
/// scored on its own, then summarised; by default each summary metric is its per-example 0/1 score's mean, in percent.</summary>
public abstract class PerExampleMetric(string task, IReadOnlyList<string> metricNames) : ITaskMetric
{
    public string Task => task;
    public IReadOnlyList<string> MetricNames => metricNames;

    public MetricReport Score(IReadOnlyList<TaskExample> references, IReadOnlyList<string> predictions)
    {
        TaskMetrics.CheckAligned(references, predictions);
        var examples = references.Select((r, i) => ScoreExample(r, predictions[i].Trim())).ToList();
        return new MetricReport(Task, Summarise(examples), examples);
    }

    protected abstract ExampleScore ScoreExample(TaskExample reference, string prediction);

    protected virtual Dictionary<string, double> Summarise(IReadOnlyList<ExampleScore> examples) =>
        MetricNames.ToDictionary(name => name, name => Percent(examples, name));

    /// <summary>The mean of a per-example 0/1 score, in percent (0 for no examples).</summary>
    protected static double Percent(IReadOnlyList<ExampleScore> examples, string key) =>
        examples.Count == 0 ? 0 : 100 * examples.Average(e => e.Scores[key]);
}
