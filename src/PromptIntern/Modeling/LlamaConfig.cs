using System.Text.Json;
using System.Text.Json.Serialization;

namespace PromptIntern.Modeling;

/// <summary>Shape of a Llama-family decoder; serialises with Hugging Face LlamaConfig field names so config.json files interoperate.</summary>
public sealed record LlamaConfig
{
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 8192;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 512;
    [JsonPropertyName("num_hidden_layers")] public int NumLayers { get; init; } = 8;
    [JsonPropertyName("num_attention_heads")] public int NumHeads { get; init; } = 8;
    [JsonPropertyName("num_key_value_heads")] public int NumKvHeads { get; init; } = 4;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 1408;
    [JsonPropertyName("max_position_embeddings")] public int MaxSeqLen { get; init; } = 2048;
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000;
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-5;
    [JsonPropertyName("tie_word_embeddings")] public bool TieEmbeddings { get; init; }
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; }
    [JsonPropertyName("eos_token_id")] public int? EosTokenId { get; init; }
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "llama";
    [JsonPropertyName("architectures")] public string[] Architectures { get; init; } = ["LlamaForCausalLM"];
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";

    [JsonIgnore] public int HeadDim => HiddenSize / NumHeads;

    /// <summary>For unit tests: ~100k parameters, 2 layers.</summary>
    public static LlamaConfig Micro => new()
    {
        VocabSize = 260, HiddenSize = 64, NumLayers = 2, NumHeads = 4, NumKvHeads = 2, IntermediateSize = 172,
        MaxSeqLen = 256, TieEmbeddings = true,
    };

    /// <summary>The CPU default shipped in data/: ~3M parameters with an 8k vocabulary (tied embeddings).</summary>
    public static LlamaConfig Tiny => new()
    {
        VocabSize = 8192, HiddenSize = 192, NumLayers = 4, NumHeads = 6, NumKvHeads = 2, IntermediateSize = 512,
        MaxSeqLen = 1024, TieEmbeddings = true,
    };

    /// <summary>GPU scale, the shape of the peer benchmark's 'nano' (~25M non-embedding parameters).</summary>
    public static LlamaConfig Nano => new()
    {
        VocabSize = 8192, HiddenSize = 512, NumLayers = 8, NumHeads = 8, NumKvHeads = 4, IntermediateSize = 1408,
        MaxSeqLen = 4096,
    };

    /// <summary>SmolLM2-135M's shape: a real small open model.</summary>
    public static LlamaConfig Smol135M => new()
    {
        VocabSize = 49152, HiddenSize = 576, NumLayers = 30, NumHeads = 9, NumKvHeads = 3, IntermediateSize = 1536,
        MaxSeqLen = 8192, RopeTheta = 100000, TieEmbeddings = true,
    };

    /// <summary>Preset by name (micro, tiny, nano, smol135m), case-insensitive.</summary>
    public static LlamaConfig Preset(string name) => name.ToLowerInvariant() switch
    {
        "micro" => Micro,
        "tiny" => Tiny,
        "nano" => Nano,
        "smol135m" or "smol-135m" => Smol135M,
        _ => throw new ArgumentException($"Unknown model preset '{name}' (expected micro, tiny, nano, smol135m)."),
    };

    public static IReadOnlyList<string> PresetNames { get; } = ["micro", "tiny", "nano", "smol135m"];

    /// <summary>Throws when the shape cannot build a model (names the offending field as in config.json).</summary>
    public LlamaConfig Validate(string source = "config")
    {
        void Need(bool ok, string field, string problem) { if (!ok) throw new InvalidDataException($"{source}: field '{field}': {problem}"); }
        Need(VocabSize > 0, "vocab_size", "must be positive");
        Need(HiddenSize > 0 && NumHeads > 0 && HiddenSize % NumHeads == 0, "hidden_size", $"{HiddenSize} must be a positive multiple of num_attention_heads ({NumHeads})");
        Need(NumKvHeads > 0 && NumHeads % NumKvHeads == 0, "num_key_value_heads", $"{NumKvHeads} must divide num_attention_heads ({NumHeads})");
        Need(HeadDim % 2 == 0, "hidden_size", "head dimension must be even for rotary embeddings");
        Need(NumLayers > 0, "num_hidden_layers", "must be positive");
        Need(IntermediateSize > 0, "intermediate_size", "must be positive");
        Need(MaxSeqLen > 0, "max_position_embeddings", "must be positive");
        return this;
    }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a Hugging Face config.json; fields it does not know are ignored (HF files carry many), missing ones take Llama defaults.</summary>
    public static LlamaConfig FromJson(string json, string source = "config.json")
    {
        LlamaConfig? cfg;
        try { cfg = JsonSerializer.Deserialize<LlamaConfig>(json, Json); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: not a valid config: {e.Message}", e); }
        if (cfg is null) throw new InvalidDataException($"{source}: empty config");
        using var doc = JsonDocument.Parse(json);
        RejectUnsupported(doc.RootElement, source);
        if (doc.RootElement.TryGetProperty("num_key_value_heads", out _) is false && doc.RootElement.TryGetProperty("num_attention_heads", out var h))
            cfg = cfg with { NumKvHeads = h.GetInt32() };
        if (doc.RootElement.TryGetProperty("tie_word_embeddings", out _) is false)
            cfg = cfg with { TieEmbeddings = false };
        return cfg.Validate(source);
    }

    /// <summary>HF fields that change the computation in ways this decoder does not implement: fail loudly rather than load wrong.</summary>
    static void RejectUnsupported(JsonElement root, string source)
    {
        void Fail(string field, string problem) => throw new InvalidDataException($"{source}: field '{field}': {problem}");
        if (root.TryGetProperty("rope_scaling", out var rs) && rs.ValueKind != JsonValueKind.Null) Fail("rope_scaling", "RoPE scaling is not supported (plain RoPE only)");
        if (root.TryGetProperty("hidden_act", out var act) && act.GetString() is { } a && a != "silu") Fail("hidden_act", $"'{a}' is not supported (silu only)");
        foreach (var bias in new[] { "attention_bias", "mlp_bias" })
            if (root.TryGetProperty(bias, out var b) && b.ValueKind == JsonValueKind.True) Fail(bias, "biases are not supported");
        if (root.TryGetProperty("head_dim", out var hd) && hd.ValueKind == JsonValueKind.Number
            && root.TryGetProperty("hidden_size", out var hs) && root.TryGetProperty("num_attention_heads", out var nh)
            && hd.GetInt32() * nh.GetInt32() != hs.GetInt32()) Fail("head_dim", "head_dim × num_attention_heads must equal hidden_size");
        if (root.TryGetProperty("model_type", out var mt) && mt.GetString() is { } m && m is not ("llama" or "mistral"))
            Fail("model_type", $"'{m}' is not a Llama-family model (llama, mistral)");
        if (root.TryGetProperty("sliding_window", out var sw) && sw.ValueKind == JsonValueKind.Number) Fail("sliding_window", "sliding-window attention is not supported");
    }

    public static LlamaConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model config not found: {path}", path);
        return FromJson(File.ReadAllText(path), path);
    }

    /// <summary>Parameter count of a model with this shape (embeddings counted once when tied).</summary>
    public long ParameterCount()
    {
        long d = HiddenSize, kv = (long)NumKvHeads * HeadDim;
        long perLayer = d * d * 2 + d * kv * 2 + 3 * d * IntermediateSize + 2 * d;
        return NumLayers * perLayer + VocabSize * d * (TieEmbeddings ? 1 : 2) + d;
    }
}
