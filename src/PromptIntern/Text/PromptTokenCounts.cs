using PromptIntern.Prompts;

namespace PromptIntern.Text;

/// <summary>Tokens per prompt part, counted by a named cost tokenizer. Total counts the rendered prompt
/// (PromptRenderer.ToText), so it also includes the Query/Answer markers and separators the parts do not.</summary>
public sealed record PromptTokenCounts(string Tokenizer, int Template, int Examples, int Query, int Total)
{
    public static PromptTokenCounts Count(PromptParts parts, CostTokenizer tokenizer) => new(
        tokenizer.Name,
        tokenizer.CountTokens(parts.Template),
        parts.Examples.Sum(e => tokenizer.CountTokens(e.Query) + tokenizer.CountTokens(e.Answer)),
        tokenizer.CountTokens(parts.Query),
        tokenizer.CountTokens(PromptRenderer.ToText(parts)));
}
