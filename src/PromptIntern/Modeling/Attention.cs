using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>Grouped-query self-attention with rotary positions, computed by scaled_dot_product_attention; optional KV cache.</summary>
public sealed class Attention : nn.Module<Tensor, ForwardContext, Tensor>
{
    readonly int _heads, _kvHeads, _headDim, _layer;
    readonly RotaryEmbedding _rope;
#pragma warning disable IDE1006 // HF parameter names
    readonly Linear q_proj, k_proj, v_proj, o_proj;
#pragma warning restore IDE1006

    public Attention(LlamaConfig c, int layerIndex, RotaryEmbedding rope) : base(nameof(Attention))
    {
        _heads = c.NumHeads; _kvHeads = c.NumKvHeads; _headDim = c.HeadDim; _layer = layerIndex; _rope = rope;
        q_proj = nn.Linear(c.HiddenSize, c.NumHeads * c.HeadDim, hasBias: false);
        k_proj = nn.Linear(c.HiddenSize, c.NumKvHeads * c.HeadDim, hasBias: false);
        v_proj = nn.Linear(c.HiddenSize, c.NumKvHeads * c.HeadDim, hasBias: false);
        o_proj = nn.Linear(c.NumHeads * c.HeadDim, c.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, ForwardContext ctx)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1];
        // call() rather than forward() so that adapters attached as hooks (LoRA) take part.
        var q = q_proj.call(x).view(b, t, _heads, _headDim).transpose(1, 2);
        var k = k_proj.call(x).view(b, t, _kvHeads, _headDim).transpose(1, 2);
        var v = v_proj.call(x).view(b, t, _kvHeads, _headDim).transpose(1, 2);
        (q, k) = _rope.Apply(q, k, ctx.Positions, ctx.UniformPositions ? ctx.CacheStart : null);
        if (ctx.Cache is not null) (k, v) = ctx.Cache.Append(_layer, ctx.CacheStart, k, v);
        if (_kvHeads != _heads)
        {
            k = k.repeat_interleave(_heads / _kvHeads, dim: 1);
            v = v.repeat_interleave(_heads / _kvHeads, dim: 1);
        }
        var y = nn.functional.scaled_dot_product_attention(q, k, v, ctx.Mask, 0.0, ctx.IsCausal);
        return o_proj.call(y.transpose(1, 2).reshape(b, t, _heads * _headDim)).MoveToOuterDisposeScope();
    }
}
