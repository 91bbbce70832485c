using System.Text.Json;
using System.Text.Json.Serialization;
using PromptIntern.Data;

namespace PromptIntern.Modeling;

/// <summary>Shape of a Llama-family decoder (llama, mistral, mixtral, qwen2, qwen3, phi3); serialises with Hugging Face LlamaConfig field names so config.json files interoperate.</summary>
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
    /// <summary>Per-head width when it is not hidden_size / num_attention_heads (Qwen3, some Llamas).</summary>
    [JsonPropertyName("head_dim")] public int? ExplicitHeadDim { get; init; }
    /// <summary>Biases on q/k/v/o (Llama, Qwen3); Qwen2 has q/k/v biases whatever this says.</summary>
    [JsonPropertyName("attention_bias"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool AttentionBias { get; init; }
    [JsonPropertyName("mlp_bias"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool MlpBias { get; init; }
    /// <summary>RoPE frequency scaling (null: plain RoPE); written in the transformers-4 layout that both versions read.</summary>
    [JsonPropertyName("rope_scaling")] public RopeScaling? RopeScaling { get; init; }
    /// <summary>Keys a query may attend to, itself included (Mistral, Phi-3; Qwen only with use_sliding_window).</summary>
    [JsonPropertyName("sliding_window"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public int? SlidingWindow { get; init; } // null written: Mistral's default is 4096
    [JsonPropertyName("pad_token_id")] public int? PadTokenId { get; init; }
    [JsonPropertyName("use_sliding_window")] public bool? UseSlidingWindow { get; init; }
    [JsonPropertyName("max_window_layers")] public int? MaxWindowLayers { get; init; }
    /// <summary>Per layer "full_attention" or "sliding_attention" (transformers 5 writes it).</summary>
    [JsonPropertyName("layer_types")] public string[]? LayerTypes { get; init; }
    /// <summary>Mixtral: experts per layer and experts each token is routed to.</summary>
    [JsonPropertyName("num_local_experts")] public int? NumExperts { get; init; }
    [JsonPropertyName("num_experts_per_tok")] public int? ExpertsPerToken { get; init; }

    [JsonIgnore] public int HeadDim => ExplicitHeadDim ?? HiddenSize / NumHeads;
    /// <summary>Qwen3's per-head RMSNorm of queries and keys before RoPE.</summary>
    [JsonIgnore] public bool QkNorm => ModelType == "qwen3";
    [JsonIgnore] public bool QkvBias => AttentionBias || ModelType == "qwen2";
    /// <summary>Phi-3 stores (and names) q/k/v as one qkv_proj and gate/up as one gate_up_proj; the kit computes every family that way.</summary>
    [JsonIgnore] public bool FusedProjections => ModelType == "phi3";
    [JsonIgnore] public bool IsMoe => ModelType == "mixtral";

    /// <summary>The sliding window of layer <paramref name="layer"/>, or null for full causal attention (transformers' rules per family).</summary>
    public int? WindowOf(int layer)
    {
        if (SlidingWindow is not { } w || ModelType == "llama") return null;
        if (ModelType is "qwen2" or "qwen3" && UseSlidingWindow != true) return null;
        if (LayerTypes is { } types) return types[layer] == "sliding_attention" ? w : null;
        if (ModelType is "qwen2" or "qwen3") return layer >= (MaxWindowLayers ?? 0) ? w : null;
        return w;
    }

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
        void Need(bool ok, string field, string problem) { if (!ok) throw new DataFormatException(source, 0, field, problem); }
        Need(VocabSize > 0, "vocab_size", "must be positive");
        Need(HiddenSize > 0 && NumHeads > 0 && (ExplicitHeadDim is not null || HiddenSize % NumHeads == 0), "hidden_size", $"{HiddenSize} must be a positive multiple of num_attention_heads ({NumHeads})");
        Need(ExplicitHeadDim is null or > 0, "head_dim", "must be positive");
        Need(NumKvHeads > 0 && NumHeads % NumKvHeads == 0, "num_key_value_heads", $"{NumKvHeads} must divide num_attention_heads ({NumHeads})");
        Need(HeadDim % 2 == 0, ExplicitHeadDim is null ? "hidden_size" : "head_dim", "head dimension must be even for rotary embeddings");
        Need(NumLayers > 0, "num_hidden_layers", "must be positive");
        Need(IntermediateSize > 0, "intermediate_size", "must be positive");
        Need(MaxSeqLen > 0, "max_position_embeddings", "must be positive");
        Need(SlidingWindow is null or > 0, "sliding_window", "must be positive");
        Need(LayerTypes is null || LayerTypes.Length == NumLayers && LayerTypes.All(t => t is "full_attention" or "sliding_attention"),
            "layer_types", $"must list num_hidden_layers ({NumLayers}) entries of full_attention or sliding_attention");
        Need(!IsMoe || NumExperts > 0 && ExpertsPerToken > 0 && ExpertsPerToken <= NumExperts, "num_experts_per_tok",
            $"needs 1 <= num_experts_per_tok ({ExpertsPerToken}) <= num_local_experts ({NumExperts})");
        return this;
    }

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a Hugging Face config.json of any supported family, in the transformers 4 or 5 layout; fields that
    /// would change the computation and are not implemented are refused (<see cref="HfConfigReader"/>).</summary>
    public static LlamaConfig FromJson(string json, string source = "config.json") => HfConfigReader.Read(json, source);

    public static LlamaConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Model config not found: {path}", path);
        return FromJson(File.ReadAllText(path), path);
    }

    /// <summary>Parameter count of a model with this shape (embeddings counted once when tied).</summary>
    public long ParameterCount()
    {
        long d = HiddenSize, q = (long)NumHeads * HeadDim, kv = (long)NumKvHeads * HeadDim, i = IntermediateSize;
        long attention = d * q * 2 + d * kv * 2 + (QkvBias ? q + 2 * kv : 0) + (AttentionBias ? d : 0) + (QkNorm ? 2L * HeadDim : 0);
        long mlp = 3 * d * i + (MlpBias ? 2 * i + d : 0);
        long ffn = IsMoe ? NumExperts!.Value * mlp + d * NumExperts.Value : mlp;
        return NumLayers * (attention + ffn + 2 * d) + VocabSize * d * (TieEmbeddings ? 1 : 2) + d;
    }
}
