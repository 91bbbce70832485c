using PromptIntern.Compression;
using PromptIntern.Experiments;
using PromptIntern.Modeling;
using PromptIntern.Scheduling;

namespace PromptIntern.UserTasks;

/// <summary>Settings of an <see cref="Internalizer"/> run: sizes and hyperparameters (a <see cref="ReproducePreset"/>), the
/// base model, the plan, LoRA, the template compressor, the accuracy tolerance for the recommendation, and where outputs go.</summary>
public sealed record InternalizeOptions
{
    /// <summary>Model, rows, epochs, learning rate, sequence length, device (the quick preset by default, renamed "internalize").</summary>
    public ReproducePreset Preset { get; init; } = DefaultPreset;

    /// <summary>The quick preset renamed "internalize", with the whole template and 64 new tokens per answer.</summary>
    public static readonly ReproducePreset DefaultPreset = ReproducePreset.Quick with { Name = "internalize", TemplateTokenCap = 0, MaxNewTokens = 64 };
    /// <summary>Base model directory (config.json + model.safetensors + tokenizer).</summary>
    public required string ModelDirectory { get; init; }
    public InternalizationPlan Plan { get; init; } = PlanPresets.Default;
    /// <summary>LoRA settings; null = full fine-tuning (right for the kit's small models).</summary>
    public LoraConfig? Lora { get; init; }
    public string Compressor { get; init; } = Compressors.LlmLingua2;
    /// <summary>Accuracy points (0–100 scale) a cheaper layout may lose against the full-prompt model and still be recommended.</summary>
    public double TolerancePoints { get; init; } = 1.0;
    public int Seed { get; init; } = 1337;
    /// <summary>Outputs: results/ (one folder per layout), runs/ (resumable checkpoints), and the summary files.</summary>
    public required string OutputDirectory { get; init; }
    public bool Force { get; init; }

    /// <summary>Where training checkpoints go (large; keep them out of committed results); default &lt;output&gt;/runs.</summary>
    public string? RunsRoot { get; init; }

    public string ResultsDirectory => Path.Combine(OutputDirectory, "results");
    public string RunsDirectory => RunsRoot ?? Path.Combine(OutputDirectory, "runs");

    internal ExperimentRunner Runner(IReadOnlyDictionary<string, InternalizationPlan> plans, IProgress<ExperimentProgress>? progress) =>
        new(Preset, ResultsDirectory, RunsDirectory, progress)
        {
            ModelDirectory = ModelDirectory, Plans = plans, Lora = Lora, TemplateCompressorName = Compressor, Force = Force,
        };
}
