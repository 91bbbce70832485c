using PromptIntern.Figures;
using PuppeteerSharp;

namespace PromptIntern.Notebooks;

/// <summary>Renders chart figures to PNG in one headless Chromium kept open for a notebook run (starting a browser per
/// chart would cost seconds each). The page loads the same plotly.js the notebook outputs carry, so a chart that
/// renders here renders in the notebook.</summary>
public sealed class ChartImageRenderer : IAsyncDisposable
{
    const string PageHtml =
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>body { margin: 0; } .modebar-container { display: none !important; }</style>" +
        "</head><body><div id=\"chart\"></div></body></html>";

    // Draws the figure without animation or hover chrome and reports trace types plotly.js does not know (it would
    // silently draw them as scatter).
    const string DrawFunction = """
        async (json) => {
          const figure = JSON.parse(json);
          const known = Object.keys(Plotly.PlotSchema.get().traces);
          const unknown = figure.data.map(t => t.type || "scatter").filter(t => !known.includes(t));
          if (unknown.length > 0) return "plotly.js here lacks trace types: " + unknown.join(", ");
          const div = document.getElementById("chart");
          Plotly.purge(div);
          const config = Object.assign({}, figure.config, { staticPlot: true, responsive: false });
          await Plotly.newPlot(div, figure.data, figure.layout, config);
          return "";
        }
        """;

    readonly IBrowser _browser;
    readonly Dictionary<bool, IPage> _pages = [];

    ChartImageRenderer(IBrowser browser) => _browser = browser;

    /// <summary>Starts the machine's Chromium (never downloads one); throws <see cref="ChromiumNotFoundException"/> without it.</summary>
    public static async Task<ChartImageRenderer> StartAsync()
    {
        var executable = HeadlessChromium.Find() ?? throw new ChromiumNotFoundException(HeadlessChromium.UnavailableReason()!);
        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars"],
        });
        return new ChartImageRenderer(browser);
    }

    /// <summary>The figure as a palette PNG at its own size; the basic plotly.js bundle draws it unless it needs the full one.</summary>
    public async Task<byte[]> RenderPngAsync(ChartFigure figure)
    {
        var page = await PageAsync(NotebookChartHtml.NeedsOnlyBasicBundle(figure));
        await page.SetViewportAsync(new ViewPortOptions { Width = figure.Width, Height = figure.Height });
        var problem = await page.EvaluateFunctionAsync<string>(DrawFunction, figure.Json);
        if (!string.IsNullOrEmpty(problem)) throw new InvalidOperationException(problem);
        var png = await page.ScreenshotDataAsync(new ScreenshotOptions
        {
            Type = ScreenshotType.Png,
            Clip = new PuppeteerSharp.Media.Clip { X = 0, Y = 0, Width = figure.Width, Height = figure.Height },
        });
        return PngPalette.Quantize(png);
    }

    async Task<IPage> PageAsync(bool basic)
    {
        if (_pages.TryGetValue(basic, out var page)) return page;
        page = await _browser.NewPageAsync();
        await page.SetContentAsync(PageHtml);
        await page.AddScriptTagAsync(new AddTagOptions { Content = basic ? NotebookChartHtml.PlotlyLoaderScript : PlotlyHtml.PlotlyJs });
        await page.WaitForFunctionAsync("() => window.Plotly !== undefined");
        _pages[basic] = page;
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        await _browser.DisposeAsync();
    }
}
