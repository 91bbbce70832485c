namespace PromptIntern.Text;

/// <summary>Everything that defines a byte-level BPE tokenizer: the vocabulary (byte-level strings to ids), the merges
/// in priority order ("left right"), the special tokens, and the pre-tokenizer regex. It is what gets saved and loaded.</summary>
public sealed record BpeModel(
    IReadOnlyDictionary<string, int> Vocab,
    IReadOnlyList<string> Merges,
    IReadOnlyDictionary<string, int> SpecialTokens,
    string Pattern)
{
    /// <summary>One more than the largest id, counting special tokens.</summary>
    public int VocabSize => Math.Max(Vocab.Count == 0 ? 0 : Vocab.Values.Max(), SpecialTokens.Count == 0 ? -1 : SpecialTokens.Values.Max()) + 1;
}
