using System.Text.RegularExpressions;
using PromptIntern.Absorption;
using PromptIntern.Curriculum;
using PromptIntern.Data;
using PromptIntern.Evaluation;
using PromptIntern.Prompts;
using PromptIntern.Text;

namespace PromptIntern.Experiments;

/// <summary>Everything a task's experiments share: the train subset, the evaluation rows, the (preset-capped) template,
/// the BM25 retriever over the whole train split, and the task's query/answer format.</summary>
public sealed record TaskSetup(string Task, IReadOnlyList<TaskExample> Train, IReadOnlyList<TaskExample> Eval, string Template,
    IExampleRetriever Retriever, TaskTextFormat Format, string TrainFile, string EvalFile)
{
    /// <summary>Loads the task's data for a preset. Train rows are a seeded sample; evaluation rows the first N in file order.</summary>
    public static TaskSetup Load(string task, ReproducePreset preset, int seed, string? trainFile = null, string? evalFile = null)
    {
        task = TaskName.Parse(task);
        trainFile ??= KitPaths.Split(task, "train");
        evalFile ??= KitPaths.Split(task, "dev");
        var allTrain = TaskRows.CheckFit(task, JsonlDataset.Load(trainFile), trainFile);
        var eval = TaskRows.CheckFit(task, JsonlDataset.Load(evalFile), evalFile);
        var rng = new Random(seed);
        var train = preset.TrainRows > 0 && preset.TrainRows < allTrain.Count
            ? allTrain.OrderBy(e => e.Id, StringComparer.Ordinal).OrderBy(_ => rng.Next()).Take(preset.TrainRows).ToList()
            : allTrain;
        if (preset.EvalRows > 0) eval = eval.Take(preset.EvalRows).ToList();
        var template = TemplateCap.Apply(TaskTemplates.Get(task), preset.TemplateTokenCap, CostTokenizer.O200k);
        var format = new TaskTextFormat(e => TaskFormat.QueryText(task, e), e => TaskFormat.AnswerText(task, e));
        var retriever = new Bm25Retriever(allTrain);
        return new TaskSetup(task, train, eval, template, retriever, format, trainFile, evalFile);
    }

    /// <summary>A user task's metric (Tasks.UserTaskDefinition); null = the built-in task's metric.</summary>
    public ITaskMetric? CustomMetric { get; init; }

    /// <summary>A user task's forced spans; null = the built-in task's (TaskTemplates.ForcedSpans).</summary>
    public IReadOnlyList<string>? CustomForcedSpans { get; init; }

    /// <summary>Whether an answer is one line (generation stops at the newline); null = all built-in tasks but MBPP.</summary>
    public bool? CustomOneLineAnswers { get; init; }

    /// <summary>The metric that scores this task's predictions.</summary>
    public ITaskMetric Metric => CustomMetric ?? TaskMetrics.For(Task);

    public bool OneLineAnswers => CustomOneLineAnswers ?? Task != TaskName.Mbpp;

    /// <summary>Cuts a generated continuation to the prediction (built-in tasks: TaskFormat.ExtractPrediction).</summary>
    public string ExtractPrediction(string generated) => CustomExtractor?.Invoke(generated) ?? TaskFormat.ExtractPrediction(Task, generated);

    /// <summary>A user task's prediction extractor; null = the built-in task's (TaskFormat.ExtractPrediction).</summary>
    public Func<string, string>? CustomExtractor { get; init; }

    /// <summary>Literal spans a compressor must keep in this task's prompts: the template's forced spans and the prompt markers.</summary>
    public IReadOnlyList<string> ForceKeepSpans =>
        (CustomForcedSpans ?? TaskTemplates.ForcedSpans(Task)).Append(PromptRenderer.QueryMarker).Append(PromptRenderer.AnswerMarker).Distinct().ToList();

    /// <summary><see cref="ForceKeepSpans"/> as the regular expressions a <c>CompressionRequest</c> takes.</summary>
    public IReadOnlyList<string> ForceKeepPatterns => ForceKeepSpans.Select(Regex.Escape).ToList();
}
