namespace PromptIntern.Experiments;

/// <summary>Numbers published by the PromptIntern authors, shown beside ours and always labelled as the paper's.
/// Source: the official repository's README (microsoft/PromptIntern), table "Comparison with prompt compression
/// baselines" (GPT-4 based), and the paper's abstract (arXiv 2407.02211 v2).</summary>
public static class PaperReference
{
    public const string Source = "PromptIntern (Zou et al., EMNLP 2024 Findings), official README table; GPT-4 based";

    /// <summary>The task's headline metric as the paper names it.</summary>
    public static string HeadlineMetric(string task) => task switch
    {
        Data.TaskName.Mbpp => "pass@1",
        Data.TaskName.Nl2Formula => "EM",
        Data.TaskName.Nl2Bash => "BLEU",
        _ => throw new ArgumentException($"unknown task '{task}'"),
    };

    /// <summary>Paper rows by our method name: the paper's "GPT-4 generation" row is its prompted baseline.</summary>
    static readonly Dictionary<(string Method, string Task), double> Table = new()
    {
        [("full-prompt", Data.TaskName.Mbpp)] = 61.8,
        [("full-prompt", Data.TaskName.Nl2Formula)] = 59.6,
        [("full-prompt", Data.TaskName.Nl2Bash)] = 59.5,
        [("llmlingua2", Data.TaskName.Mbpp)] = 72.5,
        [("llmlingua2", Data.TaskName.Nl2Formula)] = 70.4,
        [("llmlingua2", Data.TaskName.Nl2Bash)] = 62.8,
        [("promptintern", Data.TaskName.Mbpp)] = 78.1,
        [("promptintern", Data.TaskName.Nl2Formula)] = 81.4,
        [("promptintern", Data.TaskName.Nl2Bash)] = 70.5,
    };

    /// <summary>The paper's headline-metric value for a method on a task, when the paper reports one.</summary>
    public static double? Headline(string method, string task) => Table.TryGetValue((method, task), out var v) ? v : null;

    /// <summary>The paper's label for the row we compare against.</summary>
    public static string? RowLabel(string method) => method switch
    {
        "full-prompt" => "GPT-4 generation",
        "llmlingua2" => "LLMLingua-2",
        "promptintern" => "PromptIntern",
        _ => null,
    };

    /// <summary>Headline claims from the abstract: input-token reduction, inference speed-up, cost reduction.</summary>
    public const double TokenReductionPercent = 90.0;   // "more than 90%"
    public const double InferenceSpeedup = 4.2;          // "4.2x faster"
    public const double CostReductionPercent = 88.3;     // "88.3% lower cost"
}
