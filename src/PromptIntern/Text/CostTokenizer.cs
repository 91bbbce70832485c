using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace PromptIntern.Text;

/// <summary>A tokenizer of a priced hosted model, used to count the tokens a prompt is billed for:
/// o200k_base (GPT-4o family) or cl100k_base (GPT-3.5-turbo, GPT-4). Instances are cached and thread-safe.</summary>
/// <remarks>Long texts (templates, which recur in every example of a curriculum) are memoised, so a template is counted
/// once per stage rather than once per example.</remarks>
public sealed class CostTokenizer : ITokenCounter
{
    public const string O200kBase = "o200k_base";
    public const string Cl100kBase = "cl100k_base";
    public static readonly IReadOnlyList<string> Known = [O200kBase, Cl100kBase];

    static readonly ConcurrentDictionary<string, CostTokenizer> Cache = new();

    const int MemoMinChars = 512, MemoMaxEntries = 256;
    readonly Tokenizer _tokenizer;
    readonly ConcurrentDictionary<string, int> _memo = new(StringComparer.Ordinal);

    CostTokenizer(string name, Tokenizer tokenizer) { Name = name; _tokenizer = tokenizer; }

    /// <summary>The encoding's name, recorded beside every count it makes.</summary>
    public string Name { get; }

    public static CostTokenizer O200k => Get(O200kBase);
    public static CostTokenizer Cl100k => Get(Cl100kBase);

    /// <summary>The cached tokenizer for an encoding name (o200k_base or cl100k_base).</summary>
    public static CostTokenizer Get(string name)
    {
        var key = name.Trim().ToLowerInvariant();
        if (!Known.Contains(key)) throw new ArgumentException($"unknown cost tokenizer '{name}'; known: {string.Join(", ", Known)}");
        return Cache.GetOrAdd(key, k => new CostTokenizer(k, TiktokenTokenizer.CreateForEncoding(k)));
    }

    public int CountTokens(string text)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        if (text.Length < MemoMinChars) return _tokenizer.CountTokens(text);
        if (_memo.TryGetValue(text, out int n)) return n;
        n = _tokenizer.CountTokens(text);
        if (_memo.Count < MemoMaxEntries) _memo[text] = n;
        return n;
    }

    public IReadOnlyList<int> Encode(string text) => string.IsNullOrEmpty(text) ? [] : _tokenizer.EncodeToIds(text);

    /// <summary>The longest prefix of <paramref name="text"/> holding at most <paramref name="maxTokens"/> tokens.</summary>
    public string Prefix(string text, int maxTokens)
    {
        if (string.IsNullOrEmpty(text) || maxTokens <= 0) return "";
        int end = _tokenizer.GetIndexByTokenCount(text, maxTokens, out _, out _);
        return text[..end];
    }

    public override string ToString() => Name;
}
