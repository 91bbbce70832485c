using System.Globalization;
using System.Text;
using PromptIntern.Data;
using PromptIntern.Provenance;
using PromptIntern.Experiments;
using PromptIntern.Training;

namespace PromptIntern.UserTasks;

/// <summary>One row of a study: a method at one training-set size, over its seeds, with paired bootstrap intervals of its
/// difference to the full-prompt and to the query-only rows of the same size (same dev rows, same seeds). <see cref="MeanInterval"/>
/// is the row's own mean per-row score (sentence BLEU for BLEU rows) with its bootstrap interval, for curves with bands.</summary>
public sealed record StudyRow(int TrainRows, string Method, string Metric, double Mean, double? Sd, int Seeds,
    PairedDifference? VsFullPrompt, PairedDifference? VsQueryOnly, double TrainSeconds, double TrainTokens, PairedDifference? MeanInterval = null);

/// <summary>A study's table (rows by size, then method in catalogue order) and the base model's held-out perplexity, shown
/// beside it ("not measured" for bases without one).</summary>
public sealed record StudyTable(IReadOnlyList<StudyRow> Rows, HeldOutPerplexity? Base)
{
    public static readonly string[] Columns =
        ["train rows", "method", "metric", "mean ± sd (seeds)", "Δ vs full prompt [95% CI]", "Δ vs query-only [95% CI]", "vs query-only", "train s", "train tokens"];

