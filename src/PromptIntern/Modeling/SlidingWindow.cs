using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>Sliding-window attention (Mistral, Phi-3, Qwen with use_sliding_window): a query at cache index i sees keys
/// j with i - window &lt; j ≤ i, as transformers' sliding_window_overlay; exact banded mask, no chunking.</summary>
public static class SlidingWindow
{
    /// <summary>The mask and causal flag for SDPA when <paramref name="queries"/> new tokens attend to <paramref name="keys"/>
    /// cached ones (the queries being the last of them, or, with a static cache's slot, the one query at that slot); the
    /// context's own when the window covers every key.</summary>
    public static (Tensor? Mask, bool IsCausal) Restrict(ForwardContext ctx, long queries, long keys, int window, Device device)
    {
        if (keys <= window) return (ctx.Mask, ctx.IsCausal);
        if (ctx.CacheSlot is { } slot)
        {
            // A static cache (graph decoding): the one query sits at cache index `slot` on the device, not at the end of
            // the keys, and the band is read there, so a captured step stays right at every replay.
            var near = arange(keys, ScalarType.Int64, device).view(1, 1, 1, keys).gt(slot.view(-1, 1, 1, 1) - window);
            return (ctx.Mask is { } m ? m.logical_and(near) : near, false);
        }
        var q = arange(keys - queries, keys, ScalarType.Int64, device).view(queries, 1);
        var k = arange(keys, ScalarType.Int64, device).view(1, keys);
        var band = k.gt(q - window);
        if (ctx.Mask is { } mask) return (mask.logical_and(band), false);
        if (ctx.IsCausal) band = band.logical_and(k.le(q));
        return (band.view(1, 1, queries, keys), false);
    }
}
