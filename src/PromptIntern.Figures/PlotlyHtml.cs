using System.Reflection;
using Plotly.NET;

namespace PromptIntern.Figures;

/// <summary>Turns a Plotly.NET chart into HTML that works offline: plotly.js (embedded in Plotly.NET) is inlined
/// instead of Plotly.NET's default CDN reference.</summary>
public static class PlotlyHtml
{
    const string ScriptResource = "Plotly.NET.plotly-2.28.0.min.js";
    static readonly Lazy<string> Script = new(LoadScript);

    /// <summary>The plotly.js source shipped inside Plotly.NET.dll.</summary>
    public static string PlotlyJs => Script.Value;

    /// <summary>A whole HTML document (head, body) showing the chart; nothing is fetched from the network.</summary>
    public static string ToStandaloneHtml(GenericChart chart) => GenericChart.toEmbeddedHTML(Inline(chart));

    /// <summary>A &lt;div&gt; plus scripts that draw the chart, plotly.js included (about 3.6 MB): a notebook output
    /// that renders offline on its own, whatever ran before it.</summary>
    public static string ToSelfContainedFragment(GenericChart chart) =>
        $"<script type=\"text/javascript\">{PlotlyJs}</script>\n{GenericChart.toChartHTML(chart)}";

    /// <summary>The same chart with plotly.js referenced as <see cref="PlotlyJSReference.Full"/> (inlined).</summary>
    public static GenericChart Inline(GenericChart chart) =>
        GenericChart.addDisplayOptions(DisplayOptions.setPlotlyReference(PlotlyJSReference.Full).Invoke(new DisplayOptions()), chart);

    static string LoadScript()
    {
        var assembly = typeof(GenericChart).Assembly;
        using var stream = assembly.GetManifestResourceStream(ScriptResource)
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} has no embedded {ScriptResource}; Plotly.NET's version changed?");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
