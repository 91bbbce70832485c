using System.Globalization;
using System.Text;
using Deedle;
using PromptIntern.Data;

namespace PromptIntern.Figures;

/// <summary>Where a saved table went.</summary>
public sealed record SavedTable(string CsvPath, string MarkdownPath);

/// <summary>Saves a notebook's Deedle frame as CSV (for tools) and as a Markdown table (for reading and for reports), both
/// written atomically; row keys are left out, as the frames notebooks build from records carry only an index.</summary>
public static class TableExporter
{
    /// <summary>Writes &lt;folder&gt;/&lt;name&gt;.csv and .md; <paramref name="caption"/> (e.g. where numbers come from) goes under the Markdown table.</summary>
    public static SavedTable Save<TRow, TColumn>(Frame<TRow, TColumn> frame, string name, string folder, string? caption = null)
        where TRow : notnull where TColumn : notnull
    {
        var csv = Path.Combine(folder, name + ".csv");
        var md = Path.Combine(folder, name + ".md");
        AtomicFile.Write(csv, tmp => frame.SaveCsv(tmp, includeRowKeys: false));
        AtomicFile.WriteAllText(md, ToMarkdown(frame, caption));
        return new SavedTable(csv, md);
    }

    /// <summary>A GitHub Markdown table of the frame's columns; missing values are empty cells, numbers use invariant culture.</summary>
    public static string ToMarkdown<TRow, TColumn>(Frame<TRow, TColumn> frame, string? caption = null)
        where TRow : notnull where TColumn : notnull
    {
        var columns = frame.ColumnKeys.ToList();
        var series = columns.Select((_, j) => frame.GetColumnAt<object>(j)).ToList();
        var sb = new StringBuilder();
        sb.Append("| ").Append(string.Join(" | ", columns.Select(c => Cell(c)))).Append(" |\n");
        sb.Append('|').Append(string.Concat(Enumerable.Repeat("---|", columns.Count))).Append('\n');
        foreach (var r in frame.RowKeys)
            sb.Append("| ").Append(string.Join(" | ", series.Select(s => s.TryGet(r) is { HasValue: true } v ? Cell(v.Value) : ""))).Append(" |\n");
        if (!string.IsNullOrWhiteSpace(caption)) sb.Append('\n').Append(caption.Trim()).Append('\n');
        return sb.ToString();
    }

    /// <summary>One cell: numbers short and invariant (integers as integers, otherwise up to 3 decimals), pipes and newlines escaped.</summary>
    public static string Cell(object? value) => (value switch
    {
        double d when double.IsNaN(d) => "",
        double d => Number(d),
        float f => Number(f),
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "",
    }).Replace("|", "\\|").Replace("\r", "").Replace("\n", "<br>");

    static string Number(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 1e15 ? d.ToString("0", CultureInfo.InvariantCulture)
        : Math.Abs(d) >= 100 ? d.ToString("0.0", CultureInfo.InvariantCulture)
        : Math.Abs(d) >= 0.01 ? d.ToString("0.###", CultureInfo.InvariantCulture)
        : d.ToString("G3", CultureInfo.InvariantCulture);
}
