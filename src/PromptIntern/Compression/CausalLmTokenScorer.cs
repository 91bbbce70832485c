using PromptIntern.Modeling;

namespace PromptIntern.Compression;

/// <summary>The LLMLingua family's scorer over the kit's own causal LM: one forward pass gives every token's
/// log-probability given the prefix and the text before it.</summary>
/// <remarks>Spans come from decoding the token ids back: tokens that only together form whole characters (a byte-level
/// BPE can split a UTF-8 character) are merged into one scored unit with their log-probabilities summed, so a compressor
/// can never cut inside a character.</remarks>
public sealed class CausalLmTokenScorer(CausalLanguageModel lm, string? name = null) : ITokenScorer
{
    public string Name { get; } = name ?? $"causal-lm:{lm.Config.HiddenSize}x{lm.Config.NumLayers}";

    public IReadOnlyList<ScoredToken> Score(string text, string prefix = "")
    {
        if (string.IsNullOrEmpty(text)) return [];
        var prefixIds = prefix.Length == 0 ? [] : lm.Tokenizer.Encode(prefix);
        var textIds = lm.Tokenizer.Encode(text);
        int[] ids = [lm.Tokenizer.BosId, .. prefixIds, .. textIds];
        var logProbs = lm.TokenLogProbs(ids);
        int offset = 1 + prefixIds.Length;
        var scored = new List<ScoredToken>(textIds.Length);
        int pos = 0, groupStart = 0;
        float groupLogProb = 0;
        for (int i = 0; i < textIds.Length; i++)
        {
            groupLogProb += logProbs[offset + i];
            var piece = lm.Tokenizer.Decode(textIds[groupStart..(i + 1)]);
            // A partial character decodes to U+FFFD and does not match the text: keep extending the group.
            if (!text.AsSpan(pos).StartsWith(piece, StringComparison.Ordinal)) continue;
            scored.Add(new ScoredToken(pos, piece.Length, groupLogProb));
            pos += piece.Length;
            groupStart = i + 1;
            groupLogProb = 0;
        }
        if (pos < text.Length) scored.Add(new ScoredToken(pos, text.Length - pos, groupLogProb));
        return scored;
    }
}
