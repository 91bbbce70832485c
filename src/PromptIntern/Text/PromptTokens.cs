using PromptIntern.Prompts;

namespace PromptIntern.Text;

/// <summary>Tokens per prompt part, counted by a named cost tokenizer. Total counts the rendered prompt
/// (PromptRenderer.ToText), so it also includes the Query/Answer markers and separators the parts do not.</summary>
public sealed record PromptTokens(string Tokenizer, int Template, int Examples, int Query, int Total)
{
    public static PromptTokens Count(PromptParts parts, ITokenCounter counter) => new(
        counter.Name,
        counter.CountTokens(parts.Template),
        parts.Examples.Sum(e => counter.CountTokens(e.Query) + counter.CountTokens(e.Answer)),
        counter.CountTokens(parts.Query),
        counter.CountTokens(PromptRenderer.ToText(parts)));
}
