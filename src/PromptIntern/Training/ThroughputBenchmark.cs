using System.Diagnostics;
using PromptIntern.Modeling;
using PromptIntern.Native;
using PromptIntern.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace PromptIntern.Training;

/// <summary>Training throughput and generation latency on random tokens, in the shapes of bench/peer/peer_torch.py
/// (HF transformers + PEFT), so the two compare. Speed does not depend on the weights' values: models are random.</summary>
public static class ThroughputBenchmark
{
    public sealed record TrainResult(string Model, string Lora, int Seq, int Batch, double TokensPerSecond, double StepMs, double ParamsM, double TrainableM,
        double? Mfu, double Loss, string Precision, bool ActivationCheckpointing, string Optimizer, double? PeakMemGiB, string Step, double? StaticMemGiB = null,
        string? Trace = null);
    public sealed record GenerateResult(string Model, int PromptTokens, int NewTokens, int Batch, double MedianMs, string Precision, string Decode,
        string? Task = null, string? Layout = null);

    /// <summary>Llama-2-7B's shape (hidden 4096, 32 layers of 32 heads, SwiGLU 11008, vocabulary 32000), for random weights.</summary>
    public static LlamaConfig Llama2_7B => LlamaConfig.Preset("nano") with
    {
        HiddenSize = 4096, IntermediateSize = 11008, NumLayers = 32, NumHeads = 32, NumKvHeads = 32, VocabSize = 32000, MaxSeqLen = 4096,
    };

    /// <summary>A preset name, or llama2-7b.</summary>
    public static LlamaConfig Shape(string name) => name.Equals("llama2-7b", StringComparison.OrdinalIgnoreCase) ? Llama2_7B : LlamaConfig.Preset(name);

