using PromptIntern.Data;

namespace PromptIntern.Evaluation;

/// <summary>Scores a task's predictions against its references (same order, one prediction per reference).</summary>
public interface ITaskMetric
{
    string Task { get; }

    /// <summary>Summary metric names, as the paper names them (e.g. <c>pass@1</c>, <c>BLEU</c>, <c>EM</c>).</summary>
    IReadOnlyList<string> MetricNames { get; }

    MetricReport Score(IReadOnlyList<TaskExample> references, IReadOnlyList<string> predictions);
}
