using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>How RoPE frequencies are stretched for long contexts, as Hugging Face's rope_scaling / rope_parameters
/// name it: "linear" (position interpolation) or "llama3" (Llama 3.1/3.2 wavelength-dependent scaling).</summary>
public sealed record RopeScaling
{
    public static readonly IReadOnlyList<string> SupportedTypes = ["default", "linear", "llama3"];

    [JsonPropertyName("rope_type")] public string Type { get; init; } = "default";
    [JsonPropertyName("factor")] public double? Factor { get; init; }
    [JsonPropertyName("low_freq_factor")] public double? LowFreqFactor { get; init; }
    [JsonPropertyName("high_freq_factor")] public double? HighFreqFactor { get; init; }
    [JsonPropertyName("original_max_position_embeddings")] public int? OriginalMaxPositionEmbeddings { get; init; }

    /// <summary>Inverse frequencies (float32, [headDim/2]) computed as transformers' modeling_rope_utils does.</summary>
    public static Tensor InverseFrequencies(int headDim, double theta, RopeScaling? scaling)
    {
        using var scope = NewDisposeScope();
        // transformers: 1 / base ** (arange(0, dim, 2).float() / dim), all in float32.
        var exponent = arange(0, headDim, 2, ScalarType.Int64).to(ScalarType.Float32) / headDim;
        var invFreq = (1.0 / pow(theta, exponent.to(ScalarType.Float64))).to(ScalarType.Float32);
        invFreq = (scaling?.Type ?? "default") switch
        {
            "default" => invFreq,
            "linear" => invFreq / scaling!.Factor!.Value,
            "llama3" => Llama3(invFreq, scaling!),
            var t => throw new ArgumentException($"rope_type '{t}' is not supported ({string.Join(", ", SupportedTypes)})."),
        };
        return invFreq.MoveToOuterDisposeScope();
    }

    // Wavelengths shorter than original/high_freq_factor keep their frequency, longer than original/low_freq_factor are
    // divided by factor, and those between are interpolated smoothly (transformers' _compute_llama3_parameters).
    static Tensor Llama3(Tensor invFreq, RopeScaling s)
    {
        double factor = s.Factor!.Value, low = s.LowFreqFactor!.Value, high = s.HighFreqFactor!.Value;
        double oldContext = s.OriginalMaxPositionEmbeddings!.Value;
        double lowWavelen = oldContext / low, highWavelen = oldContext / high;
        var f = invFreq.to(ScalarType.Float64);
        var wavelen = 2 * Math.PI / f;
        var scaled = where(wavelen.gt(lowWavelen), f / factor, f);
        var smooth = (oldContext / wavelen - low) / (high - low);
        var smoothed = (1 - smooth) * scaled / factor + smooth * scaled;
        var medium = wavelen.lt(highWavelen).logical_not().logical_and(wavelen.gt(lowWavelen).logical_not());
        return where(medium, smoothed, scaled).to(ScalarType.Float32);
    }
}
