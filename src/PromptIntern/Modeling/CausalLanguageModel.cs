using System.Diagnostics;
using PromptIntern.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>A language model ready to use: Llama weights + its tokenizer + a device, loaded from and saved to one directory.</summary>
public sealed class CausalLanguageModel : IDisposable
{
    public LlamaModel Model { get; }
    public ITokenizer Tokenizer { get; }
    public Device Device { get; }
    public LlamaConfig Config => Model.Config;
    /// <summary>The LoRA adapter attached by <see cref="AttachLora"/>, if any.</summary>
    public LoraAdapter? Lora { get; private set; }

    public CausalLanguageModel(LlamaModel model, ITokenizer tokenizer, Device? device = null)
    {
        if (tokenizer.VocabSize > model.Config.VocabSize)
            throw new ArgumentException($"Tokenizer has {tokenizer.VocabSize} ids but the model's vocab_size is {model.Config.VocabSize}.");
        Model = model;
        Tokenizer = tokenizer;
        Device = device ?? model.Device;
        if (model.Device != Device) model.to(Device);
    }

    /// <summary>A freshly initialised model of <paramref name="config"/> (vocab_size set from the tokenizer when it differs).</summary>
    public static CausalLanguageModel Create(LlamaConfig config, ITokenizer tokenizer, Device? device = null, long seed = 1337)
    {
        var cfg = config with { VocabSize = tokenizer.VocabSize, BosTokenId = tokenizer.BosId, EosTokenId = tokenizer.EosId };
        return new CausalLanguageModel(new LlamaModel(cfg, seed), tokenizer, device ?? CPU);
    }

    /// <summary>Loads config.json + model.safetensors (or shards) + tokenizer files from <paramref name="directory"/>.</summary>
    public static CausalLanguageModel Load(string directory, Device? device = null, ScalarType? dtype = null)
    {
        var model = HfCheckpoint.Load(directory, device ?? CPU, dtype);
        return new CausalLanguageModel(model, TokenizerFiles.Load(directory), device ?? CPU);
    }

    /// <summary>Writes the model (LoRA, if attached, merged into the saved weights) and tokenizer into <paramref name="directory"/>.</summary>
    public void Save(string directory, ScalarType? dtype = null)
    {
        bool merge = Lora is { Merged: false };
        if (merge) Lora!.Merge();
        try { HfCheckpoint.Save(Model, directory, dtype); }
        finally { if (merge) Lora!.Unmerge(); }
        Tokenizer.Save(directory);
    }

    /// <summary>Adds LoRA adapters (freezing the base weights); SupervisedFineTuner does this for LoRA runs.</summary>
    public LoraAdapter AttachLora(LoraConfig config, long seed = 1337)
    {
        if (Lora is not null) throw new InvalidOperationException("A LoRA adapter is already attached.");
        return Lora = LoraAdapter.Attach(Model, config, seed);
    }

    /// <summary>Token ids of <paramref name="text"/>, with BOS first when <paramref name="addBos"/> and the tokenizer takes one (<see cref="ITokenizer.PrependsBos"/>).</summary>
    public int[] Encode(string text, bool addBos = true) =>
        addBos ? [.. Tokenizer.BosPrefix, .. Tokenizer.Encode(text)] : Tokenizer.Encode(text);

    /// <summary>log p(ids[i] | ids[..i]) for each position in one forward pass; index 0 gets 0. Longer than the context: sliding windows with half-window overlap.</summary>
    public float[] TokenLogProbs(int[] ids) => TokenLogProbs([ids])[0];

