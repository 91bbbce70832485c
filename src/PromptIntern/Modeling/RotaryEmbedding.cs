using TorchSharp;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>Rotary position embedding (RoPE, half-split layout as in Hugging Face Llama; optional linear / llama3 scaling), with cos/sin tables precomputed once.</summary>
public sealed class RotaryEmbedding
{
    readonly Tensor _cos, _sin; // [maxSeq, headDim]

    public RotaryEmbedding(int headDim, int maxSeq, double theta, RopeScaling? scaling = null)
    {
        using var scope = NewDisposeScope();
        // Angles in float32 as transformers computes them (position · inv_freq rounded to float32), cos/sin from those.
        var invFreq = RopeScaling.InverseFrequencies(headDim, theta, scaling);
        var freqs = outer(arange(maxSeq, ScalarType.Float32), invFreq).to(ScalarType.Float64);
        var emb = cat([freqs, freqs], -1);
        _cos = emb.cos().to(ScalarType.Float32).DetachFromDisposeScope();
        _sin = emb.sin().to(ScalarType.Float32).DetachFromDisposeScope();
    }

    Tensor? _cosDev, _sinDev; // the tables on the device and dtype in use, converted once rather than per call

    (Tensor Cos, Tensor Sin) Tables(Device device, ScalarType dtype)
    {
        if (device.type == DeviceType.CPU && dtype == ScalarType.Float32) return (_cos, _sin);
        if (_cosDev is null || _cosDev.device_type != device.type || _cosDev.device_index != device.index || _cosDev.dtype != dtype)
        {
            _cosDev?.Dispose(); _sinDev?.Dispose();
            _cosDev = _cos.to(dtype, device, copy: true).DetachFromDisposeScope();
            _sinDev = _sin.to(dtype, device, copy: true).DetachFromDisposeScope();
        }
        return (_cosDev, _sinDev!);
    }

    /// <summary>Rotates heads laid out [B, T, N, D] (queries and keys together, or either) by the positions ([B, T], int64)
    /// of each token; when every row shares positions start..start+T (no padding), pass <paramref name="uniformStart"/> to
    /// slice the table instead of gathering. Returns a new [B, T, N, D] tensor.</summary>
    public Tensor Rotate(Tensor x, Tensor positions, int? uniformStart = null)
    {
        using var scope = NewDisposeScope();
        var (cos, sin) = Rows(x.device, x.dtype, positions, uniformStart, x.shape[1]);
        int heads = cos.dim() == 2 ? 1 : 2; // [T,1,D] or [B,T,1,D]
        return (x * cos.unsqueeze(heads) + RotateHalf(x) * sin.unsqueeze(heads)).MoveToOuterDisposeScope();
    }

    /// <summary>The cos and sin rows of <paramref name="t"/> tokens in <paramref name="dtype"/> on <paramref name="device"/>:
    /// [T, D] from <paramref name="uniformStart"/> when every row shares positions, else [B, T, D] gathered by
    /// <paramref name="positions"/> ([B, T], int64).</summary>
    public (Tensor Cos, Tensor Sin) Rows(Device device, ScalarType dtype, Tensor positions, int? uniformStart, long t)
    {
        var (cosT, sinT) = Tables(device, dtype);
        return uniformStart is { } s ? (cosT.narrow(0, s, t), sinT.narrow(0, s, t)) : (cosT[positions], sinT[positions]);
    }

    static Tensor RotateHalf(Tensor x)
    {
        var half = x.shape[^1] / 2;
        return cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], -1);
    }
}
