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
        var series = table.Rows.Where(r => r.VsQueryOnly is not null).GroupBy(r => r.Method).Select(g =>
        {
            var rows = g.OrderBy(r => r.TrainRows).ToList();
            return new BandSeries(g.Key, rows.Select(r => (double)r.TrainRows).ToList(), rows.Select(r => r.VsQueryOnly!.Mean).ToList(),
                rows.Select(r => r.VsQueryOnly!.Lower).ToList(), rows.Select(r => r.VsQueryOnly!.Upper).ToList());
        }).ToList();
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
}
