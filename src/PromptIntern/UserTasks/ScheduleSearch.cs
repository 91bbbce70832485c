using System.Globalization;
using System.Text;
using PromptIntern.Experiments;
using PromptIntern.Scheduling;

namespace PromptIntern.UserTasks;

/// <summary>What the schedule search measured: every plan's layout, the tokens-vs-accuracy frontier, and the cheapest layout
/// within the tolerance of the full-prompt model.</summary>
public sealed record ScheduleSearchResult(string Task, IReadOnlyList<LayoutRow> Rows, IReadOnlyList<LayoutRow> Frontier, LayoutRow Recommended,
    double TolerancePoints)
{
    public static readonly string[] Columns = ["plan", "inference layout", "metric", "accuracy", "input tok/query", "latency ms (b=1)", "cost / 1M queries $", "frontier", "recommended"];

    public LayoutRow FullPrompt => Rows.First(r => r.Method == LayoutChoice.Baseline);

    public IReadOnlyList<string[]> Cells() => Rows.Select(r => new[]
    {
        r.Method, r.Layout, r.Metric, F(r.Accuracy, "0.0"), F(r.InputTokensPerQuery, "0.0"), F(r.LatencyMsMedian, "0.0"),
        F(r.CostPerMillionQueries, "0.00"), Frontier.Contains(r) ? "yes" : "", r == Recommended ? "yes" : "",
    }).ToList();

    public string ToMarkdown()
    {
        var sb = new StringBuilder("| " + string.Join(" | ", Columns) + " |\n|" + string.Concat(Columns.Select(_ => "---|")) + "\n");
        foreach (var row in Cells()) sb.Append("| ").Append(string.Join(" | ", row)).Append(" |\n");
        sb.Append($"\nRecommended: {Recommended.Method} ({Recommended.Layout}), the cheapest layout with {Recommended.Metric} within " +
                  $"{F(TolerancePoints, "0.#")} points of the full prompt's {F(FullPrompt.Accuracy, "0.0")}.\n");
        return sb.ToString();
    }

    public string ToCsv() => string.Join(",", Columns) + "\n" + string.Concat(Cells().Select(r => string.Join(",", r) + "\n"));

    static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}

/// <summary>Schedule search (beyond the paper): trains each plan of a <see cref="ScheduleGrid"/> on the user task, measures its
/// inference layout on a dev subset, and picks the cheapest layout within a tolerance of the full-prompt model.</summary>
public static class ScheduleSearch
{
    public static ScheduleSearchResult Run(UserTaskDefinition task, InternalizeOptions options, ScheduleGrid? grid = null,
        IProgress<ExperimentProgress>? progress = null)
    {
        var setup = UserTaskSetup.Load(task, options.Preset, options.Seed);
        var plans = (grid ?? ScheduleGrid.Default).Plans(options.Preset.Epochs);
        var methods = new List<MethodSpec> { MethodCatalog.Get(LayoutChoice.Baseline) };
        methods.AddRange(plans.Select(p => new MethodSpec(p.Name, p.Name, p.Description)));
        var results = options.Runner(plans.ToDictionary(p => p.Name), progress).Run(setup, methods, options.Seed);
        var metric = setup.Metric.MetricNames[0];
        var rows = methods.Select(m => LayoutRow.From(results.First(r => r.Method == m.Name), metric)).ToList();
        var result = new ScheduleSearchResult(task.Name, rows, LayoutChoice.Frontier(rows), LayoutChoice.Recommend(rows, options.TolerancePoints),
            options.TolerancePoints);
        Internalizer.Write(Path.Combine(options.OutputDirectory, "search"), result.ToMarkdown(), result.ToCsv(), task, options, setup, rows, plans);
        return result;
    }
}
