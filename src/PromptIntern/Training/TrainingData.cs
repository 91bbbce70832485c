using System.Text.Json;
using PromptIntern.Data;

namespace PromptIntern.Training;

/// <summary>Reads fine-tuning JSONL in the shapes users bring: {"prompt","completion"} or chat {"messages":[…]} (last assistant turn = completion).</summary>
public static class TrainingData
{
    public static List<TrainingPair> LoadJsonl(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Training data not found: {path}", path);
        var pairs = new List<TrainingPair>();
        int line = 0;
        foreach (var raw in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(raw)) continue;
            JsonElement root;
            try { root = JsonDocument.Parse(raw).RootElement; }
            catch (JsonException e) { throw new DataFormatException(path, line, "(json)", e.Message); }
            pairs.Add(Parse(root, path, line));
        }
        if (pairs.Count == 0) throw new DataFormatException(path, 0, "(file)", "no examples");
        return pairs;
    }

    /// <summary>Kit task rows (data/&lt;task&gt;/train.jsonl): prompt = the query-only rendering (PromptRenderer), completion = the task's answer text.
    /// Staged prompts with template and shots come from Curriculum instead.</summary>
    public static List<TrainingPair> FromTask(string task, string path) =>
        JsonlDataset.Load(path).Select(e => new TrainingPair(
            Prompts.PromptRenderer.ToText(Prompts.PromptParts.QueryOnly(Prompts.TaskFormat.QueryText(task, e))),
            Prompts.TaskFormat.AnswerText(task, e))).ToList();

    static TrainingPair Parse(JsonElement o, string path, int line)
    {
        if (o.TryGetProperty("prompt", out var p))
        {
            if (!o.TryGetProperty("completion", out var c) || c.ValueKind != JsonValueKind.String)
                throw new DataFormatException(path, line, "completion", "missing or not a string (prompt/completion format)");
            return new TrainingPair(p.GetString() ?? "", c.GetString()!);
        }
        if (o.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Array)
        {
            var turns = m.EnumerateArray().Select(x => (Role: x.GetProperty("role").GetString() ?? "", Content: x.GetProperty("content").GetString() ?? "")).ToList();
            var last = turns.FindLastIndex(t => t.Role == "assistant");
            if (last < 0) throw new DataFormatException(path, line, "messages", "no assistant message to learn");
            // Chat rendered as plain text sections; the model learns the last assistant turn.
            var prompt = string.Concat(turns.Take(last).Select(t => t.Role == "assistant" ? t.Content + "\n\n" : t.Content + "\n\n"));
            return new TrainingPair(prompt, turns[last].Content);
        }
        throw new DataFormatException(path, line, "prompt|messages", "expected {\"prompt\",\"completion\"} or {\"messages\":[…]}");
    }
}
