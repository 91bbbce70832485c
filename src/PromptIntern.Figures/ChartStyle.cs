using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace PromptIntern.Figures;

/// <summary>A horizontal line at a value reported elsewhere (e.g. the paper's), drawn dashed and named in the legend.</summary>
public sealed record ReferenceLine(string Label, double Y);

/// <summary>What every kit chart shares: dashed reference lines named in the legend, one title and axis titles with units.</summary>
static class ChartStyle
{
    /// <summary>Throws unless a series has one value per key and at least one of each.</summary>
    public static void CheckSeries(string series, int keys, string keyNoun, int values, string valueNoun, string itemNoun)
    {
        if (keys != values) throw new ArgumentException($"{series} has {keys} {keyNoun} but {values} {valueNoun}");
        if (keys == 0) throw new ArgumentException($"{series} has no {itemNoun}");
    }

    /// <summary>The reference line as a dashed trace from <paramref name="from"/> to <paramref name="to"/> on the x axis.</summary>
    public static GenericChart Reference<TX>(ReferenceLine line, TX from, TX to) where TX : IConvertible =>
        Chart.Line<TX, double, string>(x: [from, to], y: [line.Y, line.Y], Name: line.Label, ShowLegend: true,
            LineDash: StyleParam.DrawingStyle.Dash, LineWidth: 1.5);

    /// <summary>The traces as one chart with its title and axis titles.</summary>
    public static GenericChart Combine(IEnumerable<GenericChart> traces, string title, string xTitle, string yTitle) =>
        Plotly.NET.Chart.withTitle(title, null).Invoke(Chart.Combine(traces))
            .WithXAxisStyle<double, double, string>(TitleText: xTitle)
            .WithYAxisStyle<double, double, string>(TitleText: yTitle);
}
