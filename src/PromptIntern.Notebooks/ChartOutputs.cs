using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using PromptIntern.Figures;

namespace PromptIntern.Notebooks;

/// <summary>Turns the charts of ONE notebook run into Jupyter mime bundles: text/html that draws the chart
/// (the first chart output that needs plotly.js loads it from the file beside the notebook) and image/png for viewers
/// that run no JavaScript (GitHub). VS Code renders all outputs of a notebook in one page, so later charts find
/// <c>window.Plotly</c> there.</summary>
public sealed class ChartOutputs(bool images) : IAsyncDisposable
{
    public const string PngMimeType = "image/png";

    bool _basicWritten, _fullWritten;
    readonly SortedSet<string> _traceTypes = new(StringComparer.Ordinal);
    ChartImageRenderer? _renderer;

    /// <summary>Why charts have no image/png (no Chromium, images turned off), or null when they have one.</summary>
    public string? ImagesSkippedReason { get; private set; } = images ? null : "chart images were turned off";

    /// <summary>Trace types of every chart shown so far (the basic bundle draws scatter, bar and pie).</summary>
    public IReadOnlyCollection<string> TraceTypes => _traceTypes;

    public async Task<Dictionary<string, object>> FormatAsync(GenericChart chart)
    {
        var figure = NotebookChartHtml.Figure(chart);
        _traceTypes.UnionWith(figure.TraceTypes);
        string script = "";
        if (NotebookChartHtml.NeedsOnlyBasicBundle(figure))
        {
            if (!_basicWritten && !_fullWritten) script = NotebookChartHtml.PlotlyScriptReference;
            _basicWritten = true;
        }
        else if (!_fullWritten)
        {
            // A trace type outside the basic bundle (e.g. heatmap): this output carries the full plotly.js, which
            // replaces window.Plotly for every chart after it.
            script = $"<script type=\"text/javascript\">{PlotlyHtml.PlotlyJs}</script>\n";
            _fullWritten = true;
        }
        var data = new Dictionary<string, object>
        {
            [HtmlFormatter.MimeType] = script + NotebookChartHtml.ChartHtml(figure, $"promptintern-chart-{Guid.NewGuid():N}"),
            [PlainTextFormatter.MimeType] = $"Plotly.NET chart ({string.Join(", ", figure.TraceTypes)})",
        };
        if (await RendererAsync() is { } renderer)
        {
            try { data[PngMimeType] = Convert.ToBase64String(await renderer.RenderPngAsync(figure)); }
            catch (Exception e) when (e is PuppeteerSharp.PuppeteerException or InvalidOperationException or IOException)
            {
                // A picture is a convenience for static viewers: the notebook run goes on, and the CLI reports why.
                ImagesSkippedReason = $"rendering a chart to PNG failed: {e.Message}";
                await renderer.DisposeAsync();
                _renderer = null;
            }
        }
        return data;
    }

    async Task<ChartImageRenderer?> RendererAsync()
    {
        if (_renderer is not null || ImagesSkippedReason is not null) return _renderer;
        if (HeadlessChromium.UnavailableReason() is { } reason) { ImagesSkippedReason = reason; return null; }
        try { return _renderer = await ChartImageRenderer.StartAsync(); }
        catch (PuppeteerSharp.PuppeteerException e)
        {
            ImagesSkippedReason = $"headless Chromium did not start: {e.Message}";
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_renderer is not null) await _renderer.DisposeAsync();
    }
}
