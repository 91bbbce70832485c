using PromptIntern.Data;
using PromptIntern.Experiments;
using PromptIntern.Provenance;
using PromptIntern.Scheduling;

namespace PromptIntern.UserTasks;

/// <summary>PromptIntern for a task a user brings: trains the full-prompt model, the query-only model and the internalized
/// model (the plan's stages, resumable), evaluates each on the dev rows, and recommends the cheapest layout within tolerance.</summary>
public static class Internalizer
{
    public const string QueryOnly = "query-only", Internalized = "promptintern";

    public static InternalizeResult Run(UserTaskDefinition task, InternalizeOptions options, IProgress<ExperimentProgress>? progress = null)
    {
        var setup = UserTaskSetup.Load(task, options.Preset, options.Seed);
        var plans = new Dictionary<string, InternalizationPlan> { [options.Plan.Name] = options.Plan };
        var methods = new List<MethodSpec>
        {
            MethodCatalog.Get(LayoutChoice.Baseline),
            MethodCatalog.Get(QueryOnly),
            new(Internalized, options.Plan.Name, $"PromptIntern with plan {options.Plan.Name}: {options.Plan.Description}"),
        };
        var results = options.Runner(plans, progress).Run(setup, methods, options.Seed);
        var metric = setup.Metric.MetricNames[0];
        var rows = methods.Select(m => LayoutRow.From(results.First(r => r.Method == m.Name), metric)).ToList();
        var result = new InternalizeResult(task.Name, options.Plan.Name, rows, LayoutChoice.Recommend(rows, options.TolerancePoints), options.TolerancePoints);
        Write(Path.Combine(options.OutputDirectory, "internalize"), result.ToMarkdown(), result.ToCsv(), task, options, setup, rows);
        return result;
    }

    /// <summary>table.md, table.csv and run.json (effective config, the experiment ids, commit, machine, date), atomically.</summary>
    internal static void Write(string dir, string markdown, string csv, UserTaskDefinition task, InternalizeOptions options, TaskSetup setup,
        IReadOnlyList<LayoutRow> rows, IReadOnlyList<InternalizationPlan>? plans = null)
    {
        AtomicFile.WriteAllText(Path.Combine(dir, "table.md"), markdown);
        AtomicFile.WriteAllText(Path.Combine(dir, "table.csv"), csv);
        AtomicFile.WriteAllText(Path.Combine(dir, "run.json"), RunProvenance.Capture(new Dictionary<string, object?>
        {
            ["task_file"] = task.SourceFile, ["task"] = task, ["preset"] = options.Preset, ["model_dir"] = options.ModelDirectory,
            ["plans"] = plans ?? [options.Plan], ["lora"] = options.Lora, ["compressor"] = options.Compressor, ["tolerance_points"] = options.TolerancePoints,
            ["seed"] = options.Seed, ["train_rows_used"] = setup.Train.Count, ["eval_rows"] = setup.Eval.Count,
            ["experiments"] = rows.Select(r => r.Result.Id).ToList(),
        }).ToJson());
    }
}