    /// <summary>The LoRA settings the peer uses: "qv" = r 16, alpha 32 on q_proj and v_proj; "all" = r 32, alpha 64 on every linear layer.</summary>
    public static LoraConfig? LoraPreset(string name) => name switch
    {
        "none" => null,
        "qv" => new LoraConfig { R = 16, Alpha = 32, Dropout = 0, TargetModules = ["q_proj", "v_proj"] },
        "all" => new LoraConfig { R = 32, Alpha = 64, Dropout = 0, TargetModules = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"] },
        _ => throw new ArgumentException($"LoRA preset '{name}': expected none, qv or all."),
    };

    /// <summary>peer_torch.py's flops_per_token: 6N (matmuls, fwd+bwd, lm head counted) + 12·L·d·seq (attention). With a
    /// frozen base (LoRA) the weights need no weight-gradient GEMM: 4N (the adapters' own FLOPs are negligible and not
    /// counted); recomputation under activation checkpointing is never counted.</summary>
    public static double FlopsPerToken(LlamaConfig c, int seq, bool frozenBase = false)
    {
        double d = c.HiddenSize, kv = c.NumKvHeads * c.HeadDim;
        double perLayer = d * d * 2 + d * kv * 2 + 3 * d * c.IntermediateSize;
        double n = c.NumLayers * perLayer + d * c.VocabSize;
        return (frozenBase ? 4 : 6) * n + 12 * c.NumLayers * d * seq;
    }

    static void Sync(Device d) { if (d.type == DeviceType.CUDA) cuda.synchronize(d); }

    /// <summary>Random model on the device: fp32 weights for full fine-tuning under bf16-mixed (they become the masters),
    /// bf16 otherwise on CUDA; allocated on the device directly, as a 7B model must be.</summary>
    static LlamaModel Build(LlamaConfig cfg, Device device, ScalarType dtype) =>
        device.type == DeviceType.CUDA ? LlamaModel.Create(cfg, device, dtype, seed: 0) : new LlamaModel(cfg, seed: 0).to(dtype);

    static double? PeakGiB(Device device) =>
        NativeExtension.UsableOn(device) ? Math.Round(NativeExtension.CudaMemory(device.index < 0 ? 0 : device.index, false).PeakAllocated / 1073741824.0, 2) : null;

    /// <summary>GiB allocated now: after building model, adapters and optimizer it is the static part of the peak (weights,
    /// fp32 masters, AdamW moments); the rest of the peak is activations and temporaries.</summary>
    static double? AllocatedGiB(Device device) =>
        NativeExtension.UsableOn(device) ? Math.Round(NativeExtension.CudaMemory(device.index < 0 ? 0 : device.index, false).Allocated / 1073741824.0, 2) : null;

    static void ResetPeak(Device device)
    {
        if (!NativeExtension.UsableOn(device)) return;
        using (zeros(1, device: device)) { } // the caching allocator knows no device before its first allocation there
        NativeExtension.CudaMemory(device.index < 0 ? 0 : device.index, true);
    }

    /// <summary>Training steps as the peer times them: forward, loss, backward, clip 1.0, AdamW (lr 1e-4, wd 0.1, betas 0.9/0.999),
    /// through the kit's training optimizer (<see cref="TrainingLoop.CreateOptimizer"/>), the loss read only at the end.
    /// With <paramref name="profileSteps"/> &gt; 0, that many more steps after the timed ones run under the native
    /// extension's profiler, each in a user range "pi_step#i", and its Chrome trace goes to <paramref name="tracePath"/>
    /// (as peer_torch.py --profile-trace does for the peer; bench/profile_summary.py reads both).</summary>
    public static TrainResult Train(string name, LlamaConfig config, string lora, Device device, int seq = 1024, int batch = 16, int steps = 20, int warmup = 5,
        string precision = "bf16-mixed", bool checkpointing = false, double peakFlops = 989e12, bool graph = false, int profileSteps = 0, string? tracePath = null)
    {
        if (profileSteps > 0 && (tracePath is null || !NativeExtension.HasProfiler))
            throw new ArgumentException($"profiling needs a trace path and the native profiler ({NativeExtension.ProfilerStatus}).");
        // The peer unties embeddings; so do we, for the same parameter count.
        var cfg = config with { TieEmbeddings = false, MaxSeqLen = Math.Max(config.MaxSeqLen, seq) };
        var loraConfig = LoraPreset(lora);
        // LoRA keeps a frozen bf16 base (its fp32 masters would be the adapters alone); full FT under bf16-mixed starts fp32.
        var dtype = precision == "fp32" || (precision == "bf16-mixed" && loraConfig is null) ? ScalarType.Float32 : ScalarType.BFloat16;
        ResetPeak(device);
        using var model = Build(cfg, device, dtype);
        if (loraConfig is not null) LoraAdapter.Attach(model, loraConfig);
        var o = new TrainOptions { LearningRate = 1e-4, WeightDecay = 0.1, Beta1 = 0.9, Beta2 = 0.999, Precision = precision, ActivationCheckpointing = checkpointing };
        using var opt = TrainingLoop.CreateOptimizer(model, o);
        var staticGiB = AllocatedGiB(device);
        model.train();
        // Drawn on the CPU generator (seeded, same on every machine), then moved: a CPU generator cannot fill a CUDA tensor.
        using var x = randint(0, cfg.VocabSize, [batch, seq], ScalarType.Int64, CPU, generator: new Generator(0)).to(device);
        using var lossSum = zeros(1, ScalarType.Float32, device);
        void EagerStep()
        {
            using var scope = NewDisposeScope();
            var loss = model.Loss(x, x);
            loss.backward();
            opt.Step(1e-4, 1.0);
            opt.ZeroGrad();
            lossSum.add_(loss.detach().to(ScalarType.Float32));
        }
        for (int i = 0; i < warmup; i++) EagerStep();
        // --graph: the trainer's graphed step (TrainingLoop's cuda_graph: forward, backward, clip, fused AdamW with the
        // learning rate on the device) captured once and replayed, which removes the host's per-kernel cost.
        using var captured = graph && CudaGraphStep.Unsupported(device, opt, 1) is null
            ? new CudaGraphStep(model, (MasterWeightAdamW)opt, lossSum, batch, seq, 1.0) : null;
        captured?.Run(x, x, 1e-4); // the capture, whose eager warm-up is one more step
        Action step = captured is null ? EagerStep : () => captured.Run(x, x, 1e-4);
        Sync(device);
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) step();
        Sync(device);
        var dt = sw.Elapsed.TotalSeconds;
        if (profileSteps > 0) Profile(step, profileSteps, device, tracePath!);
        var tps = (double)batch * seq * steps / dt;
        var mfu = Math.Round(tps * FlopsPerToken(cfg, seq, frozenBase: loraConfig is not null) / peakFlops, 3);
        var total = model.parameters().Sum(p => p.numel());
        var trainable = model.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
        var meanLoss = lossSum.item<float>() / (warmup + steps + profileSteps + (captured is null ? 0 : 1));
        return new TrainResult(name, lora, seq, batch, Math.Round(tps), Math.Round(dt / steps * 1e3, 2), Math.Round(total / 1e6, 1), Math.Round(trainable / 1e6, 2),
            mfu, meanLoss, precision, checkpointing, opt.Name, PeakGiB(device), captured is null ? "eager" : "cuda-graph", staticGiB,
            profileSteps > 0 ? tracePath : null);
    }

