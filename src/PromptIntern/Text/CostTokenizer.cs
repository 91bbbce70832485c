using System.Collections.Concurrent;
using Microsoft.ML.Tokenizers;

namespace PromptIntern.Text;

/// <summary>A tokenizer of a priced hosted model, used to count the tokens a prompt is billed for:
/// o200k_base (GPT-4o family) or cl100k_base (GPT-3.5-turbo, GPT-4). Instances are cached and thread-safe.</summary>
public sealed class CostTokenizer
{
    public const string O200kBase = "o200k_base";
    public const string Cl100kBase = "cl100k_base";
    public static readonly IReadOnlyList<string> Known = [O200kBase, Cl100kBase];

    static readonly ConcurrentDictionary<string, CostTokenizer> Cache = new();

    readonly Tokenizer _tokenizer;

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

    public int CountTokens(string text) => string.IsNullOrEmpty(text) ? 0 : _tokenizer.CountTokens(text);

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
