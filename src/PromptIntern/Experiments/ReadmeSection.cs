using PromptIntern.Data;

namespace PromptIntern.Experiments;

/// <summary>Replaces the generated part of a Markdown file between <c>&lt;!-- name:begin --&gt;</c> and
/// <c>&lt;!-- name:end --&gt;</c>, so numbers in the README always come from code.</summary>
public static class ReadmeSection
{
    public static void Replace(string path, string name, string content)
    {
        string begin = $"<!-- {name}:begin -->", end = $"<!-- {name}:end -->";
        var text = File.ReadAllText(path);
        int b = text.IndexOf(begin, StringComparison.Ordinal), e = text.IndexOf(end, StringComparison.Ordinal);
        if (b < 0 || e < b) throw new DataFormatException(path, 0, name, $"markers '{begin}' and '{end}' not found");
        AtomicFile.WriteAllText(path, text[..(b + begin.Length)] + "\n" + content.Trim() + "\n" + text[e..]);
    }
}
