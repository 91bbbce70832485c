using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PromptIntern.Data;

namespace PromptIntern.UserTasks;

/// <summary>Reads and validates a user task file. Unknown keys, wrong types, missing files, an unknown metric and bad field
/// mappings are errors naming the task file, the line and the key.</summary>
/// <remarks>Schema (paths relative to the task file):
/// <code>
/// { "name": "order-extraction", "description"?: "...",
///   "train": "train.jsonl", "dev": "dev.jsonl", "template": "template.md", "examples"?: "pool.jsonl",
///   "fields"?: {"id"?: "uid" | null, "query"?: "question", "answer"?: "label"},
///   "metric": "exact_match" | "normalized_match" | "bleu" | "chrf" | {"command": "python3 check.py", "timeout_s"?: 10},
///   "forced_spans"?: ["Output only the JSON object"], "multiline_answers"?: false }
/// </code></remarks>
public static partial class UserTaskFile
{
    static readonly string[] Keys = ["name", "description", "train", "dev", "template", "examples", "fields", "metric", "forced_spans", "multiline_answers"];
    static readonly string[] FieldKeys = ["id", "query", "answer"];
    static readonly string[] CommandKeys = ["command", "timeout_s"];

    public static UserTaskDefinition Load(string path)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path)) throw new DataFormatException(path, 0, "file", "task file not found");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates <paramref name="json"/> as if read from <paramref name="path"/> (paths resolve beside it).</summary>
    public static UserTaskDefinition Parse(string json, string path)
    {
        path = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(path)!;
        JsonNode? node;
        try { node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new DataFormatException(path, (int)(e.LineNumber ?? -1) + 1, "(json)", $"malformed JSON: {e.Message}"); }
        var lines = KeyLines(json);
        void Fail(string field, string problem) => throw new DataFormatException(path, LineOf(lines, field), field, problem);
        if (node is not JsonObject root) { Fail("(json)", "a task file is one JSON object"); return null!; }
        CheckKeys(root, Keys, "", Fail);

        string? Str(JsonObject obj, string key, string field, bool required)
        {
            if (!obj.ContainsKey(key)) { if (required) Fail(field, "missing"); return null; }
            if (obj[key] is JsonValue v && v.TryGetValue<string>(out var s))
            {
                if (string.IsNullOrWhiteSpace(s)) Fail(field, "empty");
                return s;
            }
            Fail(field, $"must be a string, found {Show(obj[key])}");
            return null;
        }
        string FileAt(string key, bool required = true)
        {
            var rel = Str(root, key, key, required);
            if (rel == null) return null!;
            var full = Path.GetFullPath(Path.Combine(dir, rel));
            if (!File.Exists(full)) Fail(key, $"file not found: {full} (paths are relative to the task file)");
            return full;
        }

        var name = Str(root, "name", "name", true)!;
        if (!NamePattern().IsMatch(name)) Fail("name", $"'{name}': use letters, digits, '-', '_' or '.' (it names result folders)");
        var definition = new UserTaskDefinition
        {
            SourceFile = path, Name = name, Description = Str(root, "description", "description", false) ?? "",
            TrainFile = FileAt("train"), DevFile = FileAt("dev"), TemplateFile = FileAt("template"),
            ExamplesFile = root.ContainsKey("examples") ? FileAt("examples") : null,
            Fields = ParseFields(root, Fail),
            Metric = ParseMetric(root, Fail),
            ForcedSpans = ParseSpans(root, Fail),
            MultilineAnswers = root.ContainsKey("multiline_answers") && Bool(root["multiline_answers"], "multiline_answers", Fail),
        };
        var template = definition.LoadTemplate();
        if (template.Length == 0) Fail("template", $"{definition.TemplateFile} is empty");
        for (int i = 0; i < definition.ForcedSpans.Count; i++)
            if (!template.Contains(definition.ForcedSpans[i], StringComparison.Ordinal))
                Fail($"forced_spans[{i}]", $"\"{definition.ForcedSpans[i]}\" does not occur in the template {Path.GetFileName(definition.TemplateFile)}");
        return definition;
    }

    /// <summary>Loads every file the definition names (rows through the field mapping), so a bad mapping fails before any training.</summary>
    public static (IReadOnlyList<TaskExample> Train, IReadOnlyList<TaskExample> Dev, IReadOnlyList<TaskExample> Pool) LoadData(UserTaskDefinition d) =>
        (d.LoadTrain(), d.LoadDev(), d.LoadExamplePool());

    static FieldMapping ParseFields(JsonObject root, Action<string, string> fail)
    {
        if (!root.ContainsKey("fields")) return FieldMapping.Kit;
        if (root["fields"] is not JsonObject f) { fail("fields", "must be an object such as {\"query\": \"question\", \"answer\": \"label\"}"); return null!; }
        CheckKeys(f, FieldKeys, "fields.", fail);
        string? Key(string k, bool nullable)
        {
            if (!f.ContainsKey(k)) return k;
            if (f[k] is null && nullable) return null;
            if (f[k] is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim().Length > 0) return s;
            fail("fields." + k, $"must be the name of a key in your rows{(nullable ? " (or null to number the rows)" : "")}, found {Show(f[k])}");
            return null;
        }
        var mapping = new FieldMapping(Key("id", true), Key("query", false)!, Key("answer", false)!);
        if (mapping.Query == mapping.Answer) fail("fields.answer", $"maps to \"{mapping.Answer}\", the same key as fields.query");
        return mapping;
    }

    static UserMetricSpec ParseMetric(JsonObject root, Action<string, string> fail)
    {
        string known = $"{string.Join(", ", UserMetricSpec.Names)}, or {{\"command\": \"...\"}}";
        switch (root["metric"])
        {
            case null: fail("metric", root.ContainsKey("metric") ? $"must be one of {known}" : $"missing; one of {known}"); return null!;
            case JsonValue v when v.TryGetValue<string>(out var s):
                return UserMetricSpec.FromName(s) ?? Fail<UserMetricSpec>(fail, "metric", $"unknown metric '{s}'; known: {known}");
            case JsonObject o:
                CheckKeys(o, CommandKeys, "metric.", fail);
                if (o["command"] is not JsonValue c || !c.TryGetValue<string>(out var command) || command.Trim().Length == 0)
                    return Fail<UserMetricSpec>(fail, "metric.command", "missing or not a non-empty string");
                double timeout = 10;
                if (o.ContainsKey("timeout_s"))
                {
                    if (o["timeout_s"] is JsonValue t && t.GetValueKind() == JsonValueKind.Number && t.GetValue<double>() > 0) timeout = t.GetValue<double>();
                    else return Fail<UserMetricSpec>(fail, "metric.timeout_s", $"must be a number of seconds > 0, found {Show(o["timeout_s"])}");
                }
                return new UserMetricSpec(UserMetricKind.Command, command, timeout);
            default: return Fail<UserMetricSpec>(fail, "metric", $"must be one of {known}, found {Show(root["metric"])}");
        }
    }

    static IReadOnlyList<string> ParseSpans(JsonObject root, Action<string, string> fail)
    {
        if (!root.ContainsKey("forced_spans")) return [];
        if (root["forced_spans"] is not JsonArray a) { fail("forced_spans", "must be an array of strings"); return null!; }
        var spans = new List<string>();
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0) spans.Add(s);
            else fail($"forced_spans[{i}]", $"must be a non-empty string, found {Show(a[i])}");
        }
        return spans;
    }

    static bool Bool(JsonNode? n, string field, Action<string, string> fail)
    {
        if (n is JsonValue v && v.TryGetValue<bool>(out var b)) return b;
        fail(field, $"must be true or false, found {Show(n)}");
        return false;
    }

    static T Fail<T>(Action<string, string> fail, string field, string problem) { fail(field, problem); return default!; }

    static void CheckKeys(JsonObject obj, string[] allowed, string prefix, Action<string, string> fail)
    {
        foreach (var (key, _) in obj)
            if (!allowed.Contains(key)) fail(prefix + key, $"unknown key; allowed here: {string.Join(", ", allowed)}");
    }

    static string Show(JsonNode? n) => n is null ? "null" : n.ToJsonString();

    /// <summary>1-based line of every property, by dotted path ("metric.command", "forced_spans[1]" is its array's line).</summary>
    static Dictionary<string, int> KeyLines(string json)
    {
        var lines = new Dictionary<string, int>();
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var stack = new Stack<string>();
        string? pending = null;
        int LineAt(long offset) => 1 + bytes.AsSpan(0, (int)offset).Count((byte)'\n');
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var name = reader.GetString()!;
                        pending = stack.Count > 0 && stack.Peek().Length > 0 ? stack.Peek() + "." + name : name;
                        lines.TryAdd(pending, LineAt(reader.TokenStartIndex));
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        stack.Push(pending ?? ""); pending = null; break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        stack.Pop(); pending = null; break;
                    default:
                        if (pending != null) pending = null;
                        break;
                }
            }
        }
        catch (JsonException) { /* reported by the parser above */ }
        return lines;
    }

    /// <summary>The line of <paramref name="field"/>, else of its parent ("forced_spans[1]" → "forced_spans"), else 0.</summary>
    static int LineOf(Dictionary<string, int> lines, string field)
    {
        for (var f = field; f.Length > 0; f = f[..Math.Max(0, f.LastIndexOfAny(['.', '[']))])
            if (lines.TryGetValue(f, out var line)) return line;
        return 0;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();
}
