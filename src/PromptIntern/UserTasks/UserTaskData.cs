using System.Text.Json;
using PromptIntern.Data;

namespace PromptIntern.UserTasks;

/// <summary>Loads a user task's JSONL rows through its <see cref="FieldMapping"/>; errors name the data file, the line and the
/// row key, and which key of the task file mapped it.</summary>
public static class UserTaskData
{
    public static IReadOnlyList<TaskExample> Load(string path, FieldMapping fields, string taskFile)
    {
        if (fields.IsKit) return JsonlDataset.Load(path);
        return JsonlDataset.Load(path, (file, lineNo, line) => ParseMapped(file, lineNo, line, fields, taskFile), fields.Id ?? "id");
    }

    static TaskExample ParseMapped(string path, int lineNo, string line, FieldMapping fields, string taskFile)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(line); }
        catch (JsonException e) { throw new DataFormatException(path, lineNo, "(json)", $"malformed JSON: {e.Message}"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new DataFormatException(path, lineNo, "(json)", "line is not a JSON object");
            string Field(string key, string mappedBy)
            {
                if (!root.TryGetProperty(key, out var v))
                    throw new DataFormatException(path, lineNo, key,
                        $"missing (the task file {Path.GetFileName(taskFile)} maps fields.{mappedBy} to \"{key}\"; keys here: {string.Join(", ", root.EnumerateObject().Select(p => p.Name))})");
                var s = v.ValueKind switch
                {
                    JsonValueKind.String => v.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
                    _ => throw new DataFormatException(path, lineNo, key, $"must be a string or number (fields.{mappedBy}), found {v.ValueKind}"),
                };
                if (string.IsNullOrWhiteSpace(s)) throw new DataFormatException(path, lineNo, key, $"empty (fields.{mappedBy})");
                return s;
            }
            var id = fields.Id == null ? $"{Path.GetFileNameWithoutExtension(path)}-{lineNo}" : Field(fields.Id, "id");
            var query = Field(fields.Query, "query");
            var answer = Field(fields.Answer, "answer");
            var extra = root.EnumerateObject().Where(p => p.Name != fields.Id && p.Name != fields.Query && p.Name != fields.Answer)
                .ToDictionary(p => p.Name, p => p.Value.Clone());
            return new TaskExample(id, query, answer, extra);
        }
    }
}
