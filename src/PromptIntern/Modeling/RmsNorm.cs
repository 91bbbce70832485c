using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>Root-mean-square layer norm (TorchSharp has none): x * rsqrt(mean(x²) + eps) * weight, computed in float32.</summary>
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

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to(ScalarType.Float32);
        var normed = x32 * rsqrt(x32.pow(2).mean([-1L], keepdim: true) + _eps);
        return (normed.to(x.dtype) * weight).MoveToOuterDisposeScope();
    }
}
