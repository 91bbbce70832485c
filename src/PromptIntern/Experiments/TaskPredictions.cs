using PromptIntern.Data;
using PromptIntern.Modeling;
using PromptIntern.Prompts;

namespace PromptIntern.Experiments;

/// <summary>Predictions of a model for a task's rows in PromptIntern's inference layout (the query alone), decoded as the
/// experiments decode: greedy, cut at the answer's end, in the form `promptintern eval` scores.</summary>
public static class TaskPredictions
{
    public static IReadOnlyList<(string Id, string Prediction)> Generate(CausalLanguageModel lm, string task, IReadOnlyList<TaskExample> rows,
        int maxNewTokens, int batchSize)
    {
        var texts = rows.Select(e => PromptRenderer.ToText(PromptParts.QueryOnly(TaskFormat.QueryText(task, e)))).ToList();
        var options = new GenerationOptions
        {
            MaxNewTokens = maxNewTokens, Temperature = 0, BatchSize = batchSize, TruncatePromptLeft = true,
            // One-line answers (a command, a formula) end at the newline; code ends at the next query marker or EOS.
            StopSequences = TaskName.Parse(task) == TaskName.Mbpp ? TaskFormat.StopMarkers : [.. TaskFormat.StopMarkers, "\n"],
        };
        var generated = lm.Generate(texts, options);
        return rows.Select((e, i) => (e.Id, TaskFormat.ExtractPrediction(task, generated[i].Text))).ToList();
    }

    /// <summary>Writes {"id", "prediction"} lines atomically.</summary>
    public static void Write(string path, IEnumerable<(string Id, string Prediction)> predictions) =>
        AtomicFile.WriteLines(path, predictions.Select(p => System.Text.Json.JsonSerializer.Serialize(new { id = p.Id, prediction = p.Prediction }, Relaxed)));

    // Quotes, backticks and non-ASCII stay readable (still valid JSON).
    static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
