using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace PromptIntern.Figures;

/// <summary>One group of bars: a legend name and a value per category (categories may differ between series; a series
/// simply has no bar where it has no value, e.g. the paper reports only some methods).</summary>
public sealed record BarSeries(string Name, IReadOnlyList<string> Categories, IReadOnlyList<double> Values)
{
    public BarSeries Validate()
    {
        ChartStyle.CheckSeries($"bar series '{Name}'", Categories.Count, "categories", Values.Count, "values", "bars");
        return this;
    }
}

/// <summary>A group of bars, each with its interval (lower and upper ends, drawn as an error bar).</summary>
public sealed record IntervalBarSeries(string Name, IReadOnlyList<string> Categories, IReadOnlyList<double> Values, IReadOnlyList<double> Lower, IReadOnlyList<double> Upper)
{
    public IntervalBarSeries Validate()
    {
        ChartStyle.CheckSeries($"bar series '{Name}'", Categories.Count, "categories", Values.Count, "values", "bars");
        ChartStyle.CheckSeries($"bar series '{Name}'", Values.Count, "values", Lower.Count, "lower ends", "bars");
        ChartStyle.CheckSeries($"bar series '{Name}'", Values.Count, "values", Upper.Count, "upper ends", "bars");
        return this;
    }
}

/// <summary>Grouped column charts as the notebooks draw them: axis titles with units, a legend, the value printed on each
/// bar, and dashed horizontal reference lines (e.g. a paper's claim) named in the legend.</summary>
public static class BarCharts
{
    /// <summary>Builds the chart; categories appear in first-seen order across the series. Reference lines span all categories.</summary>
    public static GenericChart Build(string title, string xTitle, string yTitle,
        IEnumerable<BarSeries> series, IEnumerable<ReferenceLine>? references = null, string valueFormat = "0.##")
    {
        var groups = series.Select(s => s.Validate()).ToList();
        if (groups.Count == 0) throw new ArgumentException("a bar chart needs at least one series", nameof(series));
        var categories = groups.SelectMany(s => s.Categories).Distinct().ToList();
        var traces = groups
            .Select(s => Chart.Column<double, string, string>(values: s.Values, Keys: s.Categories.ToArray(), Name: s.Name, ShowLegend: true,
                MultiText: s.Values.Select(v => v.ToString(valueFormat, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                TextPosition: StyleParam.TextPosition.Outside))
            .Concat((references ?? []).Select(r => ChartStyle.Reference(r, categories[0], categories[^1])));
        return ChartStyle.Combine(traces, title, xTitle, yTitle);
    }

    /// <summary>Grouped columns with an error bar on each (e.g. a 95% interval), categories in first-seen order; no value is
    /// printed on the bars, where the error bars would cross it.</summary>
    public static GenericChart WithIntervals(string title, string xTitle, string yTitle, IEnumerable<IntervalBarSeries> series)
    {
        var groups = series.Select(s => s.Validate()).ToList();
        if (groups.Count == 0) throw new ArgumentException("a bar chart needs at least one series", nameof(series));
        var traces = groups.Select(s => Plotly.NET.Chart.withYErrorStyle<double, double>(null, Some(StyleParam.ErrorType.Data), Some(false),
                Some<IEnumerable<double>>(s.Upper.Zip(s.Values, (u, v) => u - v).ToList()), Some<IEnumerable<double>>(s.Values.Zip(s.Lower, (v, l) => v - l).ToList()),
                null, null, null, null, null, null, null, null)
            .Invoke(Chart.Column<double, string, string>(values: s.Values, Keys: s.Categories.ToArray(), Name: s.Name, ShowLegend: true)));
        return ChartStyle.Combine(traces, title, xTitle, yTitle);
    }

    static Microsoft.FSharp.Core.FSharpOption<T> Some<T>(T value) => Microsoft.FSharp.Core.FSharpOption<T>.Some(value);
}
