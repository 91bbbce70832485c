namespace PromptIntern.Compression;

/// <summary>A language model seen as a scorer: for each token of a text, its span and log-probability given
/// everything before it (an optional prefix, then the earlier text). The LLMLingua family ranks tokens by
/// self-information, <c>-log p</c>.</summary>
public interface ITokenScorer
{
    /// <summary>Names the model that scored (shown in results and used in cache keys).</summary>
    string Name { get; }

    /// <summary>Tokens of <paramref name="text"/> (spans in chars of <paramref name="text"/>) with
    /// <c>log p(token | prefix, text before it)</c>; the prefix is context only and is not returned.</summary>
    IReadOnlyList<ScoredToken> Score(string text, string prefix = "");

    /// <summary><see cref="Score"/> for many (text, prefix) pairs at once; LMs batch them into fewer forward passes.</summary>
    IReadOnlyList<IReadOnlyList<ScoredToken>> ScoreMany(IReadOnlyList<(string Text, string Prefix)> items) =>
        items.Select(i => Score(i.Text, i.Prefix)).ToList();
}

/// <summary>One scored token: its char span in the scored text and its natural-log probability.</summary>
public readonly record struct ScoredToken(int Start, int Length, float LogProb)
{
    /// <summary>Self-information in nats, <c>-log p</c>: high means surprising, so worth keeping.</summary>
    public float SelfInformation => -LogProb;
}
