using System.Text.Json;
using PromptIntern.Data;

namespace PromptIntern.Modeling;

/// <summary>Reads a Hugging Face config.json into a <see cref="LlamaConfig"/>: both the transformers 4 layout (top-level
/// rope_theta / rope_scaling) and the transformers 5 one (rope_parameters). Anything that would change the computation
/// and that the kit does not implement is refused with the file and field named, never ignored.</summary>
public static class HfConfigReader
{
    public static readonly IReadOnlyList<string> SupportedModelTypes = ["llama", "mistral", "mixtral", "qwen2", "qwen3", "phi3"];

    static readonly Dictionary<string, string> Architecture = new()
    {
        ["llama"] = "LlamaForCausalLM", ["mistral"] = "MistralForCausalLM", ["mixtral"] = "MixtralForCausalLM",
        ["qwen2"] = "Qwen2ForCausalLM", ["qwen3"] = "Qwen3ForCausalLM", ["phi3"] = "Phi3ForCausalLM",
    };

    static readonly HashSet<string> RopeKeys =
        ["rope_type", "type", "rope_theta", "factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings", "partial_rotary_factor"];

    public static LlamaConfig Read(string json, string source)
    {
        LlamaConfig? cfg;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("not a JSON object");
            // rope_scaling is read below (its shape differs between versions); the rest maps field by field.
            cfg = JsonSerializer.Deserialize<LlamaConfig>(WithoutRope(doc.RootElement), LlamaConfig.Json);
        }
        catch (JsonException e) { throw new DataFormatException(source, 0, "(json)", $"not a valid config: {e.Message}"); }
        if (cfg is null) throw new DataFormatException(source, 0, "(json)", "empty config");
        using var _ = doc;
        var root = doc.RootElement;
        void Fail(string field, string problem) => throw new DataFormatException(source, 0, field, problem);

        var type = Str(root, "model_type") ?? "llama";
        if (!SupportedModelTypes.Contains(type)) Fail("model_type", $"'{type}' is not supported (supported: {string.Join(", ", SupportedModelTypes)})");
        if (Str(root, "hidden_act") is { } act && act != "silu") Fail("hidden_act", $"'{act}' is not supported (silu only)");
        if (root.TryGetProperty("quantization_config", out var qc) && qc.ValueKind != JsonValueKind.Null) Fail("quantization_config", "quantized checkpoints are not supported");
        if (type == "qwen2" && Bool(root, "attention_bias") == false) Fail("attention_bias", "qwen2 always has q/k/v biases; false is not supported");
        if (Number(root, "partial_rotary_factor") is { } prf && prf != 1.0) Fail("partial_rotary_factor", $"{prf} is not supported (RoPE on the whole head only)");
        if (type == "mixtral" && Number(root, "num_local_experts") is null) Fail("num_local_experts", "missing");

        var (theta, scaling) = ReadRope(root, source);
        cfg = cfg with
        {
            ModelType = type,
            Architectures = root.TryGetProperty("architectures", out var arch) && arch.ValueKind == JsonValueKind.Array ? cfg.Architectures : [Architecture[type]],
            RopeTheta = theta,
            RopeScaling = scaling,
            NumKvHeads = root.TryGetProperty("num_key_value_heads", out var kv) && kv.ValueKind == JsonValueKind.Number ? kv.GetInt32() : cfg.NumHeads,
            TieEmbeddings = Bool(root, "tie_word_embeddings") ?? false,
            // Llama 3.1 lists several EOS ids; the first is the one generation stops at by default here.
            EosTokenId = cfg.EosTokenId ?? FirstId(root, "eos_token_id"),
            BosTokenId = cfg.BosTokenId ?? FirstId(root, "bos_token_id"),
            TorchDtype = Str(root, "torch_dtype") ?? Str(root, "dtype") ?? "float32",
            ExpertsPerToken = type == "mixtral" ? cfg.ExpertsPerToken ?? 2 : null,
            NumExperts = type == "mixtral" ? cfg.NumExperts : null,
        };
        return cfg.Validate(source);
    }

    /// <summary>θ and the scaling from rope_parameters (transformers 5) or rope_theta + rope_scaling (transformers 4).</summary>
    static (double Theta, RopeScaling? Scaling) ReadRope(JsonElement root, string source)
    {
        void Fail(string f, string problem) => throw new DataFormatException(source, 0, f, problem);
        string field = "rope_scaling";
        JsonElement? rope = null;
        if (root.TryGetProperty("rope_parameters", out var rp) && rp.ValueKind == JsonValueKind.Object) { rope = rp; field = "rope_parameters"; }
        else if (root.TryGetProperty("rope_scaling", out var rs) && rs.ValueKind == JsonValueKind.Object) rope = rs;
        double theta = (rope is { } r0 ? Number(r0, "rope_theta") : null) ?? Number(root, "rope_theta") ?? 10000;
        if (rope is not { } r) return (theta, null);

        foreach (var p in r.EnumerateObject())
            if (!RopeKeys.Contains(p.Name) && p.Value.ValueKind != JsonValueKind.Null)
                Fail($"{field}.{p.Name}", "not supported (the kit implements rope types default, linear and llama3)");
        if (Number(r, "partial_rotary_factor") is { } prf && prf != 1.0) Fail($"{field}.partial_rotary_factor", $"{prf} is not supported (RoPE on the whole head only)");
        var type = Str(r, "rope_type") ?? Str(r, "type") ?? "default";
        if (!RopeScaling.SupportedTypes.Contains(type)) Fail($"{field}.rope_type", $"'{type}' is not supported (supported: {string.Join(", ", RopeScaling.SupportedTypes)})");
        double Need(string key) => Number(r, key) is { } v && v > 0 ? v : throw new DataFormatException(source, 0, $"{field}.{key}", $"rope_type '{type}' needs a positive number");
        var scaling = type switch
        {
            "linear" => new RopeScaling { Type = type, Factor = Need("factor") },
            "llama3" => new RopeScaling
            {
                Type = type, Factor = Need("factor"), LowFreqFactor = Need("low_freq_factor"), HighFreqFactor = Need("high_freq_factor"),
                OriginalMaxPositionEmbeddings = (int)Need("original_max_position_embeddings"),
            },
            _ => null,
        };
        if (scaling is { Type: "llama3" } s && s.HighFreqFactor <= s.LowFreqFactor)
            Fail($"{field}.high_freq_factor", "must be larger than low_freq_factor");
        return (theta, scaling);
    }

    static string WithoutRope(JsonElement root)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            foreach (var p in root.EnumerateObject())
                if (p.Name is not ("rope_scaling" or "rope_parameters" or "rope_theta")
                    && !(p.Name is "bos_token_id" or "eos_token_id" && p.Value.ValueKind != JsonValueKind.Number)) p.WriteTo(w);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }

    static int? FirstId(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0 && v[0].ValueKind == JsonValueKind.Number ? v[0].GetInt32() : null;
    static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    static double? Number(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
    static bool? Bool(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;
}