    /// <summary>Runs <paramref name="steps"/> steps under the profiler, from an idle device to the last step's end; the
    /// trace is written beside its final path and moved there, so a reader never sees half a trace.</summary>
    static void Profile(Action step, int steps, Device device, string tracePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(tracePath))!);
        var partial = tracePath + ".partial";
        Sync(device);
        NativeExtension.ProfilerStart(cuda: device.type == DeviceType.CUDA);
        try
        {
            for (int i = 0; i < steps; i++)
                using (NativeExtension.Range($"pi_step#{i}")) step();
            Sync(device);
        }
        finally { NativeExtension.ProfilerStop(partial); }
        File.Move(partial, tracePath, overwrite: true);
    }

    /// <summary>A random model kept for several generation measurements (building a 7B one takes seconds).</summary>
    public sealed class GenerationModel(string name, LlamaModel model) : IDisposable
    {
        public string Name { get; } = name;
        public LlamaModel Model { get; } = model;
        public void Dispose() { GraphDecoder.Release(Model); Model.Dispose(); }
    }

    public static GenerationModel LoadForGeneration(string name, LlamaConfig config, Device device, int maxTokens, bool bf16 = true)
    {
        var cfg = config with { TieEmbeddings = false, MaxSeqLen = Math.Max(config.MaxSeqLen, maxTokens) };
        var model = Build(cfg, device, bf16 ? ScalarType.BFloat16 : ScalarType.Float32);
        model.eval();
        return new GenerationModel(name, model);
    }

    /// <summary>Greedy decoding of exactly <paramref name="newTokens"/> tokens after <paramref name="batch"/> random prompts of
    /// <paramref name="promptTokens"/> (no stop), KV cache; median wall time of <paramref name="reps"/> after one warm-up.</summary>
    public static GenerateResult Generate(GenerationModel m, int promptTokens, int newTokens = 64, int batch = 1, int reps = 5, string? task = null, string? layout = null)
    {
        var device = m.Model.Device;
        var prompts = Enumerable.Range(0, batch).Select(r => Enumerable.Range(0, promptTokens).Select(i => (i * 7919 + r * 104729) % 256).ToArray()).ToList();
        var o = new GenerationOptions { MaxNewTokens = newTokens, StopAtEos = false };
        var tok = new ByteTokenizer();
        TextGenerator.Generate(m.Model, tok, prompts, o);
        Sync(device);
        var times = new List<double>();
        for (int r = 0; r < reps; r++)
        {
            var sw = Stopwatch.StartNew();
            TextGenerator.Generate(m.Model, tok, prompts, o);
            Sync(device);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return new GenerateResult(m.Name, promptTokens, newTokens, batch, Math.Round(times[times.Count / 2], 1),
            m.Model.DType == ScalarType.BFloat16 ? "bf16" : "fp32", GraphDecoder.Applies(device) ? "cuda-graph" : "eager", task, layout);
    }
}
