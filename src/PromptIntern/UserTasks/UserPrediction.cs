using PromptIntern.Prompts;

namespace PromptIntern.UserTasks;

/// <summary>Cuts a generated continuation back to a user task's prediction: stop at the next prompt marker, drop
/// Markdown fence lines, keep the first non-empty line when answers are one line.</summary>
public static class UserPrediction
{
    public static string Extract(string generated, bool oneLine)
    {
        var text = generated.Replace("\r\n", "\n");
        foreach (var marker in TaskFormat.StopMarkers)
        {
            int i = text.IndexOf(marker, StringComparison.Ordinal);
            if (i >= 0) text = text[..i];
        }
        var lines = text.Split('\n').Where(l => !l.TrimStart().StartsWith("```", StringComparison.Ordinal)).ToList();
        if (oneLine) return lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return string.Join("\n", lines).Trim();
    }
}
