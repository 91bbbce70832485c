using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) * up(x)); Phi-3 stores gate and up as one gate_up_proj (gate first).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // HF parameter names
    readonly Linear? gate_proj, up_proj, gate_up_proj;
    readonly Linear down_proj;
#pragma warning restore IDE1006
    readonly long _intermediate;

    public Mlp(LlamaConfig c) : base(nameof(Mlp))
    {
        _intermediate = c.IntermediateSize;
        if (c.FusedProjections) gate_up_proj = nn.Linear(c.HiddenSize, 2 * c.IntermediateSize, hasBias: c.MlpBias);
        else
        {
            gate_proj = nn.Linear(c.HiddenSize, c.IntermediateSize, hasBias: c.MlpBias);
            up_proj = nn.Linear(c.HiddenSize, c.IntermediateSize, hasBias: c.MlpBias);
        }
        down_proj = nn.Linear(c.IntermediateSize, c.HiddenSize, hasBias: c.MlpBias);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor gate, up;
        if (gate_up_proj is null) (gate, up) = (gate_proj!.call(x), up_proj!.call(x));
        else
        {
            var both = gate_up_proj.call(x);
            (gate, up) = (both.narrow(-1, 0, _intermediate), both.narrow(-1, _intermediate, _intermediate));
        }
        return down_proj.call(nn.functional.silu(gate) * up).MoveToOuterDisposeScope();
    }
}
