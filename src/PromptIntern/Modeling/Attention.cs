using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>Grouped-query self-attention with rotary positions, computed by scaled_dot_product_attention; optional KV cache.
/// Family variants: q/k/v(/o) biases, Qwen3's per-head q/k RMSNorm, Phi-3's fused qkv_proj, a sliding window.</summary>
public sealed class Attention : nn.Module<Tensor, ForwardContext, Tensor>
{
    readonly int _heads, _kvHeads, _headDim, _layer;
    readonly int? _window;
    readonly RotaryEmbedding _rope;
#pragma warning disable IDE1006 // HF parameter names
    readonly Linear? q_proj, k_proj, v_proj, qkv_proj;
    readonly Linear o_proj;
    readonly RmsNorm? q_norm, k_norm;
#pragma warning restore IDE1006

    public Attention(LlamaConfig c, int layerIndex, RotaryEmbedding rope) : base(nameof(Attention))
    {
        _heads = c.NumHeads; _kvHeads = c.NumKvHeads; _headDim = c.HeadDim; _layer = layerIndex; _rope = rope;
        _window = c.WindowOf(layerIndex);
        int q = c.NumHeads * c.HeadDim, kv = c.NumKvHeads * c.HeadDim;
        if (c.FusedProjections) qkv_proj = nn.Linear(c.HiddenSize, q + 2 * kv, hasBias: c.QkvBias);
        else
        {
            q_proj = nn.Linear(c.HiddenSize, q, hasBias: c.QkvBias);
            k_proj = nn.Linear(c.HiddenSize, kv, hasBias: c.QkvBias);
            v_proj = nn.Linear(c.HiddenSize, kv, hasBias: c.QkvBias);
        }
        o_proj = nn.Linear(q, c.HiddenSize, hasBias: c.AttentionBias);
        if (c.QkNorm)
        {
            q_norm = new RmsNorm(c.HeadDim, c.RmsNormEps);
            k_norm = new RmsNorm(c.HeadDim, c.RmsNormEps);
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, ForwardContext ctx)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1];
        // call() rather than forward() so that adapters attached as hooks (LoRA) take part.
        var (q, k, v) = Project(x);
        q = q.view(b, t, _heads, _headDim);
        k = k.view(b, t, _kvHeads, _headDim);
        if (q_norm is not null) { q = q_norm.call(q); k = k_norm!.call(k); }
        q = q.transpose(1, 2);
        k = k.transpose(1, 2);
        v = v.view(b, t, _kvHeads, _headDim).transpose(1, 2);
        (q, k) = _rope.Apply(q, k, ctx.Positions, ctx.UniformPositions ? ctx.CacheStart : null);
        if (ctx.Cache is not null) (k, v) = ctx.CacheSlot is { } slot ? ctx.Cache.AppendAt(_layer, slot, k, v) : ctx.Cache.Append(_layer, ctx.CacheStart, k, v);
        (k, v) = (RepeatKv(k), RepeatKv(v));
        var (mask, causal) = _window is { } w ? SlidingWindow.Restrict(ctx, t, k.shape[2], w, x.device) : (ctx.Mask, ctx.IsCausal);
        var y = nn.functional.scaled_dot_product_attention(q, k, v, mask, 0.0, causal);
        return o_proj.call(y.transpose(1, 2).reshape(b, t, _heads * _headDim)).MoveToOuterDisposeScope();
    }

    (Tensor Q, Tensor K, Tensor V) Project(Tensor x)
    {
        if (qkv_proj is null) return (q_proj!.call(x), k_proj!.call(x), v_proj!.call(x));
        var qkv = qkv_proj.call(x);
        long q = _heads * _headDim, kv = _kvHeads * _headDim;
        return (qkv.narrow(-1, 0, q), qkv.narrow(-1, q, kv), qkv.narrow(-1, q + kv, kv));
    }

    /// <summary>Grouped-query heads repeated to the query heads ([B, kvH, S, D] → [B, H, S, D]); expand + reshape rather than
    /// repeat_interleave, which may read its output size on the host (no host sync: CUDA graphs capture it).</summary>
    Tensor RepeatKv(Tensor x)
    {
        if (_kvHeads == _heads) return x;
        long b = x.shape[0], s = x.shape[2];
        return x.unsqueeze(2).expand(b, _kvHeads, _heads / _kvHeads, s, _headDim).reshape(b, _heads, s, _headDim);
    }
}
