using System.Text.Json;

namespace PromptIntern.Data;

/// <summary>One row of a task dataset in the kit's JSONL schema: a query, its reference answer and task-specific fields.</summary>
public sealed record TaskExample(string Id, string Query, string Answer, IReadOnlyDictionary<string, JsonElement> Extra)
{
    public TaskExample(string id, string query, string answer) : this(id, query, answer, new Dictionary<string, JsonElement>()) { }

    /// <summary>MBPP assert statements (empty for tasks without them).</summary>
    public IReadOnlyList<string> Tests => StringList("tests");

    /// <summary>MBPP code to run before the tests (usually empty).</summary>
    public string TestSetup => Extra.TryGetValue("test_setup", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    /// <summary>A task-specific list of strings, or empty when the field is absent.</summary>
    public IReadOnlyList<string> StringList(string field) =>
        Extra.TryGetValue(field, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];
}
