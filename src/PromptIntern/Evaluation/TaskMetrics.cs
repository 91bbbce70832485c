using PromptIntern.Data;
using PromptIntern.Evaluation.Formula;
using PromptIntern.Evaluation.Mbpp;
using PromptIntern.Evaluation.Nl2Bash;

namespace PromptIntern.Evaluation;

/// <summary>The entry point to the task metrics: <c>TaskMetrics.For("mbpp").Score(refs, preds)</c>.</summary>
public static class TaskMetrics
{
    /// <summary>The metric for a task; <paramref name="sandbox"/> configures MBPP execution (defaults: 10 s, 256 MB, isolated).</summary>
    public static ITaskMetric For(string task, SandboxOptions? sandbox = null) => TaskName.Parse(task) switch
    {
        TaskName.Nl2Bash => new Nl2BashMetric(),
        TaskName.Mbpp => new MbppMetric(sandbox ?? new SandboxOptions()),
        TaskName.Nl2Formula => new Nl2FormulaMetric(),
        var t => throw new ArgumentException($"no metric for task '{t}'"),
    };

    /// <summary>Throws unless there is exactly one prediction per reference.</summary>
    internal static void CheckAligned(IReadOnlyList<TaskExample> references, IReadOnlyList<string> predictions)
    {
        if (references.Count != predictions.Count)
            throw new ArgumentException($"{predictions.Count} predictions for {references.Count} references; they must pair one to one");
    }
}
