using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace PromptIntern.Figures;

/// <summary>One measured curve: a legend name and its points.</summary>
public sealed record LineSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    public LineSeries Validate()
    {
        ChartStyle.CheckSeries($"series '{Name}'", X.Count, "x values", Y.Count, "y values", "points");
        return this;
    }
}

/// <summary>Line charts as the notebooks draw them: axis titles with units, a legend, and dashed reference lines.</summary>
public static class LineCharts
{
    /// <summary>
    /// Builds the chart. Axis titles should carry units, e.g. "training tokens (millions)"; reference lines span the
    /// x range of the series and appear in the legend under their label (say "paper: PromptIntern, 41.3").
    /// </summary>
    public static GenericChart Build(
        string title, string xTitle, string yTitle,
        IEnumerable<LineSeries> series, IEnumerable<ReferenceLine>? references = null)
    {
        var curves = series.Select(s => s.Validate()).ToList();
        if (curves.Count == 0) throw new ArgumentException("a line chart needs at least one series", nameof(series));
        var xMin = curves.Min(s => s.X.Min());
        var xMax = curves.Max(s => s.X.Max());

        var traces = curves
            .Select(s => Chart.Line<double, double, string>(x: s.X, y: s.Y, ShowMarkers: true, Name: s.Name, ShowLegend: true))
            .Concat((references ?? []).Select(r => ChartStyle.Reference(r, xMin, xMax)));
        return ChartStyle.Combine(traces, title, xTitle, yTitle);
    }
}
