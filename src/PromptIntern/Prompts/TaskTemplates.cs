using System.Collections.Concurrent;
using PromptIntern.Data;

namespace PromptIntern.Prompts;

/// <summary>The full instruction template of each task (data/templates/&lt;task&gt;.md): the recurring part of the prompt
/// that PromptIntern internalizes. Also the spans a template compressor must keep verbatim.</summary>
public static class TaskTemplates
{
    static readonly ConcurrentDictionary<string, string> Cache = new();

    /// <summary>Template text from the kit's data/templates folder.</summary>
    public static string Get(string task) => Get(task, Path.Combine(KitPaths.Data, "templates"));

    /// <summary>Template text from <paramref name="templatesDir"/>/&lt;task&gt;.md (cached per full path).</summary>
    public static string Get(string task, string templatesDir)
    {
        var path = Path.GetFullPath(Path.Combine(templatesDir, TaskName.Parse(task) + ".md"));
        return Cache.GetOrAdd(path, p =>
        {
            if (!File.Exists(p)) throw new FileNotFoundException($"instruction template not found: {p}", p);
            var text = File.ReadAllText(p).Trim();
            if (text.Length == 0) throw new DataFormatException(p, 0, "template", "empty");
            return text;
        });
    }

    /// <summary>Spans a compressor must keep verbatim (LLMLingua's force_tokens idea): the answer marker the model
    /// continues after and the sentence that fixes the output format. Every span occurs in the task's template.</summary>
    public static IReadOnlyList<string> ForcedSpans(string task) => TaskName.Parse(task) switch
    {
        TaskName.Nl2Bash => [PromptRenderer.AnswerMarker, "Write the command only, on one line"],
        TaskName.Mbpp => [PromptRenderer.AnswerMarker, "Write only the Python code", "exactly that name"],
        TaskName.Nl2Formula => [PromptRenderer.AnswerMarker, "Write only the formula, beginning with \"=\"", "Row 1 is the header row"],
        _ => throw new ArgumentException($"unknown task '{task}'"),
    };
}
