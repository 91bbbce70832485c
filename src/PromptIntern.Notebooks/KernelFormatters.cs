using Deedle;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using PromptIntern.Figures;

namespace PromptIntern.Notebooks;

/// <summary>Formatters the headless kernel needs so outputs look as in VS Code: Plotly.NET charts as HTML, Deedle frames
/// as HTML tables. A chart shown by a cell gets its whole output from <see cref="ChartOutputs"/> (plotly.js once per
/// notebook, plus a PNG); this formatter only serves charts nested in other values.</summary>
public static class KernelFormatters
{
    /// <summary>Registers the formatters in .NET Interactive's (process-wide) Formatter.</summary>
    public static void Register()
    {
        Formatter.Register(typeof(GenericChart), (chart, writer) => writer.Write(
            NotebookChartHtml.ChartHtml(NotebookChartHtml.Figure((GenericChart)chart), $"promptintern-chart-{Guid.NewGuid():N}")), HtmlFormatter.MimeType);
        Formatter.Register(typeof(GenericChart), (_, writer) => writer.Write("Plotly.NET chart"), PlainTextFormatter.MimeType);
        Formatter.Register(typeof(Frame<,>), (frame, writer) => writer.Write(FrameHtml.ToHtml(frame)), HtmlFormatter.MimeType);
        // The default plain-text formatter walks the whole object graph (megabytes for a small frame); Deedle's own is a table.
        Formatter.Register(typeof(Frame<,>), (frame, writer) => writer.Write(FrameText(frame)), PlainTextFormatter.MimeType);
    }

    static string FrameText(object frame) =>
        frame.GetType().GetMethod("Format", Type.EmptyTypes)?.Invoke(frame, null) as string ?? frame.ToString() ?? "";
}
