using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>Mixtral's sparse mixture of experts: the router (gate) scores every expert, the top-k of the softmax are
/// renormalised to sum to one, and each token's output is the weighted sum of its chosen experts' SwiGLU outputs.</summary>
public sealed class SparseMoe : nn.Module<Tensor, Tensor>
{
    readonly int _topK;
#pragma warning disable IDE1006 // HF parameter names
    readonly Linear gate;
    readonly ModuleList<Expert> experts;
#pragma warning restore IDE1006

    public SparseMoe(LlamaConfig c) : base(nameof(SparseMoe))
    {
        _topK = c.ExpertsPerToken!.Value;
        gate = nn.Linear(c.HiddenSize, c.NumExperts!.Value, hasBias: false);
        experts = nn.ModuleList(Enumerable.Range(0, c.NumExperts.Value).Select(_ => new Expert(c.HiddenSize, c.IntermediateSize)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var flat = x.reshape(-1, x.shape[^1]);
        // As transformers: softmax in float32, top-k, renormalise, back to the activations' dtype.
        var probs = nn.functional.softmax(gate.call(flat).to(ScalarType.Float32), -1);
        var (weights, chosen) = probs.topk(_topK, -1);
        weights = (weights / weights.sum(-1, keepdim: true)).to(x.dtype);
        var output = zeros_like(flat);
        for (int e = 0; e < experts.Count; e++)
        {
            var hit = chosen.eq(e);                                          // [N, k]
            var rows = hit.any(-1).nonzero().squeeze(-1);
            if (rows.numel() == 0) continue;
            var w = (weights * hit).sum(-1).index_select(0, rows).unsqueeze(-1);
            output.index_add_(0, rows, experts[e].call(flat.index_select(0, rows)) * w, 1);
        }
        return output.view(x.shape).MoveToOuterDisposeScope();
    }

    /// <summary>One expert: w2(silu(w1 x) * w3 x), Mixtral's names for down(silu(gate) * up).</summary>
    public sealed class Expert : nn.Module<Tensor, Tensor>
    {
#pragma warning disable IDE1006 // HF parameter names
        readonly Linear w1, w2, w3;
#pragma warning restore IDE1006

        public Expert(int hidden, int intermediate) : base(nameof(Expert))
        {
            w1 = nn.Linear(hidden, intermediate, hasBias: false);
            w2 = nn.Linear(intermediate, hidden, hasBias: false);
            w3 = nn.Linear(hidden, intermediate, hasBias: false);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            return w2.call(nn.functional.silu(w1.call(x)) * w3.call(x)).MoveToOuterDisposeScope();
        }
    }
}
