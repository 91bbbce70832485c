using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) * up(x)).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // HF parameter names
    readonly Linear gate_proj, up_proj, down_proj;
#pragma warning restore IDE1006

    public Mlp(LlamaConfig c) : base(nameof(Mlp))
    {
        gate_proj = nn.Linear(c.HiddenSize, c.IntermediateSize, hasBias: false);
        up_proj = nn.Linear(c.HiddenSize, c.IntermediateSize, hasBias: false);
        down_proj = nn.Linear(c.IntermediateSize, c.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return down_proj.call(nn.functional.silu(gate_proj.call(x)) * up_proj.call(x)).MoveToOuterDisposeScope();
    }
}
