using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>Pre-allocated key/value cache for incremental decoding: per layer [B, kvHeads, capacity, headDim], filled left to right.</summary>
public sealed class KvCache : IDisposable
{
    readonly Tensor[] _keys, _values;

    public int Capacity { get; }

    public KvCache(LlamaConfig config, int batch, int capacity, Device device, ScalarType dtype)
    {
        Capacity = capacity;
        _keys = new Tensor[config.NumLayers];
        _values = new Tensor[config.NumLayers];
        for (int i = 0; i < config.NumLayers; i++)
        {
            _keys[i] = zeros([batch, config.NumKvHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
            _values[i] = zeros([batch, config.NumKvHeads, capacity, config.HeadDim], dtype, device).DetachFromDisposeScope();
        }
    }

    /// <summary>Writes k, v ([B, kvH, T, D]) at <paramref name="start"/> and returns views of everything cached so far.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, int start, Tensor k, Tensor v)
    {
        int t = (int)k.shape[2];
        if (start + t > Capacity) throw new InvalidOperationException($"KV cache overflow: {start + t} tokens > capacity {Capacity}.");
        using (no_grad())
        {
            _keys[layer].narrow(2, start, t).copy_(k);
            _values[layer].narrow(2, start, t).copy_(v);
        }
        return (_keys[layer].narrow(2, 0, start + t), _values[layer].narrow(2, 0, start + t));
    }

    /// <summary>Writes one token's k, v ([B, kvH, 1, D]) at the column held by <paramref name="slot"/> (int64 [1] on the device,
    /// so a captured graph can advance it) and returns the whole cache; the caller's mask hides columns not yet written.</summary>
    public (Tensor Keys, Tensor Values) AppendAt(int layer, Tensor slot, Tensor k, Tensor v)
    {
        using (no_grad())
        {
            _keys[layer].index_copy_(2, slot, k);
            _values[layer].index_copy_(2, slot, v);
        }
        return (_keys[layer].alias(), _values[layer].alias());
    }

    public void Dispose()
    {
        foreach (var t in _keys) t.Dispose();
        foreach (var t in _values) t.Dispose();
    }
}
