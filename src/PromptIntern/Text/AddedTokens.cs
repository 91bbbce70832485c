namespace PromptIntern.Text;

/// <summary>One entry of tokenizer.json's added_tokens: matched in the text before the model runs.</summary>
public sealed record AddedToken(string Content, int Id, bool Special, bool LStrip = false, bool RStrip = false);

/// <summary>Splits text on added tokens as Hugging Face tokenizers does: leftmost match first, the longest on a tie;
/// lstrip / rstrip tokens also take the whitespace beside them.</summary>
public static class AddedTokens
{
    /// <summary>A piece of the text: an added token's id, or plain text (Id null) to run through the model.</summary>
    public readonly record struct Segment(int Start, int Length, int? Id);

    public static List<Segment> Split(string text, IReadOnlyList<AddedToken> tokens)
    {
        var ordered = tokens.Where(t => t.Content.Length > 0).OrderByDescending(t => t.Content.Length).ToArray();
        var segments = new List<Segment>();
        int pos = 0;
        while (pos < text.Length)
        {
            (int At, AddedToken? Token) best = (-1, null);
            foreach (var t in ordered)
            {
                int at = text.IndexOf(t.Content, pos, StringComparison.Ordinal);
                if (at >= 0 && (best.At < 0 || at < best.At)) best = (at, t);
            }
            if (best.Token is not { } tok) break;
            int start = best.At, end = best.At + tok.Content.Length;
            if (tok.LStrip) while (start > pos && char.IsWhiteSpace(text[start - 1])) start--;
            if (tok.RStrip) while (end < text.Length && char.IsWhiteSpace(text[end])) end++;
            if (start > pos) segments.Add(new Segment(pos, start - pos, null));
            segments.Add(new Segment(start, end - start, tok.Id));
            pos = end;
        }
        if (pos < text.Length) segments.Add(new Segment(pos, text.Length - pos, null));
        return segments;
    }
}
