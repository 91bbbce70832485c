using TorchSharp.Modules;
using PromptIntern.Native;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>Grouped-query self-attention with rotary positions, computed by scaled_dot_product_attention; optional KV cache.
/// q, k and v come from one fused qkv_proj (see <see cref="FusedProjections"/> for the Hugging Face names).
/// Family variants: q/k/v(/o) biases, Qwen3's per-head q/k RMSNorm, a sliding window.</summary>
public sealed class Attention : nn.Module<Tensor, ForwardContext, Tensor>
{
    readonly int _heads, _kvHeads, _headDim, _layer;
    readonly int? _window;
    readonly RotaryEmbedding _rope;
#pragma warning disable IDE1006 // HF parameter names
    readonly Linear qkv_proj, o_proj;
    readonly RmsNorm? q_norm, k_norm;
#pragma warning restore IDE1006

    public Attention(LlamaConfig c, int layerIndex, RotaryEmbedding rope) : base(nameof(Attention))
    {
        _heads = c.NumHeads; _kvHeads = c.NumKvHeads; _headDim = c.HeadDim; _layer = layerIndex; _rope = rope;
        _window = c.WindowOf(layerIndex);
        int q = c.NumHeads * c.HeadDim, kv = c.NumKvHeads * c.HeadDim;
        qkv_proj = nn.Linear(c.HiddenSize, q + 2 * kv, hasBias: c.QkvBias);
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
        // call() rather than forward() so that adapters attached as hooks (LoRA) take part; split (not narrow): its
        // backward is one concatenation of the gradients. Queries and keys are rotated together, heads laid [B, T, N, D]
        // (one set of kernels for both), unless Qwen3 normalises each first.
        long qRows = _heads * _headDim, kvRows = _kvHeads * _headDim;
        int? uniform = ctx.UniformPositions ? ctx.CacheStart : null;
        var qkv = Project(x, ctx, uniform, out var rotated);
        Tensor q, k, v;
        if (rotated is { } native)
            (q, k, v) = native;
        else if (q_norm is null)
        {
            var parts = qkv.split([qRows + kvRows, kvRows], -1);
            var qk = _rope.Rotate(parts[0].view(b, t, _heads + _kvHeads, _headDim), ctx.Positions, uniform).split([_heads, _kvHeads], 2);
            (q, k, v) = (qk[0], qk[1], parts[1].view(b, t, _kvHeads, _headDim));
        }
        else
        {
            var parts = qkv.split([qRows, kvRows, kvRows], -1);
            q = _rope.Rotate(q_norm.call(parts[0].view(b, t, _heads, _headDim)), ctx.Positions, uniform);
            k = _rope.Rotate(k_norm!.call(parts[1].view(b, t, _kvHeads, _headDim)), ctx.Positions, uniform);
            v = parts[2].view(b, t, _kvHeads, _headDim);
        }
        (q, k, v) = (q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)); // [B, heads, T, D] for SDPA and the cache
        if (ctx.Cache is not null) (k, v) = ctx.CacheSlot is { } slot ? ctx.Cache.AppendAt(_layer, slot, k, v) : ctx.Cache.Append(_layer, ctx.CacheStart, k, v);
        var (mask, causal) = _window is { } w ? SlidingWindow.Restrict(ctx, t, k.shape[2], w, x.device) : (ctx.Mask, ctx.IsCausal);
        // Without a mask the native kernel reads each kv head for its group of query heads; otherwise they are repeated.
        var y = mask is null && _kvHeads != _heads && NativeExtension.HasSdpaGqa(q)
            ? NativeExtension.SdpaGqa(q, k, v, causal)
            : nn.functional.scaled_dot_product_attention(q, RepeatKv(k), RepeatKv(v), mask, 0.0, causal);
        return o_proj.call(y.transpose(1, 2).reshape(b, t, _heads * _headDim)).MoveToOuterDisposeScope();
    }

    /// <summary>qkv_proj(x) with its LoRA updates. On CUDA also q, k (rotated) and v from it, each [B, T, heads, D]
    /// contiguous, by the native kernel in one pass that adds the updates as it reads (see <see cref="FusedPartUpdates"/>)
    /// and whose backward writes d(qkv) whole, where the eager form concatenates. <paramref name="rotated"/> is null where
    /// the kernel does not apply (CPU, no such export, Qwen3's q/k norm) or failed; the updates are then in the result.</summary>
    Tensor Project(Tensor x, ForwardContext ctx, int? uniform, out (Tensor Q, Tensor K, Tensor V)? rotated)
    {
        rotated = null;
        if (q_norm is not null || !NativeExtension.HasRopeQkv(x)) return qkv_proj.call(x);
        long qRows = _heads * _headDim, kvRows = _kvHeads * _headDim;
        using var updates = FusedPartUpdates.Collect(qkv_proj);
        var qkv = qkv_proj.call(x);
        var (cos, sin) = _rope.Rows(qkv.device, qkv.dtype, ctx.Positions, uniform, qkv.shape[1]);
        if (updates.Within((0, qRows), (qRows, kvRows), (qRows + kvRows, kvRows)))
            rotated = NativeExtension.TryRopeQkv(qkv, updates.For(0, qRows), updates.For(qRows, kvRows), updates.For(qRows + kvRows, kvRows),
                cos, sin, _heads, _kvHeads);
        if (rotated is null) updates.AddInto(qkv);
        return qkv;
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
