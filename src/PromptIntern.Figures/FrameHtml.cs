using System.Net;
using System.Reflection;
using System.Text;
using Deedle;

namespace PromptIntern.Figures;

/// <summary>Renders a Deedle frame as a plain HTML table, for notebook outputs and reports (rows beyond a limit are elided).</summary>
public static class FrameHtml
{
    static readonly MethodInfo RenderMethod = typeof(FrameHtml).GetMethod(nameof(RenderTyped), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Renders any <c>Frame&lt;R, C&gt;</c> passed as object (the notebook formatter's case).</summary>
    public static string ToHtml(object frame, int maxRows = 50)
    {
        var type = frame.GetType();
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(Frame<,>))
            throw new ArgumentException($"expected a Deedle Frame<R, C>, got {type}", nameof(frame));
        return (string)RenderMethod.MakeGenericMethod(type.GetGenericArguments()).Invoke(null, [frame, maxRows])!;
    }

    public static string ToHtml<TRow, TColumn>(Frame<TRow, TColumn> frame, int maxRows = 50) where TRow : notnull where TColumn : notnull
        => RenderTyped(frame, maxRows);

    static string RenderTyped<TRow, TColumn>(Frame<TRow, TColumn> frame, int maxRows) where TRow : notnull where TColumn : notnull
    {
        var columns = frame.ColumnKeys.ToList();
        var rows = frame.RowKeys.ToList();
        var html = new StringBuilder("<table class=\"promptintern-frame\">\n<thead><tr><th></th>");
        foreach (var c in columns) html.Append("<th>").Append(Encode(c)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        var series = columns.Select((_, j) => frame.GetColumnAt<object>(j)).ToList();
        foreach (var r in rows.Take(maxRows))
        {
            html.Append("<tr><th>").Append(Encode(r)).Append("</th>");
            foreach (var s in series)
            {
                var value = s.TryGet(r);
                html.Append("<td>").Append(value.HasValue ? Encode(value.Value) : "<i>n/a</i>").Append("</td>");
            }
            html.Append("</tr>\n");
        }
        if (rows.Count > maxRows)
            html.Append($"<tr><td colspan=\"{columns.Count + 1}\">… {rows.Count - maxRows} more rows</td></tr>\n");
        html.Append("</tbody>\n</table>\n");
        html.Append($"<p>{rows.Count} rows × {columns.Count} columns</p>");
        return html.ToString();
    }

    static string Encode(object? value) => WebUtility.HtmlEncode(value switch
    {
        double d => d.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
        float f => f.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable x => x.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    });
}
