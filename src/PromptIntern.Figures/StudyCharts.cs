using PromptIntern.Experiments;
using PromptIntern.UserTasks;

namespace PromptIntern.Figures;

/// <summary>The when-it-pays study's figures (the core library stays free of Plotly.NET).</summary>
public static class StudyCharts
{
    /// <summary>Each method's difference to query-only fine-tuning against the training-set size, with its 95% paired
    /// bootstrap band; above the dashed zero line the method beats query-only.</summary>
    public static Plotly.NET.GenericChart DifferenceToQueryOnly(this StudyTable table, string task)
    {
        var metric = table.Rows.FirstOrDefault()?.Metric ?? "score";
        var series = BySize(table, r => r.VsQueryOnly);
        if (series.Count == 0) throw new ArgumentException("no method has a query-only row to compare with at any size");
        return BandCharts.Build($"{task}: {metric} minus query-only fine-tuning's, by training-set size", "train rows", $"Δ {metric} (points, 95% CI)",
            series, [new ReferenceLine("query-only (Δ = 0)", 0)]);
    }

    /// <summary>Each method's mean score against the training-set size; the band is ± one standard deviation over seeds.</summary>
    public static Plotly.NET.GenericChart Scores(this StudyTable table, string task)
    {
        var metric = table.Rows.FirstOrDefault()?.Metric ?? "score";
        return BandCharts.Build($"{task}: {metric} by training-set size (mean ± sd over seeds)", "train rows", $"{metric} (0–100)",
            table.Rows.GroupBy(r => r.Method).Select(g =>
            {
                var rows = g.OrderBy(r => r.TrainRows).ToList();
                return new BandSeries(g.Key, rows.Select(r => (double)r.TrainRows).ToList(), rows.Select(r => r.Mean).ToList(),
                    rows.Select(r => r.Mean - (r.Sd ?? 0)).ToList(), rows.Select(r => r.Mean + (r.Sd ?? 0)).ToList());
            }));
    }

    /// <summary>The data-efficiency curve: each method's mean row score (sentence BLEU on BLEU rows, the scale its interval is
    /// on) against the training-set size on a log axis, with its 95% bootstrap band; the title names the base's perplexity.</summary>
    public static Plotly.NET.GenericChart DataEfficiency(this StudyTable table, string title)
    {
        var metric = RowScore(table.Rows.FirstOrDefault()?.Metric ?? "score");
        var series = BySize(table, r => r.MeanInterval);
        if (series.Count == 0) throw new ArgumentException("no row has per-row scores (predictions.jsonl) to draw");
        return BandCharts.Build($"{title} (base held-out perplexity {StudyTable.Perplexity(table.Base)}): {metric} by training-set size",
            "train rows (log scale)", $"{metric} (0–100, 95% CI)", series, logX: true);
    }

    /// <summary>Each method's mean row score on each base of a comparison, the error bar its 95% bootstrap interval; the x axis
    /// names each base with its held-out perplexity.</summary>
    public static Plotly.NET.GenericChart ScoresByBase(this BaseComparison comparison)
    {
        var metric = RowScore(comparison.Rows.FirstOrDefault()?.Metric ?? "score");
        var oneSize = comparison.Rows.Select(r => r.TrainRows).Distinct().Count() == 1;
        var series = comparison.Rows.Where(r => r.PerBase.All(s => s.MeanInterval is not null)).Select(r => new IntervalBarSeries(
            oneSize ? r.Method : $"{r.Method}, {r.TrainRows} rows", comparison.Bases.Select(b => b.Caption).ToList(),
            r.PerBase.Select(s => s.MeanInterval!.Mean).ToList(), r.PerBase.Select(s => s.MeanInterval!.Lower).ToList(),
            r.PerBase.Select(s => s.MeanInterval!.Upper).ToList())).ToList();
        if (series.Count == 0) throw new ArgumentException("no row has per-row scores (predictions.jsonl) on every base to draw");
        return BarCharts.WithIntervals($"{comparison.Task}: {metric} by base (95% CI)", "base (held-out perplexity)", $"{metric} (0–100)", series);
    }

    /// <summary>One curve per method against the training-set size: the interval <paramref name="pick"/> chooses, its mean as
    /// the point and its ends as the band, over the rows that have one.</summary>
    static List<BandSeries> BySize(StudyTable table, Func<StudyRow, PairedDifference?> pick) =>
        table.Rows.Where(r => pick(r) is not null).GroupBy(r => r.Method).Select(g =>
        {
            var points = g.OrderBy(r => r.TrainRows).Select(r => (Rows: (double)r.TrainRows, Interval: pick(r)!)).ToList();
            return new BandSeries(g.Key, points.Select(p => p.Rows).ToList(), points.Select(p => p.Interval.Mean).ToList(),
                points.Select(p => p.Interval.Lower).ToList(), points.Select(p => p.Interval.Upper).ToList());
        }).ToList();

    static string RowScore(string metric) => metric == "BLEU" ? "mean sentence BLEU" : metric;
}
