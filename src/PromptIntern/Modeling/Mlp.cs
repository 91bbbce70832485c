using PromptIntern.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) * up(x)), gate and up computed as one fused gate_up_proj (gate first;
/// see <see cref="FusedProjections"/> for the Hugging Face names).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // HF parameter names
    readonly Linear gate_up_proj, down_proj;
#pragma warning restore IDE1006
    readonly long _intermediate;

    public Mlp(LlamaConfig c) : base(nameof(Mlp))
    {
        _intermediate = c.IntermediateSize;
        gate_up_proj = nn.Linear(c.HiddenSize, 2 * c.IntermediateSize, hasBias: c.MlpBias);
        down_proj = nn.Linear(c.IntermediateSize, c.HiddenSize, hasBias: c.MlpBias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var gateUp = gate_up_proj.call(x);
        // On CUDA the native kernel reads both halves in place and writes d(gate_up) whole; the split views below would
        // take PyTorch's strided kernels and a concatenation in the backward.
        var h = (NativeExtension.HasSwiglu(gateUp) ? NativeExtension.TrySwiglu(gateUp) : null) ?? SwiGlu(gateUp);
        return down_proj.call(h).MoveToOuterDisposeScope();
    }

    Tensor SwiGlu(Tensor gateUp)
    {
        var both = gateUp.split([_intermediate, _intermediate], -1);
        return nn.functional.silu(both[0]) * both[1];
    }
}
