using PromptIntern.Text;

namespace PromptIntern.Compression;

/// <summary>Counts tokens the way the priced model bills them; compression budgets are met in these tokens.</summary>
public interface ITokenCounter
{
    /// <summary>Tokenizer name, reported with every count (e.g. "o200k_base").</summary>
    string Name { get; }

    int CountTokens(string text);
}

/// <summary>A cost tokenizer (o200k_base by default, as GPT-4o bills; or cl100k_base) as a counter.</summary>
public sealed class TiktokenCounter : ITokenCounter
{
    readonly CostTokenizer _tokenizer;

    TiktokenCounter(CostTokenizer tokenizer) => _tokenizer = tokenizer;

    public string Name => _tokenizer.Name;

    /// <summary>The default counting tokenizer.</summary>
    public static TiktokenCounter O200kBase { get; } = new(CostTokenizer.O200k);

    /// <summary>A counter for an encoding name ("o200k_base", "cl100k_base").</summary>
    public static TiktokenCounter Get(string encoding) => new(CostTokenizer.Get(encoding));

    public int CountTokens(string text) => _tokenizer.CountTokens(text);
}
