using System.Text;

namespace PromptIntern.Native;

public static unsafe partial class NativeExtension
{
    /// <summary>Whether the library is loaded and has the profiler exports (profiler.cpp is optional in its build).</summary>
    public static bool HasProfiler => IsAvailable && Loaded.Value.Api!.ProfilerStart != null && Loaded.Value.Api.ProfilerStop != null
        && Loaded.Value.Api.ProfilerRangePush != null && Loaded.Value.Api.ProfilerRangePop != null;

    /// <summary>Why <see cref="HasProfiler"/> is false, for error messages; "on" when it is true.</summary>
    public static string ProfilerStatus => HasProfiler ? "on"
        : IsAvailable ? "this build of the native extension has no pi_profiler_* exports (profiler.cpp did not compile)"
        : $"native extension {Status}";

    static Api RequireProfiler() => HasProfiler ? Loaded.Value.Api! : throw new InvalidOperationException($"native profiler: {ProfilerStatus}");

    /// <summary>Starts libtorch's kineto profiler on this thread: host ops and CUDA runtime calls, and with
    /// <paramref name="cuda"/> the GPU's kernels, copies and memsets. Ranges and <see cref="ProfilerStop"/> must come from this thread.</summary>
    public static void ProfilerStart(bool cuda)
    {
        var api = RequireProfiler();
        Check(api, api.ProfilerStart(cuda ? 1 : 0));
    }

    /// <summary>A named user range in the trace (e.g. "pi_step#0"), open until the result is disposed.</summary>
    public static ProfilerRange Range(string name)
    {
        var api = RequireProfiler();
        fixed (byte* p = Utf8(name)) Check(api, api.ProfilerRangePush(p));
        return default;
    }

    /// <summary>Closes the innermost open range when disposed.</summary>
    public readonly struct ProfilerRange : IDisposable
    {
        public void Dispose()
        {
            var api = RequireProfiler();
            Check(api, api.ProfilerRangePop());
        }
    }

    /// <summary>Stops the profiler and saves its Chrome trace to <paramref name="tracePath"/> (the format of
    /// torch.profiler's export_chrome_trace).</summary>
    public static void ProfilerStop(string tracePath)
    {
        var api = RequireProfiler();
        fixed (byte* p = Utf8(tracePath)) Check(api, api.ProfilerStop(p));
    }

    static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s + "\0");
}
