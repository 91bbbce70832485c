using PromptIntern.Modeling;
using PromptIntern.Text;
using PromptIntern.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Native;

/// <summary>The kit's native-backed paths checked against its TorchSharp-only ones on the same inputs (run on the GPU
/// machine by `bench native`): fused master-weight AdamW vs the eager step, CUDA-graph decoding vs eager decoding,
/// checkpointed vs plain gradients, the SwiGLU and RoPE kernels vs their eager forms.</summary>
public static class NativeSelfCheck
{
    public sealed record Check(string Name, bool Passed, double Value, double Tolerance, string Detail);

    public static List<Check> Run(Device device)
    {
        var checks = new List<Check>();
        checks.AddRange(Optimizer(device));
        checks.AddRange(Decoding(device));
        checks.Add(Checkpointing(device));
        checks.AddRange(RmsNormKernel(device));
        checks.Add(GroupedAttention(device));
        checks.AddRange(Kernels(device));
        return checks;
    }

    static double RelErr(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var x = a.to(ScalarType.Float64).cpu();
        var y = b.to(ScalarType.Float64).cpu();
        return (x - y).norm().item<double>() / Math.Max(y.norm().item<double>(), 1e-30);
    }

    /// <summary>Three steps of the fused native optimizer vs the eager one, from the same weights and gradients.</summary>
    static IEnumerable<Check> Optimizer(Device device)
    {
        foreach (var masters in new[] { false, true })
        {
            using var scope = NewDisposeScope();
            var o = new TrainOptions { LearningRate = 1e-2, WeightDecay = 0.1, Beta1 = 0.9, Beta2 = 0.95 };
            var gen = new Generator(7);
            var init = new[] { randn([64, 48], generator: gen), randn([48], generator: gen) };
            var dtype = masters ? ScalarType.BFloat16 : ScalarType.Float32;
            Parameter P(Tensor t) => new(t.to(dtype, device), requires_grad: true);
            var fused = init.Select(P).ToList();
            var eager = init.Select(P).ToList();
            using var optFused = new MasterWeightAdamW(fused, masters ? init : null, o);
            using var optEager = new MasterWeightAdamW(eager, masters ? init : null, o, forceEager: true);
            for (int step = 0; step < 3; step++)
            {
                var grads = init.Select(t => randn(t.shape, generator: gen)).ToArray();
                foreach (var (ps, opt) in new[] { (fused, (ITrainingOptimizer)optFused), (eager, optEager) })
                {
                    opt.ZeroGrad();
                    var loss = ps.Select((p, i) => (p * grads[i].to(dtype, device)).sum()).Aggregate((a, b) => a + b);
                    loss.backward();
                    opt.Step(1e-2, 1.0);
                }
            }
            var err = fused.Select((p, i) => RelErr(p, eager[i])).Max();
            var tol = masters ? 1e-2 : 1e-5;
            yield return new Check($"optimizer {optFused.Name} vs {optEager.Name}", err <= tol, err, tol, "3 steps, clip 1.0, decay on the matrix only");
        }
    }

    /// <summary>Greedy tokens of graph decoding vs eager decoding on a random fp32 model whose weights are scaled up so
    /// that its next-token distribution is peaked (no near-ties for rounding to flip); two rows of different lengths.</summary>
    static IEnumerable<Check> Decoding(Device device)
    {
        var cfg = LlamaConfig.Preset("nano") with { MaxSeqLen = 512, VocabSize = 512 };
        using var model = LlamaModel.Create(cfg, device, ScalarType.Float32, seed: 3);
        using (no_grad()) foreach (var p in model.parameters()) if (p.dim() >= 2) p.mul_(8);
        model.eval();
        var tok = new ByteTokenizer();
        int[][] prompts = [[.. Enumerable.Range(0, 40).Select(i => (i * 37) % 256)], [.. Enumerable.Range(0, 23).Select(i => (i * 91 + 5) % 256)]];
        var o = new GenerationOptions { MaxNewTokens = 40, StopAtEos = false };
        var graph = TextGenerator.Generate(model, tok, prompts, o);
        var eager = WithGraphs(false, () => TextGenerator.Generate(model, tok, prompts, o));
        int total = 0, same = 0;
        for (int r = 0; r < prompts.Length; r++)
            for (int k = 0; k < o.MaxNewTokens; k++) { total++; if (graph[r].Tokens[k] == eager[r].Tokens[k]) same++; }
        yield return new Check("graph greedy == eager greedy (2 rows, left padding)", same == total, (double)same / total, 1.0, $"{same}/{total} tokens equal");
        var sampled = o with { Temperature = 0.8, TopP = 0.9, Seed = 11 };
        var a = TextGenerator.Generate(model, tok, prompts, sampled);
        var b = TextGenerator.Generate(model, tok, prompts, sampled);
        bool repeatable = a.Zip(b).All(x => x.First.Tokens.SequenceEqual(x.Second.Tokens));
        bool inRange = a.All(x => x.Tokens.Length == o.MaxNewTokens && x.Tokens.All(t => t >= 0 && t < cfg.VocabSize));
        yield return new Check("graph sampling repeatable under a seed", repeatable && inRange, repeatable && inRange ? 1 : 0, 1, "temperature 0.8, top-p 0.9");
        GraphDecoder.Release(model);
    }

