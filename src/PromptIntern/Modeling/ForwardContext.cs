using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>What every layer of one forward pass shares: token positions, the attention mask (null = plain causal) and the optional KV cache.</summary>
public sealed class ForwardContext
{
    /// <summary>Position of each input token, [B, T] int64 (differs per row under left padding).</summary>
    public required Tensor Positions { get; init; }
    /// <summary>Boolean mask [B, 1, T, S] (true = may attend), or null when attention is plain causal (or T == 1 over a cache).</summary>
    public Tensor? Mask { get; init; }
    /// <summary>True when SDPA should apply its own causal mask (no explicit mask and queries == keys).</summary>
    public bool IsCausal { get; init; }
    public KvCache? Cache { get; init; }
    /// <summary>Set when all rows share positions CacheStart.. (no padding): RoPE then slices its table rather than gathering.</summary>
    public bool UniformPositions { get; init; }
    /// <summary>Where in the cache these tokens start (tokens already cached).</summary>
    public int CacheStart { get; init; }
    /// <summary>Graph-safe decoding (<see cref="GraphDecoder"/>): a 1-element int64 device tensor naming the cache column of
    /// this step's single token; attention then reads the whole cache under <see cref="Mask"/>. Null: <see cref="CacheStart"/> rules.</summary>
    public Tensor? CacheSlot { get; init; }

    /// <summary>A copy whose tensors outlive the caller's dispose scope (for the backward pass of a checkpointed block).</summary>
    public ForwardContext Detached() => new()
    {
        Positions = Positions.detach().DetachFromDisposeScope(), Mask = Mask?.detach().DetachFromDisposeScope(), IsCausal = IsCausal,
        Cache = Cache, UniformPositions = UniformPositions, CacheStart = CacheStart, CacheSlot = CacheSlot,
    };

    /// <summary>Disposes the tensors a <see cref="Detached"/> copy made (once the backward pass is done with them).</summary>
    public void DisposeDetached()
    {
        Positions.Dispose();
        Mask?.Dispose();
    }

    /// <summary>
    /// Builds positions and mask for <paramref name="seqLen"/> new tokens after <paramref name="start"/> cached ones.
    /// <paramref name="padMask"/> ([B, ≥ start+T], 1 = real token, 0 = left padding) may be null when no row is padded.
    /// Tensors are created in the caller's dispose scope.
    /// </summary>
    public static ForwardContext Create(int batch, int seqLen, Device device, Tensor? padMask = null, KvCache? cache = null, int start = 0)
    {
        int total = start + seqLen;
        if (padMask is null)
        {
            var pos = arange(start, total, ScalarType.Int64, device).unsqueeze(0).expand(batch, seqLen);
            return new ForwardContext { Positions = pos, Mask = null, IsCausal = seqLen > 1 && start == 0, Cache = cache, CacheStart = start, UniformPositions = true }
                .CheckNoMaskNeeded(seqLen, start);
        }
        var keys = padMask.narrow(1, 0, total).to(ScalarType.Int64).to(device);
        var positions = (keys.cumsum(1) - 1).clamp_min(0).narrow(1, start, seqLen);
        var q = arange(start, total, ScalarType.Int64, device).view(seqLen, 1);
        var k = arange(total, ScalarType.Int64, device).view(1, total);
        var causal = k.le(q).unsqueeze(0);                                        // [1, T, S]
        var real = keys.to(ScalarType.Bool).unsqueeze(1);                         // [B, 1, S]
        var diagonal = k.eq(q).unsqueeze(0);                                      // a pad query still sees itself (no all-masked row -> no NaN)
        var mask = causal.logical_and(real).logical_or(diagonal).unsqueeze(1);    // [B, 1, T, S]
        return new ForwardContext { Positions = positions, Mask = mask, IsCausal = false, Cache = cache, CacheStart = start };
    }

    ForwardContext CheckNoMaskNeeded(int seqLen, int start)
    {
        // Several new tokens after cached ones need an explicit causal mask offset by start; build it then.
        if (seqLen > 1 && start > 0)
        {
            var total = start + seqLen;
            var q = arange(start, total, ScalarType.Int64, Positions.device).view(seqLen, 1);
            var k = arange(total, ScalarType.Int64, Positions.device).view(1, total);
            return new ForwardContext { Positions = Positions, Mask = k.le(q).view(1, 1, seqLen, total), IsCausal = false, Cache = Cache, CacheStart = start, UniformPositions = true };
        }
        return this;
    }
}
