using Microsoft.ML.Tokenizers;

namespace PromptIntern.Compression;

/// <summary>Counts tokens the way the priced model bills them; compression budgets are met in these tokens.</summary>
public interface ITokenCounter
{
    /// <summary>Tokenizer name, reported with every count (e.g. "o200k_base").</summary>
    string Name { get; }

    int CountTokens(string text);
}

/// <summary>A tiktoken encoding (o200k_base by default, as GPT-4o bills) through Microsoft.ML.Tokenizers.</summary>
public sealed class TiktokenCounter : ITokenCounter
{
    static readonly Dictionary<string, TiktokenCounter> Shared = new();
    readonly Tokenizer _tokenizer;

    TiktokenCounter(string encoding)
    {
        Name = encoding;
        _tokenizer = TiktokenTokenizer.CreateForEncoding(encoding);
    }

    public string Name { get; }

    /// <summary>The default counting tokenizer.</summary>
    public static TiktokenCounter O200kBase => Get("o200k_base");

    /// <summary>One shared instance per encoding name ("o200k_base", "cl100k_base").</summary>
    public static TiktokenCounter Get(string encoding)
    {
        lock (Shared)
        {
            if (!Shared.TryGetValue(encoding, out var c)) Shared[encoding] = c = new TiktokenCounter(encoding);
            return c;
        }
    }

    public int CountTokens(string text) => text.Length == 0 ? 0 : _tokenizer.CountTokens(text);
}
