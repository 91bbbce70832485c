using Plotly.NET;
using Plotly.NET.CSharp;
using PromptIntern.Data;

namespace PromptIntern.Figures;

/// <summary>Where a saved figure went: the offline HTML and, when Chromium is present, the PNG.</summary>
public sealed record SavedFigure(string HtmlPath, string? PngPath, string? PngSkippedReason);

/// <summary>Saves Plotly.NET charts under results/figures/ (or any folder) as offline HTML and as PNG via headless Chromium.</summary>
public static class FigureExporter
{
    /// <summary>results/figures under the kit root.</summary>
    public static string DefaultFolder => Path.Combine(KitPaths.Results, "figures");

    /// <summary>Writes &lt;name&gt;.html (plotly.js inlined) into <paramref name="folder"/>; returns its path.</summary>
    public static string SaveHtml(GenericChart chart, string name, string? folder = null)
    {
        var path = Path.Combine(folder ?? DefaultFolder, name + ".html");
        AtomicFile.WriteAllText(path, PlotlyHtml.ToStandaloneHtml(chart));
        return path;
    }

    /// <summary>Writes &lt;name&gt;.png rendered by headless Chromium; throws <see cref="ChromiumNotFoundException"/> without a browser.</summary>
    public static string SavePng(GenericChart chart, string name, string? folder = null, int width = 900, int height = 540)
    {
        var path = Path.Combine(folder ?? DefaultFolder, name + ".png");
        var page = Path.Combine(Path.GetTempPath(), $"promptintern-figure-{Guid.NewGuid():N}.html");
        try
        {
            // The page is sized to the viewport so the screenshot holds exactly the chart.
            // A still image has no use for plotly's hover toolbar.
            var html = PlotlyHtml.ToStandaloneHtml(chart.WithSize(width, height))
                .Replace("</head>", "<style>.modebar-container { display: none !important; } body { margin: 0; }</style></head>");
            File.WriteAllText(page, html);
            HeadlessChromium.Screenshot(page, path, width, height);
        }
        finally { File.Delete(page); }
        return path;
    }

    /// <summary>Writes both files; when Chromium is missing the PNG is skipped and the reason returned instead of failing.</summary>
    public static SavedFigure Save(GenericChart chart, string name, string? folder = null, int width = 900, int height = 540)
    {
        var html = SaveHtml(chart, name, folder);
        if (HeadlessChromium.UnavailableReason() is { } reason) return new SavedFigure(html, null, reason);
        return new SavedFigure(html, SavePng(chart, name, folder, width, height), null);
    }
}
