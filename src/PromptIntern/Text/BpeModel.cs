namespace PromptIntern.Text;

/// <summary>Everything that defines a byte-level BPE tokenizer: the vocabulary (byte-level strings to ids), the merges
/// in priority order ("left right"), the special tokens, and the pre-tokenizer regex. It is what gets saved and loaded.</summary>
public sealed record BpeModel(
    IReadOnlyDictionary<string, int> Vocab,
    IReadOnlyList<string> Merges,
    IReadOnlyDictionary<string, int> SpecialTokens,
    string Pattern)
{
    /// <summary>A pre-token found whole in the vocabulary is one token, merges or not (Llama 3's ignore_merges).</summary>
    public bool IgnoreMerges { get; init; }
    /// <summary>Text is NFC-normalised before encoding (Qwen2's normalizer).</summary>
    public bool NfcNormalize { get; init; }

    /// <summary>One more than the largest id, counting special tokens.</summary>
    public int VocabSize => Math.Max(Vocab.Count == 0 ? 0 : Vocab.Values.Max(), SpecialTokens.Count == 0 ? -1 : SpecialTokens.Values.Max()) + 1;
}
