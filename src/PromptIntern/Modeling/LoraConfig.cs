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

    /// <summary>Every projection name of the supported families: Llama/Mistral/Qwen, Phi-3's fused qkv_proj and gate_up_proj,
    /// Mixtral's experts (w1, w2, w3). "all-linear" adapts those a model has (never the router or lm_head).</summary>
    public static readonly string[] AllLinear = ["q_proj", "k_proj", "v_proj", "o_proj", "qkv_proj", "gate_proj", "up_proj", "down_proj", "gate_up_proj", "w1", "w2", "w3"];

    /// <summary>The adaptable projections of a model of <paramref name="c"/>'s family (what "all-linear" adapts there).</summary>
    public static IReadOnlyList<string> TargetsFor(LlamaConfig c) =>
        c.FusedProjections ? ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"]
        : c.IsMoe ? ["q_proj", "k_proj", "v_proj", "o_proj", "w1", "w2", "w3"]
        : ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

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
    /// <summary>Reads an adapter_config.json (the kit's or PEFT's); PEFT options that change the computation and that
    /// the kit does not implement (DoRA, rsLoRA, per-layer ranks, trained biases, extra saved modules) are refused.</summary>
    public static LoraConfig FromJson(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                bool set = p.Value.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.Object => p.Value.EnumerateObject().Any(),
                    JsonValueKind.Array => p.Value.GetArrayLength() > 0,
                    JsonValueKind.Number or JsonValueKind.String => true,
                    _ => false,
                };
                if (set && p.Name is "use_dora" or "use_rslora" or "rank_pattern" or "alpha_pattern" or "layers_to_transform" or "modules_to_save" or "fan_in_fan_out" or "lora_bias" or "trainable_token_indices" or "target_parameters")
                    throw new Data.DataFormatException(source, 0, p.Name, "this PEFT option is not supported by the kit's LoRA");
            }
            var config = JsonSerializer.Deserialize<LoraConfig>(json, Json) ?? throw new Data.DataFormatException(source, 0, "(json)", "empty adapter config");
            if (config.Bias != "none") throw new Data.DataFormatException(source, 0, "bias", $"'{config.Bias}' is not supported (none only)");
            return config.Validate();
        }
        catch (JsonException e) { throw new Data.DataFormatException(source, 0, "(json)", e.Message); }
    }
}