    public static StudyTable From(IReadOnlyList<StudyCell> cells, HeldOutPerplexity? basePerplexity)
    {
        var order = MethodCatalog.Names.ToList();
        var rows = new List<StudyRow>();
        foreach (var size in cells.GroupBy(c => c.TrainRows).OrderBy(g => g.Key))
        {
            var byMethod = size.GroupBy(c => c.Result.Method).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var (method, group) in byMethod.OrderBy(kv => order.IndexOf(kv.Key) is var i && i >= 0 ? i : int.MaxValue).ThenBy(kv => kv.Key))
            {
                var metric = group[0].Result.Metrics.Keys.First();
                var scores = group.Select(c => c.Result.Metrics.GetValueOrDefault(metric)).ToList();
                PairedDifference? Against(string reference) => method == reference || !byMethod.TryGetValue(reference, out var refs) ? null
                    : ExampleScores.Compare(Dirs(group), Dirs(refs), metric);
                rows.Add(new StudyRow(size.Key, method, metric, scores.Average(), Sd(scores), group.Count, Against(LayoutChoice.Baseline),
                    Against(Internalizer.QueryOnly), group.Average(c => c.Result.TrainSeconds), group.Average(c => (double)c.Result.TrainTokens),
                    ExampleScores.Mean(Dirs(group), metric)));
            }
        }
        return new StudyTable(rows, basePerplexity);
    }

    static IReadOnlyDictionary<int, string> Dirs(IEnumerable<StudyCell> cells) =>
        cells.GroupBy(c => c.Result.Seed).ToDictionary(g => g.Key, g => g.First().Directory);

    static double? Sd(IReadOnlyList<double> xs)
    {
        if (xs.Count < 2) return null;
        var mean = xs.Average();
        return Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1));
    }

    public IReadOnlyList<string[]> Cells() => Rows.Select(r => new[]
    {
        r.TrainRows.ToString(CultureInfo.InvariantCulture), r.Method, r.Metric,
        StudyText.MeanSd(r.Mean, r.Sd, r.Seeds), Interval(r.VsFullPrompt), Interval(r.VsQueryOnly),
        r.VsQueryOnly?.Verdict ?? "", F(r.TrainSeconds, "0"), F(r.TrainTokens, "0"),
    }).ToList();

    static string Interval(PairedDifference? d) => d?.Interval ?? "";

    /// <summary>The line every study table carries about its base model.</summary>
    public string BaseLine => HeldOutPerplexity.Describe(Base);

    /// <summary>The base's held-out perplexity as a number with two decimals, or "not measured".</summary>
    public static string Perplexity(HeldOutPerplexity? p) => p is null ? "not measured" : F(p.Perplexity, "0.00");

    public string ToMarkdown() => new StringBuilder().AppendLine($"_{BaseLine}_").AppendLine()
        .AppendMarkdownTable(Columns, Cells()).AppendIntervalNotes(Rows.Any(r => r.Metric == "BLEU")).ToString();

    /// <summary>What the table says about beating query-only fine-tuning, for a README block: the <see cref="Verdict"/>, the
    /// base line, then each (size, method) with its paired interval. Generated, so the sentence always matches the cells.</summary>
    public string Findings(string task)
    {
        var sb = new StringBuilder().AppendLine(Verdict(task)).AppendLine().AppendLine($"_{BaseLine}_").AppendLine();
        foreach (var r in Rows.Where(r => r.VsQueryOnly is not null))
            sb.AppendLine($"- {r.TrainRows} rows, {r.Method}: {r.Metric} {F(r.Mean)} vs query-only " +
                          $"{F(Rows.First(q => q.TrainRows == r.TrainRows && q.Method == Internalizer.QueryOnly).Mean)} " +
                          $"over {r.VsQueryOnly!.Seeds} paired seed(s) × {r.VsQueryOnly.Rows} dev rows: Δ {r.VsQueryOnly.Interval}, {r.VsQueryOnly.Verdict}.");
        return sb.ToString();
    }

    /// <summary>One sentence: which methods beat query-only fine-tuning where (95% interval above zero), or that none did,
    /// with the sizes and seeds measured and how many comparisons were worse.</summary>
    public string Verdict(string task)
    {
        var compared = Rows.Where(r => r.VsQueryOnly is not null).ToList();
        if (compared.Count == 0) return $"No {task} cell has a query-only partner yet.";
        var wins = compared.Where(r => r.VsQueryOnly!.Sign > 0).ToList();
        int fewest = compared.Min(r => r.VsQueryOnly!.Seeds), most = compared.Max(r => r.VsQueryOnly!.Seeds);
        var measured = $"{string.Join(", ", compared.Select(r => r.TrainRows).Distinct())} rows; " +
                       $"{(fewest == most ? $"{most}" : $"{fewest}–{most}")} paired seed(s)";
        var worse = $"{compared.Count(r => r.VsQueryOnly!.Sign < 0)} of {compared.Count} comparisons are worse";
        return wins.Count == 0
            ? $"On {task}, no method beat query-only fine-tuning at any training-set size measured ({measured}): {worse}, the rest have intervals that include zero."
            : $"On {task} ({measured}), beating query-only fine-tuning (95% interval above zero): " +
              string.Join("; ", wins.Select(r => $"{r.Method} at {r.TrainRows} rows ({r.VsQueryOnly!.Interval})")) + $"; {worse}.";
    }

    /// <summary>The table as CSV, each row also carrying the base's held-out perplexity (a CSV has no caption to hold it).</summary>
    public string ToCsv() => StudyText.Csv([.. Columns, BasePerplexityColumn], Cells().Select(c => (string[])[.. c, Perplexity(Base)]));

    public const string BasePerplexityColumn = "base held-out perplexity";

    /// <summary>summary.md, summary.csv and run.json (config, commit, machine, date) into <paramref name="dir"/>, atomically.</summary>
    public void Write(string dir, IReadOnlyDictionary<string, object?> config)
    {
        AtomicFile.WriteAllText(Path.Combine(dir, "summary.md"), ToMarkdown());
        AtomicFile.WriteAllText(Path.Combine(dir, "summary.csv"), ToCsv());
        AtomicFile.WriteAllText(Path.Combine(dir, "run.json"), RunProvenance.Capture(config).ToJson());
    }

    static string F(double v, string format = "0.0") => StudyText.F(v, format);
}
