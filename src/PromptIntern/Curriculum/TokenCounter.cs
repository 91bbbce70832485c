using System.Collections.Concurrent;
using PromptIntern.Text;

namespace PromptIntern.Curriculum;

/// <summary>Counts tokens with a named tokenizer, so every count in a curriculum report says which tokenizer made it.</summary>
/// <remarks>Long texts (templates, which recur in every example) are memoised: counting a curriculum re-counts the same
/// template once per stage rather than once per example.</remarks>
public sealed class TokenCounter
{
    const int MemoMinChars = 512, MemoMaxEntries = 256;
    readonly Func<string, int> _count;
    readonly ConcurrentDictionary<string, int> _memo = new(StringComparer.Ordinal);

    public string Name { get; }

    public TokenCounter(string name, Func<string, int> count) { Name = name; _count = count; }

    public int Count(string text)
    {
        if (text.Length < MemoMinChars) return _count(text);
        if (_memo.TryGetValue(text, out int n)) return n;
        n = _count(text);
        if (_memo.Count < MemoMaxEntries) _memo[text] = n;
        return n;
    }

    static readonly ConcurrentDictionary<string, TokenCounter> Tiktokens = new(StringComparer.Ordinal);

    /// <summary>A cost tokenizer ("o200k_base" for the GPT-4o family, "cl100k_base" for GPT-3.5/4), see <see cref="CostTokenizer"/>.</summary>
    public static TokenCounter Tiktoken(string encoding = CostTokenizer.O200kBase)
    {
        var tok = CostTokenizer.Get(encoding);
        return Tiktokens.GetOrAdd(tok.Name, _ => new TokenCounter(tok.Name, tok.CountTokens));
    }
}
