using System.Diagnostics;
using PromptIntern.Modeling;
using PromptIntern.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace PromptIntern.Training;

/// <summary>Training throughput and generation latency on random tokens, in the shapes of bench/peer_torch.py (HF transformers + PEFT), so the two compare.</summary>
public static class ThroughputBenchmark
{
    public sealed record TrainResult(string Model, bool Lora, int Seq, int Batch, double TokensPerSecond, double StepMs, double ParamsM, double TrainableM, double? Mfu, double Loss, string Precision);
    public sealed record GenerateResult(string Model, int PromptTokens, int NewTokens, double MedianMs, string Precision);

    /// <summary>peer_torch.py's flops_per_token: 6N (matmuls, fwd+bwd, lm head counted) + 12·L·d·seq (attention).</summary>
    public static double FlopsPerToken(LlamaConfig c, int seq)
    {
        double d = c.HiddenSize, kv = c.NumKvHeads * c.HeadDim;
        double perLayer = d * d * 2 + d * kv * 2 + 3 * d * c.IntermediateSize;
        double n = c.NumLayers * perLayer + d * c.VocabSize;
        return 6 * n + 12 * c.NumLayers * d * seq;
    }

    static void Sync(Device d) { if (d.type == DeviceType.CUDA) cuda.synchronize(d); }

    /// <summary>Full fine-tuning or LoRA (r 16, alpha 32, q_proj+v_proj, as the peer) steps: forward, loss, backward, clip 1.0, AdamW.</summary>
    public static TrainResult Train(string name, LlamaConfig config, bool lora, Device device, int seq = 1024, int batch = 16, int steps = 20, int warmup = 5,
        bool bf16 = true, double peakFlops = 989e12)
    {
        // The peer unties embeddings; so do we, for the same parameter count.
        var cfg = config with { TieEmbeddings = false, MaxSeqLen = Math.Max(config.MaxSeqLen, seq) };
        using var model = new LlamaModel(cfg, seed: 0);
        model.to(device);
        if (bf16) model.to(ScalarType.BFloat16);
        LoraAdapter? adapter = lora ? LoraAdapter.Attach(model, new LoraConfig { R = 16, Alpha = 32, Dropout = 0, TargetModules = ["q_proj", "v_proj"] }) : null;
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();
        var opt = optim.AdamW(parameters, 1e-4, 0.9, 0.999, 1e-8, 0.1);
        model.train();
        // Drawn on the CPU generator (seeded, same on every machine), then moved: a CPU generator cannot fill a CUDA tensor.
        using var x = randint(0, cfg.VocabSize, [batch, seq], ScalarType.Int64, CPU, generator: new Generator(0)).to(device);
        Tensor Step()
        {
            using var scope = NewDisposeScope();
            var loss = model.Loss(x, x);
            loss.backward();
            nn.utils.clip_grad_norm_(parameters, 1.0);
            opt.step();
            opt.zero_grad();
            return loss.detach().MoveToOuterDisposeScope();
        }
        for (int i = 0; i < warmup; i++) Step().Dispose();
        Sync(device);
        var sw = Stopwatch.StartNew();
        Tensor last = Step();
        for (int i = 1; i < steps; i++) { last.Dispose(); last = Step(); }
        Sync(device);
        var dt = sw.Elapsed.TotalSeconds;
        var tps = (double)batch * seq * steps / dt;
        double? mfu = lora ? null : Math.Round(tps * FlopsPerToken(cfg, seq) / peakFlops, 3);
        var total = model.parameters().Sum(p => p.numel());
        var trainable = parameters.Sum(p => p.numel());
        var lossValue = last.to(ScalarType.Float32).item<float>();
        last.Dispose();
        return new TrainResult(name, lora, seq, batch, Math.Round(tps), Math.Round(dt / steps * 1e3, 2), Math.Round(total / 1e6, 1), Math.Round(trainable / 1e6, 2), mfu, lossValue, bf16 ? "bf16" : "fp32");
    }

    /// <summary>Greedy decoding of <paramref name="newTokens"/> tokens after a random prompt of <paramref name="promptTokens"/>, batch 1, KV cache; median of reps after one warm-up.</summary>
    public static GenerateResult Generate(string name, LlamaConfig config, int promptTokens, Device device, int newTokens = 64, int reps = 5, bool bf16 = true)
    {
        var cfg = config with { TieEmbeddings = false, MaxSeqLen = Math.Max(config.MaxSeqLen, promptTokens + newTokens) };
        using var model = new LlamaModel(cfg, seed: 0);
        model.to(device);
        if (bf16) model.to(ScalarType.BFloat16);
        model.eval();
        var prompt = Enumerable.Range(0, promptTokens).Select(i => (i * 7919) % 256).ToArray(); // fixed, in every vocabulary
        var o = new GenerationOptions { MaxNewTokens = newTokens, StopAtEos = false };
        var tok = new ByteTokenizer();
        TextGenerator.Generate(model, tok, [prompt], o);
        Sync(device);
        var times = new List<double>();
        for (int r = 0; r < reps; r++)
        {
            var sw = Stopwatch.StartNew();
            TextGenerator.Generate(model, tok, [prompt], o);
            Sync(device);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return new GenerateResult(name, promptTokens, newTokens, Math.Round(times[times.Count / 2], 1), bf16 ? "bf16" : "fp32");
    }
}
