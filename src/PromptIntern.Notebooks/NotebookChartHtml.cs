using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Plotly.NET;
using PromptIntern.Data;
using PromptIntern.Figures;

namespace PromptIntern.Notebooks;

/// <summary>A chart as a notebook output draws it: the figure (data, layout, config) as JSON and its size in pixels.</summary>
public sealed record ChartFigure(string Json, int Width, int Height, IReadOnlyList<string> TraceTypes);

/// <summary>Chart outputs that stay small in a committed notebook: plotly.js (the basic bundle, LZMA + base85, ~350 KB)
/// lives once in a file beside the notebooks (<see cref="PlotlyScriptFile"/>), the notebook's first chart output loads it
/// by a relative path (<see cref="PlotlyScriptReference"/>; VS Code resolves it against the notebook's folder, offline),
/// and each chart's HTML only draws with the loaded <c>window.Plotly</c>, waiting for it when it renders first.</summary>
public static class NotebookChartHtml
{
    /// <summary>plotly.js version of the shipped basic bundle; Plotly.NET 6.0.0 embeds the same (see <see cref="PlotlyHtml"/>).</summary>
    public const string PlotlyVersion = "2.28.0";

    /// <summary>Trace types the basic bundle draws (plotly.js-basic-dist-min: scatter, bar, pie).</summary>
    public static readonly IReadOnlySet<string> BasicTraceTypes = new HashSet<string>(StringComparer.Ordinal) { "scatter", "bar", "pie" };

    /// <summary>Digits of the base85 encoding: none needs escaping in a JSON string, an HTML script or a JS string.</summary>
    public const string Base85Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%()*,-.:;=?@[]^_{|}~";

    const string LzmaResource = "PromptIntern.Notebooks.Plotly.plotly-basic-2.28.0.min.js.lzma";
    const string LoaderResource = "PromptIntern.Notebooks.Plotly.plotly-loader.js";

    static readonly Lazy<string> Loader = new(BuildLoaderScript);

    /// <summary>JavaScript that defines <c>window.Plotly</c> (basic bundle) unless it is already defined.</summary>
    public static string PlotlyLoaderScript => Loader.Value;

    /// <summary>The loader's file, relative to the notebook: written beside every notebook the runner saves with charts
    /// (vendor/, as it is third-party code).</summary>
    public const string PlotlyScriptFile = "vendor/plotly-basic-" + PlotlyVersion + ".js";

    /// <summary>The first chart output's script element: loads <see cref="PlotlyScriptFile"/> relative to the notebook.</summary>
    public const string PlotlyScriptReference = "<script type=\"text/javascript\" src=\"" + PlotlyScriptFile + "\"></script>\n";

    /// <summary>Writes <see cref="PlotlyScriptFile"/> into <paramref name="folder"/> unless it is already there as is.</summary>
    public static void WritePlotlyScript(string folder)
    {
        var path = Path.Combine(folder, PlotlyScriptFile);
        if (File.Exists(path) && File.ReadAllText(path) == PlotlyLoaderScript) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, PlotlyLoaderScript);
    }

    /// <summary>True when every trace of the chart is one the basic bundle draws.</summary>
    public static bool NeedsOnlyBasicBundle(ChartFigure figure) => figure.TraceTypes.All(BasicTraceTypes.Contains);

    /// <summary>The chart's figure JSON. Template styles for trace types the chart does not use are dropped (they
    /// change nothing it draws and are ~5 KB per chart).</summary>
    public static ChartFigure Figure(GenericChart chart)
    {
        var figure = JsonNode.Parse(GenericChart.toFigureJson(chart))!.AsObject();
        figure.Remove("frames");
        var types = figure["data"]!.AsArray().Select(t => (string?)t?["type"] ?? "scatter").Distinct().ToList();
        if (figure["layout"]?["template"]?["data"] is JsonObject styles)
            foreach (var unused in styles.Select(p => p.Key).Where(k => !types.Contains(k)).ToList()) styles.Remove(unused);
        figure["config"] = JsonNode.Parse(Newtonsoft.Json.JsonConvert.SerializeObject(GenericChart.getConfig(chart), Globals.JSON_CONFIG));
        var layout = figure["layout"] as JsonObject;
        int Size(string key, int fallback) => layout?[key] is JsonValue v && v.TryGetValue<double>(out var d) ? (int)Math.Round(d) : fallback;
        var compact = new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return new ChartFigure(figure.ToJsonString(compact), Size("width", 700), Size("height", 450), types);
    }

    /// <summary>A &lt;div&gt; and a script that draws the figure once <c>window.Plotly</c> exists (no plotly.js inside).</summary>
    public static string ChartHtml(ChartFigure figure, string id)
    {
        var size = string.Create(CultureInfo.InvariantCulture, $"width:{figure.Width}px;height:{figure.Height}px;");
        // "</" inside the JSON (e.g. a title with "</b>") would end the script element early.
        var json = figure.Json.Replace("</", "<\\/", StringComparison.Ordinal);
        return $$"""
            <div id="{{id}}" style="{{size}}"><i style="color:#888">waiting for plotly.js (loaded by this notebook's first chart output)…</i></div>
            <script type="text/javascript">
            (function () {
              var figure = {{json}};
              (function draw() {
                if (!window.Plotly) { setTimeout(draw, 100); return; }
                var div = document.getElementById("{{id}}");
                div.textContent = "";
                Plotly.newPlot(div, figure.data, figure.layout, figure.config);
              })();
            })();
            </script>

            """;
    }

    /// <summary>Base85 (big-endian groups of 4 bytes, zero-padded) with <see cref="Base85Digits"/>.</summary>
    public static string Base85(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder((bytes.Length + 3) / 4 * 5);
        Span<char> group = stackalloc char[5];
        for (var i = 0; i < bytes.Length; i += 4)
        {
            uint v = 0;
            for (var k = 0; k < 4; k++) v = (v << 8) | (i + k < bytes.Length ? bytes[i + k] : 0u);
            for (var k = 4; k >= 0; k--) { group[k] = Base85Digits[(int)(v % 85)]; v /= 85; }
            text.Append(group);
        }
        return text.ToString();
    }

    static string BuildLoaderScript()
    {
        var lzma = ReadResource(LzmaResource, s => { using var m = new MemoryStream(); s.CopyTo(m); return m.ToArray(); });
        var template = ReadResource(LoaderResource, s => new StreamReader(s).ReadToEnd());
        return template
            .Replace("__ALPHABET__", Base85Digits, StringComparison.Ordinal)
            .Replace("__DATA__", Base85(lzma), StringComparison.Ordinal)
            .Replace("__LENGTH__", lzma.Length.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    static T ReadResource<T>(string name, Func<Stream, T> read)
    {
        using var stream = typeof(NotebookChartHtml).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"PromptIntern.Notebooks has no embedded {name}");
        return read(stream);
    }
}