    static T WithGraphs<T>(bool on, Func<T> body)
    {
        var old = Environment.GetEnvironmentVariable(GraphDecoder.DisableVariable);
        Environment.SetEnvironmentVariable(GraphDecoder.DisableVariable, on ? null : "0");
        try { return body(); }
        finally { Environment.SetEnvironmentVariable(GraphDecoder.DisableVariable, old); }
    }

    /// <summary>libtorch's fused rms_norm (native) vs the TorchSharp formula: output and both gradients, fp32 and bf16.</summary>
    static IEnumerable<Check> RmsNormKernel(Device device)
    {
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
        {
            using var scope = NewDisposeScope();
            var gen = new Generator(9);
            var x0 = randn([4, 37, 256], generator: gen);
            var w0 = rand([256], generator: gen) + 0.5;
            var g = randn([4, 37, 256], generator: gen).to(dtype, device);
            (Tensor Y, Tensor Dx, Tensor Dw) Run(bool native)
            {
                var x = x0.to(dtype, device).requires_grad_(true);
                var w = w0.to(dtype, device).requires_grad_(true);
                var y = native ? NativeExtension.RmsNorm(x, w, 1e-5) : RmsNorm.Formula(x, w, 1e-5);
                y.backward([g]);
                return (y.detach(), x.grad!, w.grad!);
            }
            if (!NativeExtension.HasRmsNorm(g, g))
            {
                // Nothing to compare: RmsNorm runs the formula then, which the CPU tests cover.
                yield return new Check($"rms_norm native ({dtype})", true, 0, 0, "skipped: this library has no pi_rms_norm");
                continue;
            }
            var (a, b) = (Run(true), Run(false));
            var err = new[] { RelErr(a.Y, b.Y), RelErr(a.Dx, b.Dx), RelErr(a.Dw, b.Dw) }.Max();
            var tol = dtype == ScalarType.Float32 ? 1e-5 : 2e-2;
            yield return new Check($"rms_norm native == formula ({dtype})", err <= tol, err, tol, "output, input and weight gradients");
        }
    }

    /// <summary>Grouped-query SDPA (native) vs TorchSharp's SDPA over repeated kv heads: output and gradients, bf16 causal.</summary>
    static Check GroupedAttention(Device device)
    {
        using var scope = NewDisposeScope();
        var gen = new Generator(13);
        var q0 = randn([2, 6, 48, 32], generator: gen);
        var kv0 = randn([2, 2, 2, 48, 32], generator: gen);
        var g = randn([2, 6, 48, 32], generator: gen).to(ScalarType.BFloat16, device);
        if (!NativeExtension.HasSdpaGqa(g)) return new Check("sdpa_gqa native", true, 0, 0, "skipped: this library has no pi_sdpa_gqa");
        static Tensor Repeat(Tensor x) => x.unsqueeze(2).expand(2, 2, 3, 48, 32).reshape(2, 6, 48, 32);
        Tensor[] Run(bool native)
        {
            var q = q0.to(ScalarType.BFloat16, device).requires_grad_(true);
            var k = kv0[0].to(ScalarType.BFloat16, device).requires_grad_(true);
            var v = kv0[1].to(ScalarType.BFloat16, device).requires_grad_(true);
            var y = native ? NativeExtension.SdpaGqa(q, k, v, true) : nn.functional.scaled_dot_product_attention(q, Repeat(k), Repeat(v), null, 0.0, true);
            y.backward([g]);
            return [y.detach(), q.grad!, k.grad!, v.grad!];
        }
        var (a, b) = (Run(true), Run(false));
        var err = a.Select((t, i) => RelErr(t, b[i])).Max();
        return new Check("sdpa_gqa native == repeated kv heads (bf16)", err <= 2e-2, err, 2e-2, "output, q, k and v gradients, causal, 6 heads over 2");
    }

