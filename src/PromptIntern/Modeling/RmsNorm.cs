using TorchSharp;
using TorchSharp.Modules;
using PromptIntern.Native;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>Root-mean-square layer norm (TorchSharp has none): x * rsqrt(mean(x²) + eps) * weight, computed in float32;
/// libtorch's fused rms_norm through the native extension where it serves the device.</summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    readonly double _eps;
#pragma warning disable IDE1006 // HF parameter names
    readonly Parameter weight;
#pragma warning restore IDE1006

    public RmsNorm(long dim, double eps) : base(nameof(RmsNorm))
    {
        _eps = eps;
        weight = new Parameter(ones(dim));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        // On CUDA with the native extension: libtorch's fused kernel (fp32 inside, as the formula; the weight multiplies
        // before the cast back rather than after).
        NativeExtension.HasRmsNorm(x, weight) ? NativeExtension.RmsNorm(x, weight, _eps) : Formula(x, weight, _eps);

    /// <summary>The formula in TorchSharp ops (Hugging Face's LlamaRMSNorm: normalised in float32, cast back, then scaled).</summary>
    public static Tensor Formula(Tensor x, Tensor weight, double eps)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to(ScalarType.Float32);
        var normed = x32 * rsqrt(x32.pow(2).mean([-1L], keepdim: true) + eps);
        return (normed.to(x.dtype) * weight).MoveToOuterDisposeScope();
    }
}
