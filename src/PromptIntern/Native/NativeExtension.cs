using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace PromptIntern.Native;

/// <summary>
/// libpromptintern_native (native/, built on the GPU machine by scripts/gpu/build-native.sh): libtorch's fused AdamW,
/// multi-tensor copies and clipping, fused RMSNorm, grouped-query attention, CUDA graph capture/replay, the kineto
/// profiler (NativeExtension.Profiler.cs) and the kit's own SwiGLU and RoPE kernels (NativeExtension.Kernels.cs), called
/// on TorchSharp's tensor handles (a .NET Tensor's Handle is a torch::Tensor* of the same libtorch). Optional: loaded from $PROMPTINTERN_NATIVE when set and
/// the tensors are on CUDA; every caller has a TorchSharp-only path, and <see cref="Status"/> says which one ran.
/// </summary>
public static unsafe partial class NativeExtension
{
    public const string PathVariable = "PROMPTINTERN_NATIVE";
    const int AbiVersion = 2;

    sealed class Api
    {
        public delegate* unmanaged<int> Abi;
        public delegate* unmanaged<IntPtr> LastError, TorchVersion;
        public delegate* unmanaged<IntPtr*, IntPtr*, int, int> ForeachCopy;
        public delegate* unmanaged<IntPtr*, int, double, IntPtr, int> ClipGradNorm;
        public delegate* unmanaged<IntPtr*, IntPtr*, IntPtr*, IntPtr*, IntPtr*, int, double, double, double, double, double, int> FusedAdamW;
        public delegate* unmanaged<int, int, long*, long*, long*, int> CudaMemory;
        public delegate* unmanaged<IntPtr> GraphCreate;
        public delegate* unmanaged<IntPtr, int, int> GraphBegin;
        public delegate* unmanaged<IntPtr, int> GraphEnd, GraphReplay;
        public delegate* unmanaged<IntPtr, void> GraphDestroy;
        /// <summary>Null when the library predates it (an older build keeps working, without this path).</summary>
        public delegate* unmanaged<IntPtr, IntPtr, double, IntPtr*, int> RmsNorm;
        public delegate* unmanaged<IntPtr, IntPtr, IntPtr, int, IntPtr*, int> SdpaGqa;
        public delegate* unmanaged<IntPtr*, IntPtr*, IntPtr*, IntPtr*, IntPtr*, int, IntPtr, double, double, double, double, int> FusedAdamWLrTensor;
        public delegate* unmanaged<int, int> ProfilerStart;
        public delegate* unmanaged<byte*, int> ProfilerRangePush, ProfilerStop;
        public delegate* unmanaged<int> ProfilerRangePop;
        public delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr*, int> Swiglu;
        public delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int, int, IntPtr*, IntPtr*, IntPtr*, int> RopeQkv;
        public delegate* unmanaged<IntPtr, IntPtr, long, IntPtr*, int> CrossEntropy;
    }

    static readonly Lazy<(Api? Api, string Status)> Loaded = new(Load);

    /// <summary>True when the library is loaded (it is only ever used for CUDA tensors).</summary>
    public static bool IsAvailable => Loaded.Value.Api is not null;

    /// <summary>"on (path, torch version; kernels ...)" or "off (why)": every result that depends on it records this.</summary>
    public static string Status => Loaded.Value.Api is null ? Loaded.Value.Status : $"{Loaded.Value.Status.TrimEnd(')')}; {KernelStatus})";

    /// <summary>Whether the native path applies to tensors on <paramref name="device"/>.</summary>
    public static bool UsableOn(Device device) => device.type == TorchSharp.DeviceType.CUDA && IsAvailable;

