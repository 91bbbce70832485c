using System.Text.Json;
using System.Text.Json.Serialization;
using PromptIntern.Modeling;

namespace PromptIntern.Training;

/// <summary>Training hyperparameters, named as nanoGPT/litgpt name them; saved as the run's effective config.</summary>
public sealed record TrainOptions
{
    /// <summary>Optimizer steps to run (each = micro_batch_size × gradient_accumulation sequences).</summary>
    [JsonPropertyName("max_steps")] public int MaxSteps { get; init; } = 200;
    [JsonPropertyName("micro_batch_size")] public int MicroBatchSize { get; init; } = 8;
    [JsonPropertyName("gradient_accumulation")] public int GradientAccumulation { get; init; } = 1;
    /// <summary>Sequence length: the pretraining window, or the cap for a fine-tuning example (prompt cut from the left).</summary>
    [JsonPropertyName("max_seq_length")] public int MaxSeqLength { get; init; } = 256;
    [JsonPropertyName("learning_rate")] public double LearningRate { get; init; } = 1e-3;
    /// <summary>Floor of the cosine decay (nanoGPT: learning_rate / 10).</summary>
    [JsonPropertyName("min_lr")] public double? MinLr { get; init; }
    [JsonPropertyName("warmup_steps")] public int WarmupSteps { get; init; } = 20;
    [JsonPropertyName("weight_decay")] public double WeightDecay { get; init; } = 0.1;
    [JsonPropertyName("beta1")] public double Beta1 { get; init; } = 0.9;
    [JsonPropertyName("beta2")] public double Beta2 { get; init; } = 0.95;
    /// <summary>Gradient-norm clip (0 = off).</summary>
    [JsonPropertyName("max_norm")] public double MaxNorm { get; init; } = 1.0;
    [JsonPropertyName("log_interval")] public int LogInterval { get; init; } = 10;
    /// <summary>Checkpoint every N steps (0 = only at the end) when a checkpoint directory is given.</summary>
    [JsonPropertyName("save_interval")] public int SaveInterval { get; init; } = 100;
    [JsonPropertyName("seed")] public long Seed { get; init; } = 1337;
    /// <summary>fp32; bf16 (weights, activations and AdamW moments in bfloat16); or bf16-mixed (bf16 compute over fp32
    /// master weights and moments, see <see cref="MasterWeightAdamW"/>; TorchSharp 0.107 has no autocast).</summary>
    [JsonPropertyName("precision")] public string Precision { get; init; } = "fp32";
    /// <summary>Recompute each decoder block's activations in the backward pass instead of keeping them (<see cref="ActivationCheckpoint"/>).</summary>
    [JsonPropertyName("activation_checkpointing"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ActivationCheckpointing { get; init; }
    /// <summary>LoRA settings; null = full fine-tuning.</summary>
    [JsonPropertyName("lora")] public LoraConfig? Lora { get; init; }
    /// <summary>Deterministic kernels only (<see cref="DeterministicKernels"/>): repeatable weights on the same GPU model and
    /// software, at some speed; CUDA needs CUBLAS_WORKSPACE_CONFIG=:4096:8 in the environment.</summary>
    [JsonPropertyName("deterministic")] public bool Deterministic { get; init; }
    /// <summary>Capture the training step once as a CUDA graph and replay it (<see cref="CudaGraphStep"/>): CUDA with the native
    /// extension, one micro-batch per step, batches of one shape (pretraining windows); a batch of another shape runs eagerly.</summary>
    [JsonPropertyName("cuda_graph"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool CudaGraph { get; init; }
    /// <summary>Continue from the checkpoint in the checkpoint directory if there is one.</summary>
    [JsonPropertyName("resume")] public bool Resume { get; init; } = true;

    [JsonIgnore] public double MinLearningRate => MinLr ?? LearningRate / 10;

    /// <summary>A CLI's --precision: "auto" is bf16-mixed on CUDA (the peer's autocast semantics: fp32 masters, bf16 compute)
    /// and fp32 elsewhere; any other value is kept (and checked by <see cref="Validate"/>).</summary>
    public static string ResolvePrecision(string requested, TorchSharp.torch.Device device) =>
        requested != "auto" ? requested : device.type == TorchSharp.DeviceType.CUDA ? "bf16-mixed" : "fp32";

    public TrainOptions Validate()
    {
        void Need(bool ok, string field, string problem) { if (!ok) throw new ArgumentException($"train option '{field}': {problem}"); }
        Need(MaxSteps > 0, "max_steps", "must be positive");
        Need(MicroBatchSize > 0, "micro_batch_size", "must be positive");
        Need(GradientAccumulation > 0, "gradient_accumulation", "must be positive");
        Need(MaxSeqLength > 1, "max_seq_length", "must be at least 2");
        Need(LearningRate > 0, "learning_rate", "must be positive");
        Need(WarmupSteps >= 0, "warmup_steps", "must be ≥ 0");
        Need(LogInterval > 0, "log_interval", "must be positive");
        Need(Precision is "fp32" or "bf16" or "bf16-mixed", "precision", $"'{Precision}' (expected fp32, bf16 or bf16-mixed)");
        Lora?.Validate();
        return this;
    }

    /// <summary>nanoGPT's get_lr: linear warmup, then cosine decay to min_lr at max_steps.</summary>
    public double LearningRateAt(int step)
    {
        if (step < WarmupSteps) return LearningRate * (step + 1) / (WarmupSteps + 1);
        var span = Math.Max(1, MaxSteps - WarmupSteps);
        var ratio = Math.Clamp((double)(step - WarmupSteps) / span, 0, 1);
        return MinLearningRate + 0.5 * (1 + Math.Cos(Math.PI * ratio)) * (LearningRate - MinLearningRate);
    }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
