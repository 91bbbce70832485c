using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PromptIntern.Data;
using PromptIntern.Prompts;

namespace PromptIntern.Curriculum;

/// <summary>Writes a stage's items as fine-tuning JSONL (one example per line) for hosted or distributed stacks.</summary>
public static class FineTuneExporter
{
    // Relaxed escaping keeps quotes, backticks and non-ASCII readable in the files (still valid JSON, one object per line).
    static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One JSONL line. OpenAI: the system message is the template and is omitted when the template is dropped.</summary>
    public static string ToJsonLine(CurriculumItem item, FineTuneFormat format)
    {
        JsonObject obj = format switch
        {
            FineTuneFormat.OpenAi => new JsonObject
            {
                ["messages"] = new JsonArray(PromptRenderer.ToChat(item.Prompt, item.Answer)
                    .Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content }).ToArray()),
            },
            FineTuneFormat.Trl => new JsonObject { ["prompt"] = PromptRenderer.ToText(item.Prompt), ["completion"] = item.Answer },
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
        return obj.ToJsonString(Compact);
    }

    /// <summary>Writes <c>&lt;dir&gt;/&lt;stage name&gt;.jsonl</c> atomically and returns its path.</summary>
    public static string WriteStage(CurriculumStage stage, string dir, FineTuneFormat format)
    {
        var path = Path.Combine(dir, stage.Name + ".jsonl");
        AtomicFile.WriteLines(path, stage.Items.Select(i => ToJsonLine(i, format)));
        return path;
    }
}