    static (Api?, string) Load()
    {
        var path = Environment.GetEnvironmentVariable(PathVariable);
        if (string.IsNullOrEmpty(path)) return (null, $"off (${PathVariable} not set)");
        if (!File.Exists(path)) return (null, $"off ({path} not found)");
        try
        {
            var lib = NativeLibrary.Load(path);
            IntPtr F(string name) => NativeLibrary.GetExport(lib, name);
            IntPtr Optional(string name) => NativeLibrary.TryGetExport(lib, name, out var f) ? f : IntPtr.Zero;
            var api = new Api
            {
                Abi = (delegate* unmanaged<int>)F("pi_abi_version"),
                LastError = (delegate* unmanaged<IntPtr>)F("pi_last_error"),
                TorchVersion = (delegate* unmanaged<IntPtr>)F("pi_torch_version"),
                ForeachCopy = (delegate* unmanaged<IntPtr*, IntPtr*, int, int>)F("pi_foreach_copy"),
                ClipGradNorm = (delegate* unmanaged<IntPtr*, int, double, IntPtr, int>)F("pi_clip_grad_norm"),
                FusedAdamW = (delegate* unmanaged<IntPtr*, IntPtr*, IntPtr*, IntPtr*, IntPtr*, int, double, double, double, double, double, int>)F("pi_fused_adamw"),
                CudaMemory = (delegate* unmanaged<int, int, long*, long*, long*, int>)F("pi_cuda_memory"),
                GraphCreate = (delegate* unmanaged<IntPtr>)F("pi_graph_create"),
                GraphBegin = (delegate* unmanaged<IntPtr, int, int>)F("pi_graph_begin"),
                GraphEnd = (delegate* unmanaged<IntPtr, int>)F("pi_graph_end"),
                GraphReplay = (delegate* unmanaged<IntPtr, int>)F("pi_graph_replay"),
                GraphDestroy = (delegate* unmanaged<IntPtr, void>)F("pi_graph_destroy"),
                RmsNorm = (delegate* unmanaged<IntPtr, IntPtr, double, IntPtr*, int>)Optional("pi_rms_norm"),
                SdpaGqa = (delegate* unmanaged<IntPtr, IntPtr, IntPtr, int, IntPtr*, int>)Optional("pi_sdpa_gqa"),
                FusedAdamWLrTensor = (delegate* unmanaged<IntPtr*, IntPtr*, IntPtr*, IntPtr*, IntPtr*, int, IntPtr, double, double, double, double, int>)Optional("pi_fused_adamw_lr_tensor"),
                ProfilerStart = (delegate* unmanaged<int, int>)Optional("pi_profiler_start"),
                ProfilerRangePush = (delegate* unmanaged<byte*, int>)Optional("pi_profiler_range_push"),
                ProfilerRangePop = (delegate* unmanaged<int>)Optional("pi_profiler_range_pop"),
                ProfilerStop = (delegate* unmanaged<byte*, int>)Optional("pi_profiler_stop"),
                Swiglu = (delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr*, int>)Optional("pi_swiglu"),
                RopeQkv = (delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, IntPtr, int, int, IntPtr*, IntPtr*, IntPtr*, int>)Optional("pi_rope_qkv"),
                CrossEntropy = (delegate* unmanaged<IntPtr, IntPtr, long, IntPtr*, int>)Optional("pi_cross_entropy"),
            };
            var abi = api.Abi();
            if (abi != AbiVersion) return (null, $"off ({path}: ABI {abi}, this build needs {AbiVersion})");
            return (api, $"on ({path}, torch {Marshal.PtrToStringUTF8(api.TorchVersion())})");
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
        {
            return (null, $"off ({path}: {e.Message})");
        }
    }

    static Api Require() => Loaded.Value.Api ?? throw new InvalidOperationException($"native extension {Loaded.Value.Status}");

    static void Check(Api api, int rc)
    {
        if (rc != 0) throw new InvalidOperationException(Marshal.PtrToStringUTF8(api.LastError()) ?? "native call failed");
    }

    static IntPtr[] Handles(IReadOnlyList<Tensor> ts, int n, string what)
    {
        if (ts.Count != n) throw new ArgumentException($"{what}: {ts.Count} tensors, expected {n}.");
        var h = new IntPtr[n];
        for (int i = 0; i < n; i++) h[i] = ts[i].Handle;
        return h;
    }

    /// <summary>dst[i].copy_(src[i]) for every pair (dtype conversion allowed), as few launches as possible.</summary>
    public static void ForeachCopy(IReadOnlyList<Tensor> dst, IReadOnlyList<Tensor> src)
    {
        var api = Require();
        var d = Handles(dst, dst.Count, "dst");
        var s = Handles(src, dst.Count, "src");
        fixed (IntPtr* pd = d, ps = s) Check(api, api.ForeachCopy(pd, ps, d.Length));
        GC.KeepAlive(dst); GC.KeepAlive(src);
    }

    /// <summary>clip_grad_norm_ without a host sync: grads scaled in place so their joint norm is ≤ maxNorm;
    /// the norm before clipping goes to <paramref name="totalNorm"/> (0-d float32) when given.</summary>
    public static void ClipGradNorm(IReadOnlyList<Tensor> grads, double maxNorm, Tensor? totalNorm = null)
    {
        var api = Require();
        var g = Handles(grads, grads.Count, "grads");
        fixed (IntPtr* pg = g) Check(api, api.ClipGradNorm(pg, g.Length, maxNorm, totalNorm?.Handle ?? IntPtr.Zero));
        GC.KeepAlive(grads); GC.KeepAlive(totalNorm);
    }

    /// <summary>One fused AdamW step (torch.optim.AdamW(fused=True)); each step counter is a 0-d float32 device tensor, incremented here.</summary>
    public static void FusedAdamW(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> grads, IReadOnlyList<Tensor> expAvg,
        IReadOnlyList<Tensor> expAvgSq, IReadOnlyList<Tensor> steps, double lr, double beta1, double beta2, double weightDecay, double eps)
    {
        var api = Require();
        AdamWLists(parameters, grads, expAvg, expAvgSq, steps, (p, g, m, v, s, n) => api.FusedAdamW(p, g, m, v, s, n, lr, beta1, beta2, weightDecay, eps));
    }

    /// <summary>Whether <see cref="FusedAdamW(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, Tensor, double, double, double, double)"/>
    /// (the learning rate in a device tensor) is there.</summary>
    public static bool HasFusedAdamWLrTensor => IsAvailable && Loaded.Value.Api!.FusedAdamWLrTensor != null;

    /// <summary><see cref="FusedAdamW(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, double, double, double, double, double)"/>
    /// with the learning rate read from <paramref name="lr"/> (0-d float32 on the device): a captured graph follows a schedule.</summary>
    public static void FusedAdamW(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> grads, IReadOnlyList<Tensor> expAvg,
        IReadOnlyList<Tensor> expAvgSq, IReadOnlyList<Tensor> steps, Tensor lr, double beta1, double beta2, double weightDecay, double eps)
    {
        var api = Require();
        if (api.FusedAdamWLrTensor == null) throw new InvalidOperationException("native extension: this build has no pi_fused_adamw_lr_tensor");
        AdamWLists(parameters, grads, expAvg, expAvgSq, steps, (p, g, m, v, s, n) => api.FusedAdamWLrTensor(p, g, m, v, s, n, lr.Handle, beta1, beta2, weightDecay, eps));
        GC.KeepAlive(lr);
    }

    delegate int AdamWCall(IntPtr* parameters, IntPtr* grads, IntPtr* expAvg, IntPtr* expAvgSq, IntPtr* steps, int n);

    /// <summary>The five tensor lists of an AdamW step as pinned handle arrays for <paramref name="call"/>.</summary>
    static void AdamWLists(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> grads, IReadOnlyList<Tensor> expAvg,
        IReadOnlyList<Tensor> expAvgSq, IReadOnlyList<Tensor> steps, AdamWCall call)
    {
        int n = parameters.Count;
        var p = Handles(parameters, n, "params");
        var g = Handles(grads, n, "grads");
        var m = Handles(expAvg, n, "exp_avg");
        var v = Handles(expAvgSq, n, "exp_avg_sq");
        var s = Handles(steps, n, "state_steps");
        fixed (IntPtr* pp = p, pg = g, pm = m, pv = v, ps = s)
            Check(Require(), call(pp, pg, pm, pv, ps, n));
        GC.KeepAlive(parameters); GC.KeepAlive(grads); GC.KeepAlive(expAvg); GC.KeepAlive(expAvgSq); GC.KeepAlive(steps);
    }

    /// <summary>Whether <see cref="RmsNorm"/> applies to <paramref name="x"/> (CUDA, a library that has it, one dtype).</summary>
    public static bool HasRmsNorm(Tensor x, Tensor weight) =>
        UsableOn(x.device) && Loaded.Value.Api!.RmsNorm != null && x.dtype == weight.dtype;

    /// <summary>libtorch's rms_norm over the last dimension (one fused kernel each way on CUDA), recorded by autograd.</summary>
    public static Tensor RmsNorm(Tensor x, Tensor weight, double eps)
    {
        var api = Require();
        if (api.RmsNorm == null) throw new InvalidOperationException("native extension: this build has no pi_rms_norm");
        IntPtr result;
        Check(api, api.RmsNorm(x.Handle, weight.Handle, eps, &result));
        GC.KeepAlive(x); GC.KeepAlive(weight);
        return Tensor.UnsafeCreateTensor(result);
    }

    /// <summary>Whether <see cref="SdpaGqa"/> applies: CUDA, a library that has it, and a half-precision dtype (the flash
    /// kernel's; in fp32 the grouped form would fall back to the unfused math path).</summary>
    public static bool HasSdpaGqa(Tensor q) =>
        UsableOn(q.device) && Loaded.Value.Api!.SdpaGqa != null && q.dtype is ScalarType.BFloat16 or ScalarType.Float16;

    /// <summary>scaled_dot_product_attention without a mask over grouped-query heads (q [B, H, T, D], k and v [B, Hkv, S, D]),
    /// the kernel reading each kv head for its group of query heads; recorded by autograd.</summary>
    public static Tensor SdpaGqa(Tensor q, Tensor k, Tensor v, bool isCausal)
    {
        var api = Require();
        if (api.SdpaGqa == null) throw new InvalidOperationException("native extension: this build has no pi_sdpa_gqa");
        IntPtr result;
        Check(api, api.SdpaGqa(q.Handle, k.Handle, v.Handle, isCausal ? 1 : 0, &result));
        GC.KeepAlive(q); GC.KeepAlive(k); GC.KeepAlive(v);
        return Tensor.UnsafeCreateTensor(result);
    }

    /// <summary>The CUDA caching allocator's bytes in use, their peak and the reserved peak on <paramref name="device"/>
    /// (torch.cuda.max_memory_allocated); <paramref name="resetPeak"/> starts a new peak after reading.</summary>
    public static (long Allocated, long PeakAllocated, long PeakReserved) CudaMemory(int device, bool resetPeak)
    {
        var api = Require();
        long now, peak, reserved;
        Check(api, api.CudaMemory(device, resetPeak ? 1 : 0, &now, &peak, &reserved));
        return (now, peak, reserved);
    }

    /// <summary>A CUDA graph (at::cuda::CUDAGraph). Work issued between <see cref="Begin"/> and <see cref="End"/> runs on a side
    /// stream: eagerly (warm-up) or captured; <see cref="Replay"/> relaunches the captured kernels on the current stream.</summary>
    public sealed class CudaGraph : IDisposable
    {
        readonly Api _api = Require();
        IntPtr _handle;

        public CudaGraph()
        {
            _handle = _api.GraphCreate();
            if (_handle == IntPtr.Zero) throw new InvalidOperationException(Marshal.PtrToStringUTF8(_api.LastError()) ?? "pi_graph_create failed");
        }

        public void Begin(bool capture) => Check(_api, _api.GraphBegin(Live(), capture ? 1 : 0));
        public void End() => Check(_api, _api.GraphEnd(Live()));
        public void Replay() => Check(_api, _api.GraphReplay(Live()));

        /// <summary>Runs <paramref name="body"/> once eagerly on the side stream, then captures it.</summary>
        public void Capture(Action body, Action? afterWarmup = null)
        {
            Begin(capture: false);
            try { body(); } finally { End(); }
            afterWarmup?.Invoke();
            Begin(capture: true);
            try { body(); } finally { End(); }
        }

        IntPtr Live() => _handle != IntPtr.Zero ? _handle : throw new ObjectDisposedException(nameof(CudaGraph));

        public void Dispose()
        {
            if (_handle == IntPtr.Zero) return;
            _api.GraphDestroy(_handle);
            _handle = IntPtr.Zero;
        }
    }
}
