using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace PromptIntern.Native;

/// <summary>
/// The kit's own CUDA kernels in libpromptintern_native (native/src/*_kernel.cu): SwiGLU and RoPE over the fused
/// projections' outputs and the cross-entropy of low-precision logits, one kernel each way, recorded by autograd. Each is optional (a build without nvcc lacks it), can
/// be switched off by name in $PROMPTINTERN_NATIVE_SKIP (e.g. "swiglu,rope_qkv,cross_entropy", to time the eager form), and is switched
/// off for the rest of the process, said once on stderr, when a call fails: the caller then runs its eager form.
/// </summary>
public static unsafe partial class NativeExtension
{
    public const string SkipVariable = "PROMPTINTERN_NATIVE_SKIP";
    const string SwigluName = "swiglu", RopeQkvName = "rope_qkv", CrossEntropyName = "cross_entropy";

    static readonly ConcurrentDictionary<string, string> KernelsOff = new(
        (Environment.GetEnvironmentVariable(SkipVariable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct().ToDictionary(n => n, _ => $"${SkipVariable}"));

    static volatile bool _kernelsSuspended;

    /// <summary>Runs <paramref name="body"/> with the kit's kernels off (their eager forms), e.g. to compare the two.</summary>
    public static T WithoutKernels<T>(Func<T> body)
    {
        var was = _kernelsSuspended;
        _kernelsSuspended = true;
        try { return body(); }
        finally { _kernelsSuspended = was; }
    }

    /// <summary>"kernels swiglu, rope_qkv" (those this library has and that are on), with those off and why.</summary>
    static string KernelStatus
    {
        get
        {
            var api = Loaded.Value.Api!;
            var present = new List<string>();
            if (api.Swiglu != null) present.Add(SwigluName);
            if (api.RopeQkv != null) present.Add(RopeQkvName);
            if (api.CrossEntropy != null) present.Add(CrossEntropyName);
            var on = present.Where(n => !KernelsOff.ContainsKey(n)).ToList();
            var off = present.Where(KernelsOff.ContainsKey).Select(n => $"{n} off: {KernelsOff[n]}").ToList();
            return $"kernels {(on.Count > 0 ? string.Join(", ", on) : "none")}{(off.Count > 0 ? $" ({string.Join("; ", off)})" : "")}";
        }
    }

    static bool KernelApplies(Tensor t, string name, bool present) =>
        present && !_kernelsSuspended && !KernelsOff.ContainsKey(name) && t.dtype is ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16;

    /// <summary>Records a failed call: the kernel stays off from now on, said once on stderr.</summary>
    static void KernelFailed(Api api, string name)
    {
        var why = (Marshal.PtrToStringUTF8(api.LastError()) ?? "failed").Split('\n')[0];
        if (KernelsOff.TryAdd(name, why)) Console.Error.WriteLine($"native: pi_{name} failed ({why}); running its eager form from now on");
    }

    /// <summary>Whether <see cref="TrySwiglu"/> may apply: CUDA, a library that has pi_swiglu, float32/bfloat16/float16.</summary>
    public static bool HasSwiglu(Tensor gateUp) => UsableOn(gateUp.device) && KernelApplies(gateUp, SwigluName, Loaded.Value.Api!.Swiglu != null);

    /// <summary>silu(gate) * up for gate_up [..., 2I] (gate first) as one kernel, a contiguous [..., I] tensor recorded by
    /// autograd (its backward writes d(gate_up) in one kernel). <paramref name="addGate"/>, <paramref name="addUp"/>
    /// (each optional, [..., I]): adapters' updates added to gate and up first, their gradients views of d(gate_up).
    /// Null when the call failed (the kernel is then off).</summary>
    public static Tensor? TrySwiglu(Tensor gateUp, Tensor? addGate = null, Tensor? addUp = null)
    {
        var api = Require();
        IntPtr result;
        int rc = api.Swiglu(gateUp.Handle, Handle(addGate), Handle(addUp), &result);
        GC.KeepAlive(gateUp); GC.KeepAlive(addGate); GC.KeepAlive(addUp);
        if (rc == 0) return Tensor.UnsafeCreateTensor(result);
        KernelFailed(api, SwigluName);
        return null;
    }

    static IntPtr Handle(Tensor? t) => t?.Handle ?? IntPtr.Zero;

    /// <summary>Whether <see cref="TryRopeQkv"/> may apply: CUDA, a library that has pi_rope_qkv, float32/bfloat16/float16.</summary>
    public static bool HasRopeQkv(Tensor qkv) => UsableOn(qkv.device) && KernelApplies(qkv, RopeQkvName, Loaded.Value.Api!.RopeQkv != null);

    /// <summary>Rotary embedding (rotate-half) of the q and k heads of the fused projection qkv [B, T, (H + 2 Hkv) D] by
    /// <paramref name="cos"/> and <paramref name="sin"/> ([T, D] for every row or [B, T, D], qkv's dtype), with v laid out
    /// beside them: q [B, T, H, D], k and v [B, T, Hkv, D], contiguous, recorded by autograd as one function whose
    /// backward writes d(qkv) in one kernel. <paramref name="addQ"/>, <paramref name="addK"/>, <paramref name="addV"/>
    /// (each optional, [B, T, part width]): adapters' updates added to those rows first, their gradients views of d(qkv).
    /// Null when the call failed (the kernel is then off).</summary>
    public static (Tensor Q, Tensor K, Tensor V)? TryRopeQkv(Tensor qkv, Tensor? addQ, Tensor? addK, Tensor? addV, Tensor cos, Tensor sin, int heads, int kvHeads)
    {
        var api = Require();
        IntPtr q, k, v;
        int rc = api.RopeQkv(qkv.Handle, Handle(addQ), Handle(addK), Handle(addV), cos.Handle, sin.Handle, heads, kvHeads, &q, &k, &v);
        GC.KeepAlive(qkv); GC.KeepAlive(addQ); GC.KeepAlive(addK); GC.KeepAlive(addV); GC.KeepAlive(cos); GC.KeepAlive(sin);
        if (rc == 0) return (Tensor.UnsafeCreateTensor(q), Tensor.UnsafeCreateTensor(k), Tensor.UnsafeCreateTensor(v));
        KernelFailed(api, RopeQkvName);
        return null;
    }

    /// <summary>Whether <see cref="TryCrossEntropy"/> may apply: CUDA, a library that has pi_cross_entropy, float32/bfloat16/float16.</summary>
    public static bool HasCrossEntropy(Tensor logits) => UsableOn(logits.device) && KernelApplies(logits, CrossEntropyName, Loaded.Value.Api!.CrossEntropy != null);

    /// <summary>Mean cross-entropy of <paramref name="logits"/> [rows, vocab] against <paramref name="target"/> [rows]
    /// (int64; <paramref name="ignoreIndex"/> counts for nothing) as one kernel over the logits in their own dtype, no fp32
    /// copy: a 0-dim fp32 tensor recorded by autograd (its backward writes d(logits) in the logits' dtype in one kernel).
    /// Null when the call failed (the kernel is then off).</summary>
    public static Tensor? TryCrossEntropy(Tensor logits, Tensor target, long ignoreIndex)
    {
        var api = Require();
        IntPtr result;
        int rc = api.CrossEntropy(logits.Handle, target.Handle, ignoreIndex, &result);
        GC.KeepAlive(logits); GC.KeepAlive(target);
        if (rc == 0) return Tensor.UnsafeCreateTensor(result);
        KernelFailed(api, CrossEntropyName);
        return null;
    }
}
