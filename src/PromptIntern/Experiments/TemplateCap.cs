using PromptIntern.Text;

namespace PromptIntern.Experiments;

/// <summary>Shortens a template for small-context presets: whole lines from the top while they fit the cap, so the kept
/// part still reads as instructions (the task rules and output format come first in every template).</summary>
public static class TemplateCap
{
    public static string Apply(string template, int maxTokens, CostTokenizer tokenizer)
    {
        if (maxTokens <= 0 || tokenizer.CountTokens(template) <= maxTokens) return template;
        var kept = new List<string>();
        foreach (var line in template.Split('\n'))
        {
            if (tokenizer.CountTokens(string.Join('\n', kept.Append(line))) > maxTokens) break;
            kept.Add(line);
        }
        return kept.Count > 0 ? string.Join('\n', kept).TrimEnd() : tokenizer.Prefix(template, maxTokens);
    }
}
