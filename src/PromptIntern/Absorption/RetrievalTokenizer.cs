namespace PromptIntern.Absorption;

/// <summary>Splits text into the terms BM25 matches on.</summary>
/// <remarks>Ours (the paper does not say): lower-case (invariant culture), then split on every character that is
/// neither a letter, a digit nor '_'. Keeping '_' inside a term keeps code identifiers such as <c>max_chain_length</c>
/// or <c>$HOME</c>'s <c>home</c> whole; no stemming and no stop-word list, so results do not depend on a language model
/// of English.</remarks>
public static class RetrievalTokenizer
{
    public static IReadOnlyList<string> Tokenize(string text)
    {
        var terms = new List<string>();
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool word = i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_');
            if (word && start < 0) start = i;
            else if (!word && start >= 0)
            {
                terms.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }
        return terms;
    }
}
