using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PromptIntern.Data;

namespace PromptIntern.Prompts;

/// <summary>How each task turns a dataset row into the query the model sees and the answer it is trained to emit,
/// and how a generated continuation is cut back to a prediction.</summary>
public static partial class TaskFormat
{
    /// <summary>MBPP's own phrase before the asserts (Austin et al., 2021).</summary>
    public const string MbppTestsHeader = "Your code should pass these tests:";

    /// <summary>Text after which a continuation is cut: the next prompt block the model starts to invent.</summary>
    public static readonly IReadOnlyList<string> StopMarkers = [PromptRenderer.QueryMarker, PromptRenderer.AnswerMarker];

    /// <summary>The query as the model sees it: NL2Bash the request; MBPP the problem plus its asserts;
    /// NL2Formula the question plus the table with Excel row numbers and column letters.</summary>
    public static string QueryText(string task, TaskExample e) => TaskName.Parse(task) switch
    {
        TaskName.Mbpp => MbppQuery(e),
        TaskName.Nl2Formula => FormulaQuery(e),
        _ => e.Query.Trim(),
    };

    /// <summary>What the model is trained to emit: the command, the code, or the formula (trimmed, no fences).</summary>
    public static string AnswerText(string task, TaskExample e)
    {
        TaskName.Parse(task);
        return e.Answer.Replace("\r\n", "\n").Trim();
    }

    /// <summary>A row as a few-shot demonstration, in the same query/answer form as the model's own turn.</summary>
    public static FewShotExample Shot(string task, TaskExample e) => new(QueryText(task, e), AnswerText(task, e));

    /// <summary>Cuts a generated continuation to the prediction: stop at the next prompt marker, drop Markdown fences;
    /// NL2Bash and NL2Formula answers are one line, so only the first non-empty line is kept.</summary>
    public static string ExtractPrediction(string task, string generated)
    {
        var t = TaskName.Parse(task);
        var text = generated.Replace("\r\n", "\n");
        foreach (var marker in StopMarkers)
        {
            int i = text.IndexOf(marker, StringComparison.Ordinal);
            if (i >= 0) text = text[..i];
        }
        text = StripFences(text).Trim();
        if (t == TaskName.Mbpp) return text;
        return text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
    }

    static string StripFences(string text)
    {
        var m = FencedBlock().Match(text);
        if (m.Success) return m.Groups["body"].Value;
        // An unterminated opening fence (generation stopped early): drop the fence line only.
        var open = OpeningFence().Match(text);
        return open.Success ? text[(open.Index + open.Length)..] : text;
    }

    static string MbppQuery(TaskExample e)
    {
        var sb = new StringBuilder(e.Query.Trim());
        if (e.Tests.Count > 0)
        {
            sb.Append('\n').Append(MbppTestsHeader);
            foreach (var test in e.Tests) sb.Append('\n').Append(test.Trim());
        }
        return sb.ToString();
    }

    static string FormulaQuery(TaskExample e)
    {
        var sb = new StringBuilder(e.Query.Trim());
        if (e.Extra.TryGetValue("table_name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString()!.Trim().Length > 0)
            sb.Append("\nTable: ").Append(name.GetString()!.Trim());
        var rows = TableRows(e);
        if (rows.Count > 0) sb.Append('\n').Append(RenderTable(rows));
        return sb.ToString();
    }

    /// <summary>The <c>table</c> field: rows of cell strings, the first row the header. Numbers in cells are accepted and printed as written.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> TableRows(TaskExample e)
    {
        if (!e.Extra.TryGetValue("table", out var table) || table.ValueKind != JsonValueKind.Array) return [];
        return table.EnumerateArray()
            .Select(row => (IReadOnlyList<string>)(row.ValueKind == JsonValueKind.Array
                ? row.EnumerateArray().Select(CellText).ToList()
                : throw new ArgumentException($"{e.Id}: field 'table': every row must be a list of cells")))
            .ToList();
    }

    /// <summary>Renders a table as the worksheet holds it: a line of column letters, then one line per row
    /// prefixed with its Excel row number (header = row 1), cells joined by " | ".</summary>
    public static string RenderTable(IReadOnlyList<IReadOnlyList<string>> rows)
    {
        int width = rows.Max(r => r.Count);
        var sb = new StringBuilder("row | ");
        sb.Append(string.Join(" | ", Enumerable.Range(0, width).Select(ColumnLetter)));
        for (int i = 0; i < rows.Count; i++)
            sb.Append('\n').Append(i + 1).Append(" | ").Append(string.Join(" | ", rows[i].Select(c => c.Replace('\n', ' ').Trim())));
        return sb.ToString();
    }

    /// <summary>Excel column name of a 0-based column index: 0 → A, 25 → Z, 26 → AA.</summary>
    public static string ColumnLetter(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        var s = "";
        for (int n = index + 1; n > 0; n = (n - 1) / 26) s = (char)('A' + (n - 1) % 26) + s;
        return s;
    }

    static string CellText(JsonElement cell) => cell.ValueKind switch
    {
        JsonValueKind.String => cell.GetString()!,
        JsonValueKind.Null => "",
        _ => cell.GetRawText(),
    };

    [GeneratedRegex(@"```[A-Za-z0-9_+-]*[ \t]*\n(?<body>.*?)(\n)?```", RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"^\s*```[A-Za-z0-9_+-]*[ \t]*\n")]
    private static partial Regex OpeningFence();
}
