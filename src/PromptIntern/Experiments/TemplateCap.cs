using PromptIntern.Text;

namespace PromptIntern.Experiments;

/// <summary>Shortens a template for small-context presets: whole paragraphs from the top while they fit the cap,
/// so the kept part still reads as instructions (the task rules and output format come first in every template).</summary>
public static class TemplateCap
{
    public static string Apply(string template, int maxTokens, CostTokenizer tokenizer)
    {
        if (maxTokens <= 0 || tokenizer.CountTokens(template) <= maxTokens) return template;
        var kept = new List<string>();
        foreach (var paragraph in template.Split("\n\n"))
        {
            var candidate = string.Join("\n\n", kept.Append(paragraph));
            if (tokenizer.CountTokens(candidate) > maxTokens) break;
            kept.Add(paragraph);
        }
        return kept.Count > 0 ? string.Join("\n\n", kept) : tokenizer.Prefix(template, maxTokens);
    }
}
