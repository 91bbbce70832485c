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

    static TaskExample ParseMapped(string path, int lineNo, string line, FieldMapping fields, string taskFile) => JsonlDataset.ParseRow(path, lineNo, line, root =>
    {
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
        return (fields.Id, id, fields.Query, Field(fields.Query, "query"), fields.Answer, Field(fields.Answer, "answer"));
    });
}
