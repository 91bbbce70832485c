using System.Text.Json;
using System.Text.Json.Serialization;

namespace PromptIntern.Modeling;

/// <summary>LoRA settings with PEFT's names and JSON keys (r, lora_alpha, lora_dropout, target_modules); scaling = alpha / r.</summary>
public sealed record LoraConfig
{
    [JsonPropertyName("r")] public int R { get; init; } = 8;
    [JsonPropertyName("lora_alpha")] public double Alpha { get; init; } = 16;
    [JsonPropertyName("lora_dropout")] public double Dropout { get; init; } = 0.05;
    /// <summary>Leaf module names to adapt (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj) or "all-linear".</summary>
    [JsonPropertyName("target_modules")] public string[] TargetModules { get; init; } = ["q_proj", "v_proj"];
    [JsonPropertyName("bias")] public string Bias { get; init; } = "none";
    [JsonPropertyName("peft_type")] public string PeftType { get; init; } = "LORA";
    [JsonPropertyName("task_type")] public string TaskType { get; init; } = "CAUSAL_LM";
    [JsonPropertyName("base_model_name_or_path")] public string? BaseModel { get; init; }
    [JsonPropertyName("inference_mode")] public bool InferenceMode { get; init; } = true;

    [JsonIgnore] public double Scaling => Alpha / R;

    public static readonly string[] AllLinear = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    public bool Targets(string leafName) =>
        TargetModules.Contains("all-linear") ? AllLinear.Contains(leafName) : TargetModules.Contains(leafName);

    public LoraConfig Validate()
    {
        if (R <= 0) throw new ArgumentException($"LoRA r must be positive (got {R}).");
        if (Dropout is < 0 or >= 1) throw new ArgumentException($"LoRA lora_dropout must be in [0, 1) (got {Dropout}).");
        var unknown = TargetModules.Where(t => t != "all-linear" && !AllLinear.Contains(t)).ToList();
        if (TargetModules.Length == 0 || unknown.Count > 0)
            throw new ArgumentException($"LoRA target_modules: unknown module(s) {string.Join(", ", unknown)}; expected names from {string.Join(", ", AllLinear)} or all-linear.");
        return this;
    }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    public string ToJson() => JsonSerializer.Serialize(this, Json);
    public static LoraConfig FromJson(string json, string source) =>
        (JsonSerializer.Deserialize<LoraConfig>(json, Json) ?? throw new InvalidDataException($"{source}: empty adapter config")).Validate();
}
