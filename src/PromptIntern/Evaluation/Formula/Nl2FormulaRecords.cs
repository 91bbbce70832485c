using System.Text.Json;
using PromptIntern.Data;

namespace PromptIntern.Evaluation.Formula;

/// <summary>NL2Formula rows: the extra fields the kit's schema adds (<c>table</c>, <c>table_name</c>, <c>level</c>,
/// <c>value</c>), and a reader for the original dataset's records (<c>Table_name, Question, Formula, Level, Table</c>).</summary>
public static class Nl2FormulaRecords
{
    /// <summary>The table of a row: a list of rows of cell strings, header first.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Table(TaskExample e)
    {
        if (!e.Extra.TryGetValue("table", out var t) || t.ValueKind != JsonValueKind.Array)
            throw new ArgumentException($"example '{e.Id}' has no 'table' field (a list of rows of cell strings)");
        return t.EnumerateArray().Select(row => (IReadOnlyList<string>)row.EnumerateArray().Select(CellText).ToList()).ToList();
    }

    public static Sheet Sheet(TaskExample e) => new(Table(e));

    public static TaskExample Create(string id, string question, string formula, IReadOnlyList<IReadOnlyList<string>> table,
        string tableName, string level, string? value = null)
    {
        var extra = new Dictionary<string, JsonElement>
        {
            ["table"] = JsonSerializer.SerializeToElement(table),
            ["table_name"] = JsonSerializer.SerializeToElement(tableName),
            ["level"] = JsonSerializer.SerializeToElement(level),
        };
        if (value != null) extra["value"] = JsonSerializer.SerializeToElement(value);
        return new TaskExample(id, question, formula, extra);
    }

    /// <summary>Reads the original NL2Formula format — a JSON array of records, or one record per line — into kit rows with
    /// ids <c>nl2f-&lt;file stem&gt;-&lt;index&gt;</c>. Bad records throw <see cref="DataFormatException"/> naming the record.</summary>
    public static IReadOnlyList<TaskExample> ReadOriginal(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, 0, "file", "file not found");
        var text = File.ReadAllText(path);
        var records = new List<(int Line, JsonElement Record)>();
        try
        {
            if (text.TrimStart().StartsWith('['))
            {
                using var doc = JsonDocument.Parse(text);
                int i = 0;
                foreach (var r in doc.RootElement.EnumerateArray()) records.Add((++i, r.Clone()));
            }
            else
            {
                int line = 0;
                foreach (var l in text.Split('\n'))
                {
                    line++;
                    if (string.IsNullOrWhiteSpace(l)) continue;
                    using var doc = JsonDocument.Parse(l);
                    records.Add((line, doc.RootElement.Clone()));
                }
            }
        }
        catch (JsonException e) { throw new DataFormatException(path, (int)(e.LineNumber ?? 0) + 1, "(json)", $"malformed JSON: {e.Message}"); }

        var stem = Path.GetFileNameWithoutExtension(path);
        var rows = new List<TaskExample>();
        foreach (var (line, r) in records)
        {
            string Field(string name)
            {
                if (r.ValueKind != JsonValueKind.Object || !r.TryGetProperty(name, out var v)) throw new DataFormatException(path, line, name, "missing");
                return v.ValueKind switch
                {
                    JsonValueKind.String => v.GetString()!,
                    JsonValueKind.Number => v.GetRawText(),
                    _ => throw new DataFormatException(path, line, name, $"must be a string, found {v.ValueKind}"),
                };
            }
            if (!r.TryGetProperty("Table", out var table) || table.ValueKind != JsonValueKind.Array || table.GetArrayLength() == 0
                || table.EnumerateArray().Any(row => row.ValueKind != JsonValueKind.Array))
                throw new DataFormatException(path, line, "Table", "must be a non-empty list of rows, each a list of cell strings");
            var cells = table.EnumerateArray().Select(row => (IReadOnlyList<string>)row.EnumerateArray().Select(CellText).ToList()).ToList();
            rows.Add(Create($"nl2f-{stem}-{rows.Count:D5}", Field("Question"), Field("Formula"), cells, Field("Table_name"), Field("Level")));
        }
        if (rows.Count == 0) throw new DataFormatException(path, 0, "file", "no records");
        return rows;
    }

    static string CellText(JsonElement c) => c.ValueKind switch
    {
        JsonValueKind.String => c.GetString()!,
        JsonValueKind.Null => "",
        _ => c.GetRawText(),
    };
}
