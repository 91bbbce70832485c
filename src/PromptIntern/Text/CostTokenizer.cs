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
    readonly TiktokenTokenizer _tokenizer;
    readonly ConcurrentDictionary<string, int> _memo = new(StringComparer.Ordinal);

    CostTokenizer(string name, TiktokenTokenizer tokenizer) { Name = name; _tokenizer = tokenizer; }

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

    /// <summary>Pieces (pre-tokenizer matches) longer than this are merged by <see cref="RankedBpe"/>: the library's merge
    /// loop takes time quadratic in a piece's length (a 200 KB run of letters took 15 s, 50 MB never returned).</summary>
    internal const int LongPiece = 256;

    public int CountTokens(string text)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        if (text.Length < MemoMinChars) return _tokenizer.CountTokens(text);
        if (_memo.TryGetValue(text, out int n)) return n;
        n = Encode(text).Count;
        if (_memo.Count < MemoMaxEntries) _memo[text] = n;
        return n;
    }

    /// <summary>Token ids, the same as the library's, in time linear in the text's length up to a log factor.</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        if (text.Length <= LongPiece) return _tokenizer.EncodeToIds(text);
        var ids = new List<int>();
        foreach (var (offset, length) in _tokenizer.PreTokenizer!.PreTokenize(text))
        {
            if (length <= LongPiece)
                ids.AddRange(_tokenizer.EncodeToIds(text.AsSpan(offset, length), considerPreTokenization: false, considerNormalization: false));
            else
                RankedBpe.Encode(System.Text.Encoding.UTF8.GetBytes(text, offset, length), TiktokenRanks.For(Name), ids);
        }
        return ids;
    }

    /// <summary>The longest prefix of <paramref name="text"/> holding at most <paramref name="maxTokens"/> tokens.</summary>
    public string Prefix(string text, int maxTokens)
    {
        if (string.IsNullOrEmpty(text) || maxTokens <= 0) return "";
        int end = _tokenizer.GetIndexByTokenCount(text, maxTokens, out _, out _);
        return text[..end];
    }

    public override string ToString() => Name;
}
