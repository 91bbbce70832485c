using System.Text;
using PromptIntern.Modeling;
using PromptIntern.Text;

namespace PromptIntern.Compression;

/// <summary>The kit's causal LM as a token scorer: prefix and text are encoded together after BOS, one forward
/// pass (<see cref="CausalLanguageModel.TokenLogProbs(int[])"/>) gives every token's log-probability, and the
/// tokens inside the text come back with their char spans. Byte pieces of one character are merged into the
/// token that starts the character, so no span cuts a character.</summary>
public sealed class CausalLmTokenScorer(CausalLanguageModel model, string? name = null) : ITokenScorer
{
    public string Name { get; } = name ?? $"causal-lm:{model.Config.HiddenSize}x{model.Config.NumLayers}";

    public CausalLanguageModel Model { get; } = model;

    /// <summary>TorchSharp intra-op threads while scoring on CPU; 0 leaves TorchSharp's setting alone. Default 1: for the
    /// kit's small models the ops are too small to split, and on a shared 2-core machine the default threading made
    /// LLMLingua on a 2.4k-token template take 5-16 s instead of about 1 s (measured).</summary>
    public int IntraOpThreads { get; init; } = 1;

    public IReadOnlyList<ScoredToken> Score(string text, string prefix = "") => ScoreMany([(text, prefix)])[0];

    public IReadOnlyList<IReadOnlyList<ScoredToken>> ScoreMany(IReadOnlyList<(string Text, string Prefix)> items)
    {
        var spans = items.Select(i => i.Text.Length == 0 ? [] : Offsets(i.Prefix + i.Text)).ToList();
        var sequences = spans.Select(s => (int[])[.. Model.Tokenizer.BosPrefix, .. s.Select(t => t.Id)]).ToList();
        var logp = LogProbs(sequences);
        return items.Select((item, k) => (IReadOnlyList<ScoredToken>)Collect(spans[k], logp[k], item.Prefix.Length)).ToList();
    }

    static List<ScoredToken> Collect(List<TokenSpan> spans, float[] logp, int prefixLength)
    {
        var result = new List<ScoredToken>();
        var lastInText = false;
        for (var i = 0; i < spans.Count; i++)
        {
            var s = spans[i];
            var lp = logp[i + 1];
            if (s.Length == 0)
            {
                // continuation bytes of a character: their information belongs to the token that began it
                if (lastInText) result[^1] = result[^1] with { LogProb = result[^1].LogProb + lp };
                continue;
            }
            lastInText = s.End > prefixLength;
            if (!lastInText) continue;
            var start = Math.Max(s.Start, prefixLength);
            result.Add(new ScoredToken(start - prefixLength, s.End - start, lp));
        }
        return result;
    }

    float[][] LogProbs(IReadOnlyList<int[]> sequences)
    {
        if (IntraOpThreads <= 0 || Model.Device.type != TorchSharp.DeviceType.CPU) return Model.TokenLogProbs(sequences);
        var before = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(IntraOpThreads);
        try { return Model.TokenLogProbs(sequences); }
        finally { TorchSharp.torch.set_num_threads(before); }
    }

    /// <summary>Token ids with char spans, for whichever tokenizer the model carries.</summary>
    List<TokenSpan> Offsets(string text) => (object)Model.Tokenizer switch
    {
        ModelTokenizer bpe => bpe.EncodeWithOffsets(text).ToList(),
        ByteTokenizer => ByteOffsets(text),
        _ => DecodedOffsets(text),
    };

    // UTF-8 bytes: the first byte of a character spans it, its other bytes have length 0.
    static List<TokenSpan> ByteOffsets(string text)
    {
        var spans = new List<TokenSpan>();
        var buffer = new byte[4];
        for (var i = 0; i < text.Length;)
        {
            var charLen = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            var n = Encoding.UTF8.GetBytes(text.AsSpan(i, charLen), buffer);
            for (var b = 0; b < n; b++) spans.Add(new TokenSpan(buffer[b], i, b == 0 ? charLen : 0));
            i += charLen;
        }
        return spans;
    }

    // Any other tokenizer: each token spans the chars its decoding adds to the decoded prefix.
    List<TokenSpan> DecodedOffsets(string text)
    {
        var ids = Model.Tokenizer.Encode(text);
        var spans = new List<TokenSpan>(ids.Length);
        var done = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            var decoded = Model.Tokenizer.Decode(ids.Take(i + 1)).TrimEnd('\uFFFD');
            var end = Math.Clamp(decoded.Length, done, text.Length);
            spans.Add(new TokenSpan(ids[i], done, end - done));
            done = end;
        }
        return spans;
    }
}
