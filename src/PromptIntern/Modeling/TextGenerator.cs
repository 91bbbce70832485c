using PromptIntern.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>Batched autoregressive decoding with a pre-allocated KV cache and left padding: one prefill pass, then one token per step.</summary>
public static class TextGenerator
{
    /// <summary>Generated token ids per prompt (stopped at EOS or a stop sequence), plus the finish reason.</summary>
    public static List<(int[] Tokens, string Text, string Finish)> Generate(LlamaModel model, ITokenizer tokenizer, IReadOnlyList<int[]> prompts, GenerationOptions o)
    {
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p.Length == 0)) throw new ArgumentException("Every prompt needs at least one token (add BOS).");
        if (o.MaxNewTokens < 1) throw new ArgumentException($"MaxNewTokens must be at least 1 (got {o.MaxNewTokens}).");
        // libtorch would fail deep inside sampling (or sample garbage) on these.
        if (!double.IsFinite(o.Temperature) || o.Temperature < 0) throw new ArgumentException($"Temperature must be a finite number >= 0 (got {o.Temperature}).");
        if (!(o.TopP > 0 && o.TopP <= 1)) throw new ArgumentException($"TopP must be in (0, 1] (got {o.TopP}).");
        if (o.TruncatePromptLeft)
        {
            // Same rule as supervised fine-tuning: a prompt too long for the context loses its beginning, never its end.
            int room = model.Config.MaxSeqLen - o.MaxNewTokens;
            if (room < 2) throw new ArgumentException($"MaxNewTokens ({o.MaxNewTokens}) leaves no room for a prompt in a {model.Config.MaxSeqLen}-token context.");
            prompts = prompts.Select(x => x.Length <= room ? x : [x[0], .. x[^(room - 1)..]]).ToList();
        }
        int b = prompts.Count, p = prompts.Max(x => x.Length), capacity = p + o.MaxNewTokens;
        if (capacity > model.Config.MaxSeqLen)
            throw new ArgumentException($"Prompt ({p} tokens) + MaxNewTokens ({o.MaxNewTokens}) exceeds the model's max_position_embeddings ({model.Config.MaxSeqLen}).");
        var device = model.Device;
        bool padded = prompts.Any(x => x.Length != p);
        var flat = new long[b * p];
        var maskFlat = new long[b * capacity];
        for (int i = 0; i < b; i++)
        {
            int off = p - prompts[i].Length;
            for (int j = 0; j < p; j++) flat[i * p + j] = j < off ? tokenizer.PadId : prompts[i][j - off];
            for (int j = 0; j < capacity; j++) maskFlat[i * capacity + j] = j < off ? 0 : 1;
        }
        var outputs = Enumerable.Range(0, b).Select(_ => new List<int>()).ToArray();
        var texts = new string[b];
        var finish = Enumerable.Repeat("length", b).ToArray();
        var done = new bool[b];
        var rng = o.Temperature > 0 ? new Generator((ulong)o.Seed) : null;

        bool wasTraining = model.training;
        model.eval();
        using var _ = no_grad();
        var offsets = prompts.Select(x => p - x.Length).ToArray();
        var steps = GraphDecoder.Applies(device)
            ? GraphDecoder.Steps(model, flat, b, p, offsets, o)
            : EagerSteps(model, tokenizer, flat, maskFlat, padded, b, p, capacity, o, rng, done);
        foreach (var next in steps)
        {
            for (int i = 0; i < b; i++)
            {
                if (done[i]) continue;
                if (o.StopAtEos && next[i] == tokenizer.EosId) { done[i] = true; finish[i] = "eos"; continue; }
                outputs[i].Add((int)next[i]);
                if (o.StopSequences.Count > 0)
                {
                    var text = tokenizer.Decode(outputs[i]);
                    var cut = o.StopSequences.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(k => k >= 0).DefaultIfEmpty(-1).Min();
                    if (cut >= 0) { texts[i] = text[..cut]; done[i] = true; finish[i] = "stop"; }
                }
            }
            if (done.All(d => d)) break;
        }
        if (wasTraining) model.train();
        return Enumerable.Range(0, b).Select(i => (outputs[i].ToArray(), texts[i] ?? tokenizer.Decode(outputs[i]), finish[i])).ToList();
    }

    /// <summary>The eager path (CPU, or CUDA without the native extension): one forward per token over a growing KV cache,
    /// one host sync per token. Rows in <paramref name="done"/> are fed padding.</summary>
    static IEnumerable<long[]> EagerSteps(LlamaModel model, ITokenizer tokenizer, long[] flat, long[] maskFlat, bool padded, int b, int p, int capacity,
        GenerationOptions o, Generator? rng, bool[] done)
    {
        var device = model.Device;
        using var outer = NewDisposeScope();
        using var cache = new KvCache(model.Config, b, capacity, device, model.DType);
        var padMask = padded ? tensor(maskFlat, [b, capacity]).to(device) : null;
        var input = tensor(flat, [b, p]).to(device);
        int start = 0;
        try
        {
            for (int step = 0; step < o.MaxNewTokens; step++)
            {
                long[] next;
                using (var scope = NewDisposeScope())
                {
                    int t = (int)input.shape[1];
                    var ctx = ForwardContext.Create(b, t, device, padMask, cache, start);
                    var logits = model.Forward(input, ctx, lastOnly: true).select(1, 0); // [B, V]
                    start += t;
                    next = Pick(logits, o, rng).cpu().data<long>().ToArray(); // the one host sync per step
                }
                yield return next;
                input.Dispose();
                input = tensor(next.Select((id, i) => done[i] ? (long)tokenizer.PadId : id).ToArray(), [b, 1]).to(device).DetachFromDisposeScope();
                // Finished rows keep decoding pad tokens (cheap at batch scale); their outputs are frozen by the caller.
            }
        }
        finally { input.Dispose(); }
    }

    static Tensor Pick(Tensor logits, GenerationOptions o, Generator? rng)
    {
        if (o.Temperature <= 0) return logits.argmax(-1);
        var probs = nn.functional.softmax(logits.to(ScalarType.Float32).cpu() / o.Temperature, -1);
        if (o.TopP < 1.0)
        {
            var (sorted, idx) = probs.sort(-1, descending: true);
            var cum = sorted.cumsum(-1);
            sorted = sorted.masked_fill((cum - sorted).gt(o.TopP), 0); // keep the smallest prefix whose mass reaches top_p
            probs = zeros_like(probs).scatter(-1, idx, sorted);
        }
        return probs.multinomial(1, generator: rng).squeeze(-1);
    }
}