    /// <summary>The kit's SwiGLU, RoPE and cross-entropy kernels vs their eager forms: loss and every weight gradient of a nano model, fp32
    /// with and without activation checkpointing (the kernels run again in the recomputed forward), and bf16; then the
    /// same with LoRA on every linear layer (the RoPE and SwiGLU kernels add the updates of q, k, v, gate and up; B made
    /// non-zero so that A has gradients too).</summary>
    static IEnumerable<Check> Kernels(Device device)
    {
        using (var probe = zeros(1, device: device))
            if (!NativeExtension.HasSwiglu(probe) && !NativeExtension.HasRopeQkv(probe) && !NativeExtension.HasCrossEntropy(probe))
            {
                yield return new Check("swiglu/rope_qkv/cross_entropy kernels", true, 0, 0, $"skipped: none on ({NativeExtension.Status})");
                yield break;
            }
        var cases = new[] { (ScalarType.Float32, false, 1e-4), (ScalarType.Float32, true, 1e-4), (ScalarType.BFloat16, false, 5e-2) };
        foreach (var (lora, (dtype, ckpt, tol)) in cases.Select(c => (false, c)).Concat(cases.Select(c => (true, c))))
        {
            using var scope = NewDisposeScope();
            var cfg = LlamaConfig.Preset("nano") with { MaxSeqLen = 128, VocabSize = 512 };
            using var model = LlamaModel.Create(cfg, device, dtype, seed: 5);
            if (lora)
            {
                var adapter = LoraAdapter.Attach(model, new LoraConfig { R = 8, Alpha = 24, Dropout = 0, TargetModules = ["all-linear"] });
                using var _ = no_grad();
                foreach (var (name, p) in adapter.StateDict().Where(p => p.Key.Contains(".lora_B.")))
                    p.copy_(randn(p.shape, generator: new Generator((ulong)name.Length)).mul(0.05));
            }
            model.train();
            model.GradientCheckpointing = ckpt;
            var x = randint(0, cfg.VocabSize, [2, 64], ScalarType.Int64, CPU, generator: new Generator(1)).to(device);
            Tensor[] Run()
            {
                model.zero_grad();
                var loss = model.Loss(x, x);
                loss.backward();
                return [loss.detach().clone(), .. model.parameters().Where(p => p.requires_grad).Select(p => p.grad!.clone())];
            }
            var native = Run();
            var eager = NativeExtension.WithoutKernels(Run);
            var err = native.Select((t, i) => RelErr(t, eager[i])).Max();
            yield return new Check($"swiglu/rope_qkv/cross_entropy kernels == eager ({dtype}{(ckpt ? ", checkpointed" : "")}{(lora ? ", LoRA all-linear" : "")})", err <= tol, err, tol,
                $"loss and {native.Length - 1} {(lora ? "adapter" : "weight")} gradients, nano; {NativeExtension.Status}");
        }
    }

    /// <summary>Weight gradients with activation checkpointing vs without, same model and batch.</summary>
    static Check Checkpointing(Device device)
    {
        using var scope = NewDisposeScope();
        var cfg = LlamaConfig.Preset("nano") with { MaxSeqLen = 128, VocabSize = 512 };
        using var model = LlamaModel.Create(cfg, device, ScalarType.Float32, seed: 5);
        model.train();
        var x = randint(0, cfg.VocabSize, [2, 64], ScalarType.Int64, CPU, generator: new Generator(1)).to(device);
        Tensor[] Grads(bool ckpt)
        {
            model.GradientCheckpointing = ckpt;
            model.zero_grad();
            model.Loss(x, x).backward();
            return model.parameters().Select(p => p.grad!.clone()).ToArray();
        }
        var plain = Grads(false);
        var recomputed = Grads(true);
        model.GradientCheckpointing = false;
        var err = plain.Select((g, i) => RelErr(recomputed[i], g)).Max();
        return new Check("activation checkpointing grads == plain grads", err <= 1e-4, err, 1e-4, $"{plain.Length} weight gradients, nano fp32");
    }
}
