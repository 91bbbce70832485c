using System.Globalization;
using System.Text;

namespace PromptIntern.Experiments;

/// <summary>The main job's short table, one per task: each method's score from this run beside the committed reference
/// and the paper's, with the token, speed and cost columns the paper's claims are about. It fits 120 columns; every
/// other column is in <see cref="ResultsTable"/>. With no run rows it is the reference alone (the README's table).</summary>
public sealed class ComparisonTable
{
    ComparisonTable(string task, string metric, IReadOnlyList<string> columns, IReadOnlyList<string[]> cells)
    {
        Task = task; Metric = metric; Columns = columns; Cells = cells;
    }

    public string Task { get; }
    public string Metric { get; }
    public IReadOnlyList<string> Columns { get; }
    public IReadOnlyList<string[]> Cells { get; }

    /// <summary>One table per task. The token, speed and cost columns come from <paramref name="yours"/> when given,
    /// else from <paramref name="reference"/>; seeds are averaged as in <see cref="ResultsTable.From"/>.</summary>
    public static IReadOnlyList<ComparisonTable> Build(IReadOnlyList<ExperimentResult>? yours, IReadOnlyList<ExperimentResult> reference)
    {
        var mine = yours is null ? null : ResultsTable.From(yours).Rows;
        var refs = ResultsTable.From(reference).Rows;
        var main = mine ?? refs;
        var tables = new List<ComparisonTable>();
        foreach (var task in main.GroupBy(r => r.Task))
        {
            string[] columns = mine is null
                ? ["method", "ours", "paper", "tok/query", "tok saved", "speed-up", "cost saved"]
                : ["method", "yours", "reference", "paper", "tok/query", "tok saved", "speed-up", "cost saved"];
            var cells = task.Select(r =>
            {
                var score = Score(r);
                var reference = refs.FirstOrDefault(x => x.Task == r.Task && x.Method == r.Method && x.Model == r.Model);
                var front = mine is null ? new[] { r.Method, score } : [r.Method, score, reference is null ? "-" : Score(reference)];
                return front.Concat([F(r.PaperScore), F(r.InputTokens), Pct(r.TokenReductionPct), Times(r.BatchedSpeedup), Pct(r.CostSavingPct)]).ToArray();
            }).ToList();
            tables.Add(new ComparisonTable(task.Key, task.First().Headline, columns, cells));
        }
        return tables;
    }

    /// <summary>What the score columns hold, e.g. "nl2bash, BLEU".</summary>
    public string Title => $"{Task}, {Metric}";

    /// <summary>What the other columns mean (printed under the table).</summary>
    public const string Caption = "paper: the GPT-4 rows of the official PromptIntern README; tok saved, speed-up (batched " +
        "dev-set generation) and cost saved (1M queries, fine-tuned GPT-3.5 prices) are relative to the full-prompt row; ± is the sd over seeds.";

    public string ToMarkdown()
    {
        var sb = new StringBuilder()
            .AppendLine("| " + string.Join(" | ", Columns) + " |")
            .AppendLine("|" + string.Concat(Columns.Select((_, i) => i == 0 ? "---|" : "---:|")));
        foreach (var row in Cells) sb.AppendLine("| " + string.Join(" | ", row) + " |");
        return sb.ToString();
    }

    static string Score(ResultsRow r) => F(r.Score) + (r.ScoreSd is { } sd ? " ± " + F(sd) : "");
    static string F(double? v) => v is { } x && !double.IsNaN(x) ? x.ToString("0.0", CultureInfo.InvariantCulture) : "";
    static string Times(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "";
    static string Pct(double? v) => v is { } x ? F(x) + "%" : "";
}
