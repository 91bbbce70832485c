namespace PromptIntern.Text;

/// <summary>A token and the characters of the input it stands for: [Start, Start + Length) in UTF-16 chars.
/// Spans of consecutive tokens tile the input exactly and never cut a character; a token that only carries the
/// trailing bytes of a character that an earlier token started has Length 0.</summary>
public readonly record struct TokenSpan(int Id, int Start, int Length)
{
    public int End => Start + Length;
}
