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
        // A static cache (graph decoding) holds the one query at the device-side slot, not at the end of the keys; reading
        // it there keeps a captured step right at every replay.
        var q = ctx.CacheSlot is { } slot ? slot.view(1, 1) : arange(keys - queries, keys, ScalarType.Int64, device).view(queries, 1);
        var k = arange(keys, ScalarType.Int64, device).view(1, keys);
        var band = k.gt(q - window);
        if (ctx.Mask is { } mask) return (mask.logical_and(band), false);
        if (ctx.IsCausal) band = band.logical_and(k.le(q));
        return (band.view(1, 1, queries, keys), false);
    }
}