    /// <summary>Batched <see cref="TokenLogProbs(int[])"/>: sequences are right-padded and scored together (causal attention never sees the padding).</summary>
    public float[][] TokenLogProbs(IReadOnlyList<int[]> sequences)
    {
        var result = sequences.Select(s => new float[s.Length]).ToArray();
        int window = Config.MaxSeqLen, stride = Math.Max(1, window / 2);
        // Windows: [0, W), then [k·stride, k·stride + W) scoring only positions beyond what earlier windows scored.
        var jobs = new List<(int Seq, int Start, int ScoreFrom)>();
        for (int s = 0; s < sequences.Count; s++)
        {
            int n = sequences[s].Length;
            if (n <= 1) continue;
            jobs.Add((s, 0, 1));
            for (int scored = Math.Min(n, window); scored < n;)
            {
                int end = Math.Min(n, scored + stride);
                jobs.Add((s, end - window, scored));
                scored = end;
            }
        }
        bool wasTraining = Model.training;
        Model.eval();
        using var _ = no_grad();
        const int batch = 8;
        for (int j0 = 0; j0 < jobs.Count; j0 += batch)
        {
            using var scope = NewDisposeScope();
            var chunk = jobs.Skip(j0).Take(batch).ToList();
            var lens = chunk.Select(c => Math.Min(window, sequences[c.Seq].Length - c.Start)).ToArray();
            int t = lens.Max();
            var flat = new long[chunk.Count * t];
            for (int i = 0; i < chunk.Count; i++)
                for (int k = 0; k < t; k++)
                    flat[i * t + k] = k < lens[i] ? sequences[chunk[i].Seq][chunk[i].Start + k] : Tokenizer.PadId;
            var ids = tensor(flat, [chunk.Count, t]).to(Device);
            var logp = nn.functional.log_softmax(Model.call(ids).to(ScalarType.Float32), -1);
            var target = ids.narrow(1, 1, t - 1).unsqueeze(-1);
            var picked = logp.narrow(1, 0, t - 1).gather(-1, target).squeeze(-1).cpu().data<float>().ToArray(); // [n, t-1]
            for (int i = 0; i < chunk.Count; i++)
            {
                var (seq, start, from) = chunk[i];
                for (int k = 1; k < lens[i]; k++)
                    if (start + k >= from) result[seq][start + k] = picked[i * (t - 1) + k - 1];
            }
        }
        if (wasTraining) Model.train();
        return result;
    }

    /// <summary>Completes each prompt (BOS prepended where the tokenizer takes one); decodes in batches of <see cref="GenerationOptions.BatchSize"/>,
    /// grouped by prompt length unless <see cref="GenerationOptions.BucketByLength"/> is off. Results are in <paramref name="prompts"/>' order.</summary>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<string> prompts, GenerationOptions? options = null)
    {
        var o = options ?? new GenerationOptions();
        var encoded = prompts.Select(p => Encode(p)).ToList();
        var results = new GenerationResult[prompts.Count];
        foreach (var batch in o.Buckets.Plan(PromptLengths(encoded, o)))
        {
            var ids = batch.Select(i => encoded[i]).ToList();
            var sw = Stopwatch.StartNew();
            var outs = TextGenerator.Generate(Model, Tokenizer, ids, o);
            var ms = sw.Elapsed.TotalMilliseconds;
            for (int k = 0; k < batch.Length; k++)
                results[batch[k]] = new GenerationResult(outs[k].Text, ids[k].Length, outs[k].Tokens.Length, ms, outs[k].Finish);
        }
        return results;
    }

    /// <summary>The batches (indices into <paramref name="prompts"/>) <see cref="Generate"/> decodes, in its order.</summary>
    public IReadOnlyList<int[]> Batches(IReadOnlyList<string> prompts, GenerationOptions options) =>
        options.Buckets.Plan(PromptLengths(prompts.Select(p => Encode(p)).ToList(), options));

    /// <summary>The padding <see cref="Generate"/> would decode <paramref name="prompts"/> with under <paramref name="options"/>.</summary>
    public PaddingStats Padding(IReadOnlyList<string> prompts, GenerationOptions options) =>
        options.Buckets.Padding(PromptLengths(prompts.Select(p => Encode(p)).ToList(), options));

    /// <summary>Prompt lengths as decoded: after <see cref="GenerationOptions.TruncatePromptLeft"/> cuts them to the context.</summary>
    int[] PromptLengths(IReadOnlyList<int[]> encoded, GenerationOptions o) =>
        encoded.Select(e => o.TruncatePromptLeft ? Math.Min(e.Length, Math.Max(2, Config.MaxSeqLen - o.MaxNewTokens)) : e.Length).ToArray();

    public void Dispose() => Model.Dispose();
}
