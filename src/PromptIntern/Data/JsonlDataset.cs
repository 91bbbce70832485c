using System.Text.Json;

namespace PromptIntern.Data;

/// <summary>Reads and writes task datasets in the kit's JSONL schema (id, query, answer, task-specific keys).</summary>
public static class JsonlDataset
{
    /// <summary>The longest row accepted, in UTF-8 bytes: far above any real example (MBPP's longest is a few KB), low enough
    /// that one pasted blob cannot stall tokenization or exhaust memory.</summary>
    public const int MaxRowBytes = 1_000_000;

    /// <summary>Loads every row; the first problem (bad JSON, missing or empty field, duplicate id) throws a <see cref="DataFormatException"/>.</summary>
    public static IReadOnlyList<TaskExample> Load(string path) => Load(path, Parse, "id");

    /// <summary>Loads every non-blank line through <paramref name="parseLine"/> (path, 1-based line, text), with the same
    /// file, duplicate-id and empty-file checks; <paramref name="idField"/> names the id key in duplicate-id errors.</summary>
    public static IReadOnlyList<TaskExample> Load(string path, Func<string, int, string, TaskExample> parseLine, string idField)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, 0, "file", "file not found");
        var rows = new List<TaskExample>();
        var seen = new Dictionary<string, int>();
        foreach (var (lineNo, line) in JsonlLines.Read(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var row = parseLine(path, lineNo, line);
            if (seen.TryGetValue(row.Id, out int first))
                throw new DataFormatException(path, lineNo, idField, $"duplicate id '{row.Id}' (first seen on line {first})");
            seen[row.Id] = lineNo;
            rows.Add(row);
        }
        if (rows.Count == 0) throw new DataFormatException(path, 0, "file", "no rows");
        return rows;
    }

    /// <summary>Parses one JSONL line into a row, naming file, line and field on failure.</summary>
    public static TaskExample Parse(string path, int lineNo, string line) => ParseRow(path, lineNo, line, root =>
    {
        string Required(string field)
        {
            if (!root.TryGetProperty(field, out var v)) throw new DataFormatException(path, lineNo, field, "missing");
            if (v.ValueKind != JsonValueKind.String) throw new DataFormatException(path, lineNo, field, $"must be a string, found {v.ValueKind}");
            var s = v.GetString()!;
            if (string.IsNullOrWhiteSpace(s)) throw new DataFormatException(path, lineNo, field, "empty");
            return s;
        }
        return ("id", Required("id"), "query", Required("query"), "answer", Required("answer"));
    });

    /// <summary>Parses one JSONL line as a JSON object (naming file and line when it is not one), reads id, query and answer
    /// with <paramref name="read"/> (which also says which keys held them), and keeps every other key as the row's extras.</summary>
    public static TaskExample ParseRow(string path, int lineNo, string line,
        Func<JsonElement, (string? IdKey, string Id, string QueryKey, string Query, string AnswerKey, string Answer)> read)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(line); }
        catch (JsonException e) { throw new DataFormatException(path, lineNo, "(json)", $"malformed JSON: {e.Message}"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new DataFormatException(path, lineNo, "(json)", "line is not a JSON object");
            var row = read(root);
            var extra = new Dictionary<string, JsonElement>();
            foreach (var p in root.EnumerateObject())
                if (p.Name != row.IdKey && p.Name != row.QueryKey && p.Name != row.AnswerKey) extra[p.Name] = p.Value.Clone();
            return new TaskExample(row.Id, row.Query, row.Answer, extra);
        }
    }

    /// <summary>Writes rows atomically (temp file, then move).</summary>
    public static void Save(string path, IEnumerable<TaskExample> rows)
    {
        AtomicFile.WriteLines(path, rows.Select(ToJson));
    }

    public static string ToJson(TaskExample e)
    {
        var obj = new Dictionary<string, object> { ["id"] = e.Id, ["query"] = e.Query, ["answer"] = e.Answer };
        foreach (var (k, v) in e.Extra) obj[k] = v;
        return JsonSerializer.Serialize(obj);
    }
}
