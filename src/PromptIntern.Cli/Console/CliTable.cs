using System.Globalization;
using Spectre.Console;

namespace PromptIntern.Cli;

/// <summary>Prints a titled table (optional caption below it); columns whose cells are all numbers are right-aligned.</summary>
public static class CliTable
{
    public static void Print(string title, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? caption = null)
    {
        var data = rows.ToList();
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title));
        if (caption != null) table.Caption(Markup.Escape(caption));
        for (int c = 0; c < headers.Count; c++)
        {
            var column = new TableColumn(Markup.Escape(headers[c]));
            if (data.Count > 0 && data.All(r => c < r.Count && IsNumber(r[c]))) column.RightAligned();
            table.AddColumn(column);
        }
        foreach (var r in data) table.AddRow(r.Select(cell => (Spectre.Console.Rendering.IRenderable)new Spectre.Console.Text(cell)).ToArray());
        CliConsole.Out.Write(table);
    }

    /// <summary>Formats a number with thousands separators and fixed decimals, culture-invariant.</summary>
    public static string Num(double value, int decimals = 0) => value.ToString("N" + decimals, CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    static bool IsNumber(string s) =>
        double.TryParse(s.Replace(",", "").TrimStart('$').TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out _) || s == "-";
}
