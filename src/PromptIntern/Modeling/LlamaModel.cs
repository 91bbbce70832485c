using PromptIntern.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>Llama-family causal language model (Hugging Face LlamaForCausalLM layout): token ids [B, T] -> logits [B, T, vocab].</summary>
public sealed class LlamaModel : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // HF parameter names
    readonly DecoderStack model;
    readonly Linear? lm_head;
#pragma warning restore IDE1006

    public LlamaConfig Config { get; }

    /// <summary>Builds a randomly initialised model (normal(0, 0.02), residual projections scaled by 1/sqrt(2·layers) as in GPT-2/nanoGPT).</summary>
    public LlamaModel(LlamaConfig config, long seed = 1337) : base(nameof(LlamaModel))
    {
        Config = config.Validate();
        model = new DecoderStack(config);
        if (!config.TieEmbeddings) lm_head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
        RegisterComponents();
        Initialise(seed);
    }

    /// <summary>A model whose weights are allocated and drawn directly on <paramref name="device"/> in <paramref name="dtype"/>
    /// (a 7B bf16 model never exists on the host; its random values come from the device's generator).</summary>
    public static LlamaModel Create(LlamaConfig config, Device device, ScalarType dtype, long seed = 1337)
    {
        var (oldDevice, oldType) = (get_default_device(), get_default_dtype());
        set_default_device(device);
        set_default_dtype(dtype);
        try { return new LlamaModel(config, seed); }
        finally { set_default_device(oldDevice); set_default_dtype(oldType); }
    }

    void Initialise(long seed)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var gen = new Generator((ulong)seed);
        if (cuda.is_available()) cuda.manual_seed(seed);
        var residualStd = 0.02 / Math.Sqrt(2.0 * Config.NumLayers);
        // Per Hugging Face tensor (fused projections by their parts), so a seed draws the same model as an unfused layout.
        foreach (var (name, p) in FusedProjections.HfNamed(this))
        {
            if (name.EndsWith("layernorm.weight") || name.EndsWith("norm.weight")) continue; // ones
            if (name.EndsWith(".bias")) { p.zero_(); continue; }
            var std = name.EndsWith("o_proj.weight") || name.EndsWith("down_proj.weight") ? residualStd : 0.02;
            if (p.device.type != DeviceType.CPU) { p.normal_(0, std); continue; } // built on the GPU (Create): drawn there
            p.copy_(randn(p.shape, generator: gen) * std); // (nn.init.normal_ ignores its generator in TorchSharp 0.107)
        }
    }

    /// <summary>Logits for every position (plain causal attention, no cache).</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var ctx = ForwardContext.Create((int)ids.shape[0], (int)ids.shape[1], ids.device);
        return Forward(ids, ctx).MoveToOuterDisposeScope();
    }

    /// <summary>Logits with explicit positions/mask/cache; <paramref name="lastOnly"/> projects only the final position (generation).</summary>
    public Tensor Forward(Tensor ids, ForwardContext ctx, bool lastOnly = false)
    {
        using var scope = NewDisposeScope();
        var h = model.call(ids, ctx);
        if (lastOnly) h = h.narrow(1, h.shape[1] - 1, 1);
        var logits = lm_head is null ? nn.functional.linear(h, model.EmbeddingWeight) : lm_head.call(h);
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>Mean next-token cross-entropy; label -100 marks positions that do not count (prompt, padding). Labels are the inputs themselves: the shift happens here.</summary>
    public Tensor Loss(Tensor ids, Tensor labels, Tensor? padMask = null)
    {
        using var scope = NewDisposeScope();
        var ctx = padMask is null
            ? ForwardContext.Create((int)ids.shape[0], (int)ids.shape[1], ids.device)
            : ForwardContext.Create((int)ids.shape[0], (int)ids.shape[1], ids.device, padMask);
        var logits = Forward(ids, ctx);
        long b = labels.shape[0], v = logits.shape[^1];
        // The labels shift left (the last position predicts nothing) rather than the logits right: the logits go to the
        // loss as they are, with no copy of a [B, T-1, vocab] slice forward and no zero-filled gradient for it backward.
        var target = cat([labels.narrow(1, 1, labels.shape[1] - 1), full([b, 1], IgnoreIndex, ScalarType.Int64, labels.device)], 1).reshape(-1);
        var rows = logits.reshape(-1, v);
        // On CUDA one kernel each way over the logits as they are; the eager form works on an fp32 copy of them.
        var loss = (NativeExtension.HasCrossEntropy(rows) ? NativeExtension.TryCrossEntropy(rows, target, IgnoreIndex) : null)
            ?? nn.functional.cross_entropy(rows.to(ScalarType.Float32), target, ignore_index: IgnoreIndex);
        return loss.MoveToOuterDisposeScope();
    }

    public const long IgnoreIndex = -100;

    /// <summary>Activation checkpointing per decoder block while training (see <see cref="ActivationCheckpoint"/>).</summary>
    public bool GradientCheckpointing { get => model.GradientCheckpointing; set => model.GradientCheckpointing = value; }

    public long ParameterCount(bool trainableOnly = false) =>
        parameters().Where(p => !trainableOnly || p.requires_grad).Sum(p => p.numel());

    /// <summary>Parameters in dtype/device of the model (the first parameter's).</summary>
    public Device Device => parameters().First().device;
    public ScalarType DType => parameters().First().dtype;
}
