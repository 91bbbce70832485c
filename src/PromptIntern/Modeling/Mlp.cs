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
        return down_proj.call(NativeSwiGlu(x) ?? SwiGlu(gate_up_proj.call(x))).MoveToOuterDisposeScope();
    }

    /// <summary>silu(gate) * up by the native kernel, which reads both halves of gate_up_proj(x) in place, adds the LoRA
    /// updates of gate and up as it reads (see <see cref="FusedPartUpdates"/>) and writes d(gate_up) whole (the split
    /// views of the eager form take PyTorch's strided kernels and a concatenation in the backward); null where it does
    /// not apply (CPU, no such export) or failed.</summary>
    Tensor? NativeSwiGlu(Tensor x)
    {
        if (!NativeExtension.HasSwiglu(x)) return null;
        using var updates = FusedPartUpdates.Collect(gate_up_proj);
        var gateUp = gate_up_proj.call(x);
        var h = updates.Within((0, _intermediate), (_intermediate, _intermediate))
            ? NativeExtension.TrySwiglu(gateUp, updates.For(0, _intermediate), updates.For(_intermediate, _intermediate))
            : null;
        if (h is null)
        {
            updates.AddInto(gateUp);
            h = SwiGlu(gateUp);
        }
        return h;
    }

    Tensor SwiGlu(Tensor gateUp)
    {
        var both = gateUp.split([_intermediate, _intermediate], -1);
        return nn.functional.silu(both[0]) * both[1];
    }
}
