using System.Text.Json;
using PromptIntern.Data;
using PromptIntern.Text;

namespace PromptIntern.Curriculum;

/// <summary>Limits a fine-tuning file must respect.</summary>
/// <param name="MaxTokensPerExample">OpenAI's per-example limit depends on the model (65,536 for gpt-4o-mini and gpt-4o;
/// 16,385 for gpt-3.5-turbo-0125); default 65,536</param>
/// <param name="MinExamples">OpenAI requires at least 10 examples per file</param>
public sealed record FineTuneLimits(int MaxTokensPerExample = 65_536, int MinExamples = 10)
{
    public static readonly FineTuneLimits OpenAi = new();
}

/// <summary>One problem found in a fine-tuning file, at a 1-based line (0 = the whole file).</summary>
public sealed record FineTuneIssue(int Line, string Field, string Problem);

/// <summary>What a fine-tuning file holds: examples, tokens (named tokenizer) and the problems found.</summary>
public sealed record FineTuneFileReport(string Source, FineTuneFormat Format, string Tokenizer, int Examples, long TotalTokens,
    int MaxExampleTokens, IReadOnlyList<FineTuneIssue> Issues)
{
    public bool IsValid => Issues.Count == 0;

    /// <summary>Throws the first problem as a <see cref="DataFormatException"/> naming file, line and field.</summary>
    public FineTuneFileReport ThrowIfInvalid()
    {
        if (Issues.Count > 0)
        {
            var i = Issues[0];
            throw new DataFormatException(Source, i.Line, i.Field, i.Problem + (Issues.Count > 1 ? $" (and {Issues.Count - 1} more problems)" : ""));
        }
        return this;
    }
}

/// <summary>Checks fine-tuning JSONL line by line against the documented OpenAI chat format rules (or TRL's prompt/completion
/// shape) and counts its tokens.</summary>
/// <remarks>OpenAI rules checked: each line a JSON object with a non-empty "messages" array and no other key; each message an
/// object with only "role", "content" (and optionally "name", "weight"); role one of system, user, assistant; content a
/// non-empty string; at least one assistant message; at most the per-example token limit; at least 10 examples.
/// Tokens per example follow OpenAI's cookbook count: 3 per message + the tokens of each value (+1 for a name) + 3.</remarks>
public static class FineTuneValidator
{
    static readonly string[] Roles = ["system", "user", "assistant"];
    static readonly string[] MessageKeys = ["role", "content", "name", "weight"];

    public static FineTuneFileReport ValidateFile(string path, FineTuneFormat format, ITokenCounter counter, FineTuneLimits? limits = null)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, 0, "file", "file not found");
        return Validate(File.ReadLines(path), path, format, counter, limits);
    }

    public static FineTuneFileReport Validate(IEnumerable<string> lines, string source, FineTuneFormat format, ITokenCounter counter, FineTuneLimits? limits = null)
    {
        limits ??= FineTuneLimits.OpenAi;
        var issues = new List<FineTuneIssue>();
        int lineNo = 0, examples = 0, maxTokens = 0;
        long total = 0;
        foreach (var line in lines)
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) { issues.Add(new(lineNo, "(json)", "empty line")); continue; }
            JsonDocument doc;
            try { doc = JsonDocument.Parse(line); }
            catch (JsonException e) { issues.Add(new(lineNo, "(json)", $"malformed JSON: {e.Message}")); continue; }
            using (doc)
            {
                int before = issues.Count;
                int tokens = format == FineTuneFormat.OpenAi
                    ? CheckChat(doc.RootElement, lineNo, counter, issues)
                    : CheckPromptCompletion(doc.RootElement, lineNo, counter, issues);
                if (issues.Count > before) continue;
                if (tokens > limits.MaxTokensPerExample)
                    issues.Add(new(lineNo, "(example)", $"{tokens} tokens ({counter.Name}) exceed the per-example limit of {limits.MaxTokensPerExample}"));
                examples++;
                total += tokens;
                maxTokens = Math.Max(maxTokens, tokens);
            }
        }
        if (examples < limits.MinExamples)
            issues.Add(new(0, "(file)", $"{examples} valid examples; at least {limits.MinExamples} are required"));
        return new FineTuneFileReport(source, format, counter.Name, examples, total, maxTokens, issues);
    }

    /// <summary>OpenAI cookbook token count of a chat example: 3 per message + role + content (+1 for a name) + 3 for the reply priming.</summary>
    public static int ChatTokens(IEnumerable<(string Role, string Content)> messages, ITokenCounter counter) =>
        messages.Sum(m => 3 + counter.CountTokens(m.Role) + counter.CountTokens(m.Content)) + 3;

    static int CheckChat(JsonElement root, int line, ITokenCounter counter, List<FineTuneIssue> issues)
    {
        if (root.ValueKind != JsonValueKind.Object) { issues.Add(new(line, "(json)", "line is not a JSON object")); return 0; }
        foreach (var p in root.EnumerateObject())
            if (p.Name != "messages") issues.Add(new(line, p.Name, "unknown key; an example holds only \"messages\""));
        if (!root.TryGetProperty("messages", out var msgs) || msgs.ValueKind != JsonValueKind.Array || msgs.GetArrayLength() == 0)
        {
            issues.Add(new(line, "messages", "missing, not an array, or empty"));
            return 0;
        }
        int tokens = 3, i = 0;
        bool assistant = false;
        foreach (var m in msgs.EnumerateArray())
        {
            string at = $"messages[{i++}]";
            if (m.ValueKind != JsonValueKind.Object) { issues.Add(new(line, at, "must be an object")); continue; }
            foreach (var p in m.EnumerateObject())
                if (!MessageKeys.Contains(p.Name)) issues.Add(new(line, $"{at}.{p.Name}", "unknown key"));
            string? role = m.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            if (role is null || !Roles.Contains(role)) issues.Add(new(line, at + ".role", $"must be one of {string.Join(", ", Roles)}"));
            string? content = m.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (string.IsNullOrWhiteSpace(content)) issues.Add(new(line, at + ".content", "missing, not a string, or empty"));
            assistant |= role == "assistant";
            tokens += 3 + counter.CountTokens(role ?? "") + counter.CountTokens(content ?? "");
            if (m.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String) tokens += 1 + counter.CountTokens(n.GetString()!);
        }
        if (!assistant) issues.Add(new(line, "messages", "no assistant message (nothing to learn)"));
        return tokens;
    }

    static int CheckPromptCompletion(JsonElement root, int line, ITokenCounter counter, List<FineTuneIssue> issues)
    {
        if (root.ValueKind != JsonValueKind.Object) { issues.Add(new(line, "(json)", "line is not a JSON object")); return 0; }
        int tokens = 0;
        foreach (var field in new[] { "prompt", "completion" })
        {
            if (!root.TryGetProperty(field, out var v) || v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
                issues.Add(new(line, field, "missing, not a string, or empty"));
            else tokens += counter.CountTokens(v.GetString()!);
        }
        return tokens;
    }
}
