using PromptIntern.Figures;
using PromptIntern.Notebooks;
using Xunit;

namespace PromptIntern.Tests.Notebooks;

public sealed class NotebookChartHtmlTests
{
    [Fact]
    public void ShippedBasicBundle_IsThePlotlyJsVersionPlotlyNetDraws()
    {
        Assert.Contains($"plotly.js v{NotebookChartHtml.PlotlyVersion}", PlotlyHtml.PlotlyJs[..400]);
    }

    [Fact]
    public void Base85_RoundTrips_AndUsesNoCharacterThatJsonOrHtmlEscapes()
    {
        var bytes = Enumerable.Range(0, 1001).Select(i => (byte)(i * 37 % 256)).ToArray();
        var text = NotebookChartHtml.Base85(bytes);

        Assert.Equal(0, text.Length % 5);
        Assert.Equal(bytes, Decode(text)[..bytes.Length]);
        Assert.Equal(85, NotebookChartHtml.Base85Digits.Distinct().Count());
        Assert.DoesNotContain(NotebookChartHtml.Base85Digits, c => c is '"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`' || char.IsWhiteSpace(c));
    }

    [Fact]
    public void Loader_CarriesTheBundleOnce_AndDefinesWindowPlotlyOnlyWhenMissing()
    {
        var script = NotebookChartHtml.PlotlyLoaderScript;
        Assert.Contains("if (window.Plotly || window.__promptinternPlotly) return;", script);
        Assert.InRange(script.Length, 300_000, 400_000); // LZMA + base85 of the ~1 MB basic bundle
        Assert.DoesNotContain("</", script);
    }

    [Fact]
    public void CommittedPlotlyScript_BesideTheNotebooks_IsTheCurrentLoader()
    {
        var committed = Path.Combine(PromptIntern.Data.KitPaths.Root, "notebooks", NotebookChartHtml.PlotlyScriptFile);
        Assert.Equal(NotebookChartHtml.PlotlyLoaderScript, File.ReadAllText(committed));
    }

    [Fact]
    public void WritePlotlyScript_WritesTheLoader_AndLeavesAnUpToDateFileAlone()
    {
        var folder = Directory.CreateTempSubdirectory("pi-plotly-").FullName;
        try
        {
            NotebookChartHtml.WritePlotlyScript(folder);
            var path = Path.Combine(folder, NotebookChartHtml.PlotlyScriptFile);
            Assert.Equal(NotebookChartHtml.PlotlyLoaderScript, File.ReadAllText(path));
            var written = File.GetLastWriteTimeUtc(path);
            File.SetLastWriteTimeUtc(path, written.AddHours(-1));
            NotebookChartHtml.WritePlotlyScript(folder);
            Assert.Equal(written.AddHours(-1), File.GetLastWriteTimeUtc(path));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void ChartHtml_KeepsTitlesWithMarkupInsideItsScript()
    {
        var chart = LineCharts.Build("<b>bold</b> title", "x (unit)", "y (unit)", [new LineSeries("s", [1, 2], [3, 4])]);
        var figure = NotebookChartHtml.Figure(chart);

        var html = NotebookChartHtml.ChartHtml(figure, "chart-1");

        Assert.Equal(["scatter"], figure.TraceTypes);
        Assert.True(NotebookChartHtml.NeedsOnlyBasicBundle(figure));
        Assert.Contains("<b>bold<\\/b> title", html);
        Assert.Equal(1, html.Split("</script>").Length - 1);
    }

    static byte[] Decode(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i += 5)
        {
            ulong v = 0;
            for (var k = 0; k < 5; k++) v = v * 85 + (ulong)NotebookChartHtml.Base85Digits.IndexOf(text[i + k]);
            bytes.AddRange([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
        }
        return [.. bytes];
    }
}
