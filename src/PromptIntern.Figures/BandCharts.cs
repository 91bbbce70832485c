using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace PromptIntern.Figures;

/// <summary>A curve with a confidence band: its points and, per point, the interval's lower and upper ends.</summary>
public sealed record BandSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<double> Lower, IReadOnlyList<double> Upper)
{
    public BandSeries Validate()
    {
        if (X.Count == 0) throw new ArgumentException($"series '{Name}' has no points");
        if (new[] { Y.Count, Lower.Count, Upper.Count }.Any(n => n != X.Count))
            throw new ArgumentException($"series '{Name}': {X.Count} x values but {Y.Count} y, {Lower.Count} lower and {Upper.Count} upper values");
        return this;
    }
}

/// <summary>Line charts whose curves carry shaded confidence bands (one colour per curve), plus dashed reference lines.</summary>
public static class BandCharts
{
    static readonly (int R, int G, int B)[] Palette = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75)];

    /// <summary>The chart; <paramref name="logX"/> draws the x axis on a log scale (e.g. training-set sizes 30 … 3,000).</summary>
    public static GenericChart Build(string title, string xTitle, string yTitle, IEnumerable<BandSeries> series, IEnumerable<ReferenceLine>? references = null,
        bool logX = false)
    {
        var curves = series.Select(s => s.Validate()).ToList();
        if (curves.Count == 0) throw new ArgumentException("a band chart needs at least one series", nameof(series));
        var traces = new List<GenericChart>();
        for (int i = 0; i < curves.Count; i++)
        {
            var s = curves[i];
            var (r, g, b) = Palette[i % Palette.Length];
            // The band is one closed polygon: along the upper ends, back along the lower ends, filled.
            traces.Add(Chart.Line<double, double, string>(x: [.. s.X, .. s.X.Reverse()], y: [.. s.Upper, .. s.Lower.Reverse()],
                Name: $"{s.Name}: 95% CI", ShowLegend: false, LineWidth: 0, Fill: StyleParam.Fill.ToSelf,
                FillColor: Color.fromString($"rgba({r},{g},{b},0.18)")));
            traces.Add(Chart.Line<double, double, string>(x: s.X, y: s.Y, ShowMarkers: true, Name: s.Name, ShowLegend: true,
                LineColor: Color.fromString($"rgb({r},{g},{b})")));
        }
        var xMin = curves.Min(s => s.X.Min());
        var xMax = curves.Max(s => s.X.Max());
        traces.AddRange((references ?? []).Select(line => Chart.Line<double, double, string>(x: [xMin, xMax], y: [line.Y, line.Y],
            Name: line.Label, ShowLegend: true, LineDash: StyleParam.DrawingStyle.Dash, LineWidth: 1.5)));
        var chart = Plotly.NET.Chart.withTitle(title, null).Invoke(Chart.Combine(traces))
            .WithXAxisStyle<double, double, string>(TitleText: xTitle)
            .WithYAxisStyle<double, double, string>(TitleText: yTitle);
        return logX ? chart.WithXAxisStyle<double, double, string>(TitleText: xTitle, AxisType: StyleParam.AxisType.Log) : chart;
    }
}
