using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using PromptIntern.Data;
using Xunit;

namespace PromptIntern.Tests.Training;

/// <summary>bench/profile_summary.py (the reader of ours' and the peer's kineto traces) on small traces whose answers are
/// worked out by hand: step window, busy union over overlapping streams, gaps by length, categories, host syncs.</summary>
public class ProfileSummaryTests
{
    static string Script => Path.Combine(KitPaths.Root, "bench", "profile_summary.py");

    static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }

    static JsonObject X(string cat, string name, double ts, double dur, int tid = 7) =>
        new() { ["ph"] = "X", ["cat"] = cat, ["name"] = name, ["pid"] = 0, ["tid"] = tid, ["ts"] = ts, ["dur"] = dur };

    static string Trace(params JsonObject[] events) =>
        new JsonObject { ["schemaVersion"] = 1, ["traceEvents"] = new JsonArray(events.Cast<JsonNode>().ToArray()) }.ToJsonString();

    /// <summary>Two steps on the host, 1000..1400..1800 us; the GPU's last kernel ends at 1850. Busy runs (union):
    /// [1010,1205] (gemm and flash overlap), [1210,1260], [1310,1335] (a copy on a second stream overlaps a DtoH memcpy),
    /// [1500,1700], [1750,1850]: busy 570 of 850 us; gaps 5, 50, 165, 50; lead-in 10.</summary>
    static string OursTrace() => Trace(
        X("user_annotation", "pi_step#0", 1000, 400), X("user_annotation", "pi_step#1", 1400, 400),
        X("gpu_user_annotation", "pi_step#0", 1010, 325), X("cpu_op", "aten::mm", 1001, 20),
        X("kernel", "old_kernel_before_profiling", 500, 100),
        X("kernel", "nvjet_tst_128x256_64x4_1x2_h_bz_TNT", 1010, 100),
        X("kernel", "void pytorch_flash::flash_fwd_kernel<Flash_fwd_kernel_traits<128>>", 1105, 100),
        // a strided multiply: its template arguments say "nocast" and "lambda", neither a cast nor an optimizer
        X("kernel", "void at::native::elementwise_kernel<128, 4, at::native::gpu_kernel_impl_nocast<at::native::BinaryFunctor<c10::BFloat16, "
            + "c10::BFloat16, c10::BFloat16, at::native::binary_internal::MulFunctor<float> > >(at::TensorIteratorBase&)::{lambda(int)#1}>", 1210, 50),
        X("gpu_memcpy", "Memcpy DtoH (Device -> Pageable)", 1310, 10),
        X("kernel", "void at::native::direct_copy_kernel_cuda(at::TensorIteratorBase&)", 1315, 20, tid: 13),
        X("kernel", "void at::native::multi_tensor_apply_kernel<FusedAdamMathFunctor<float, 4>>", 1500, 200),
        X("kernel", "mystery_kernel", 1750, 100),
        X("cuda_runtime", "cudaLaunchKernel", 1002, 3), X("cuda_runtime", "cudaLaunchKernel", 1010, 3),
        X("cuda_runtime", "cudaLaunchKernel", 1020, 3), X("cuda_runtime", "cudaLaunchKernelExC", 1030, 3),
        X("cuda_runtime", "cudaMemcpyAsync", 1290, 5), X("cuda_runtime", "cudaStreamSynchronize", 1300, 30),
        X("cuda_runtime", "cudaLaunchKernel", 1420, 3), X("cuda_runtime", "cudaLaunchKernel", 1430, 3),
        X("cuda_runtime", "cudaDeviceSynchronize", 1810, 40)); // after the steps: the bench's own closing sync

    /// <summary>torch.profiler's ProfilerStep ranges (no pi_step ones): one step of 0..200 us, one gemm of 150.</summary>
    static string PeerTrace() => Trace(
        X("user_annotation", "ProfilerStep#3", 0, 200),
        X("kernel", "sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64", 20, 150));

    [Fact]
    public void OneTrace_WindowBusyGapsCategoriesAndSyncs_AreTheHandWorkedValues()
    {
        using var dir = new TempDir();
        var trace = dir.Write("ours.json", OursTrace());
        var (code, stdout, stderr) = Run("--out", dir.File("summary"), "--meta", "config=synthetic", $"ours={trace}");
        Assert.True(code == 0, stderr);
        Assert.Contains("wrote", stdout);
        var s = JsonNode.Parse(File.ReadAllText(dir.File("summary.json")))!;
        Assert.Equal("synthetic", (string)s["meta"]!["config"]!);
        Assert.NotNull(s["meta"]!["date_utc"]);
        var o = s["traces"]!["ours"]!;
        double D(JsonNode? n) => n!.GetValue<double>();
        Assert.Equal(2, (int)o["steps"]!);
        Assert.Equal("pi_step ranges", (string)o["steps_from"]!);
        Assert.Equal(0.425, D(o["wall_ms_per_step"]), 6);          // (1850 - 1000) / 2 us
        Assert.Equal(0.4, D(o["host_step_ms"]), 6);
        Assert.Equal(0.285, D(o["gpu_busy_ms_per_step"]), 6);      // 570 / 2 us: overlaps counted once, annotations not at all
        Assert.Equal(0.6706, D(o["gpu_busy_share"]), 4);
        Assert.Equal(0.14, D(o["gpu_idle_ms_per_step"]), 6);
        Assert.Equal(0.01, D(o["lead_in_ms"]), 6);
        Assert.Equal(2, D(o["gaps"]!["count_per_step"]));
        Assert.Equal(0.135, D(o["gaps"]!["ms_per_step"]), 6);
        var b = o["gaps"]!["buckets"]!;
        Assert.Equal((0.5, 0.0025), (D(b["under 10 us"]!["count_per_step"]), D(b["under 10 us"]!["ms_per_step"])));
        Assert.Equal((1.0, 0.05), (D(b["10-100 us"]!["count_per_step"]), D(b["10-100 us"]!["ms_per_step"])));
        Assert.Equal((0.5, 0.0825), (D(b["100 us and over"]!["count_per_step"]), D(b["100 us and over"]!["ms_per_step"])));
        var c = o["gpu_ms_per_step_by_category"]!;
        Assert.Equal(0.05, D(c["gemm"]), 6);
        Assert.Equal(0.05, D(c["flash-attention"]), 6);
        Assert.Equal(0.025, D(c["elementwise+reduction"]), 6);
        Assert.Equal(0.015, D(c["copy-cast"]), 6);                 // the DtoH memcpy and the copy kernel
        Assert.Equal(0.1, D(c["optimizer"]), 6);
        Assert.Equal(0.05, D(c["other"]), 6);
        Assert.Equal(3, D(o["kernels_per_step"]));                  // memcpy is not a kernel; the one before the window is out
        Assert.Equal(3, D(o["launches_per_step"]));
        Assert.Equal(0.5, D(o["host_syncs"]!["count_per_step"]));   // the stream sync inside step 0; the closing device sync is outside
        Assert.Equal(0.015, D(o["host_syncs"]!["ms_per_step"]), 6);
        Assert.Equal(0.5, D(o["d2h_copies_per_step"]));
        Assert.Equal("optimizer", (string)o["top_kernels"]![0]!["category"]!);
        var md = File.ReadAllText(dir.File("summary.md"));
        Assert.Contains("| GPU busy ms/step | 0.285 |", md);
        Assert.Contains("- config: synthetic", md);
    }

    [Fact]
    public void TwoTraces_SideBySide_WithTheDifferenceColumn_ProfilerStepRanges()
    {
        using var dir = new TempDir();
        var (code, stdout, stderr) = Run($"ours={dir.Write("a.json", OursTrace())}", $"peer={dir.Write("b.json", PeerTrace())}");
        Assert.True(code == 0, stderr);
        Assert.Contains("| measure | ours | peer | ours - peer |", stdout);
        Assert.Contains("| wall ms/step | 0.425 | 0.2 | 0.225 |", stdout);
        Assert.Contains("| GPU ms/step: gemm | 0.05 | 0.15 | -0.1 |", stdout);
        Assert.Contains("steps from ProfilerStep ranges", stdout);
        // ours is slower by 0.225 ms/step, of which busy (kernel time) +0.135 and idle +0.09: kernel time holds most of it
        Assert.Contains("- ours - peer: +0.2 ms/step of wall time (0.4 vs 0.2); most of it is kernel time.", stdout);
    }

    [Fact]
    public void NoStepRanges_NeedsSteps_AndThenUsesTheWholeTrace()
    {
        using var dir = new TempDir();
        var trace = dir.Write("bare.json", Trace(X("kernel", "ampere_bf16_s16816gemm", 0, 100), X("kernel", "ampere_bf16_s16816gemm", 300, 100)));
        var (code, _, stderr) = Run(trace);
        Assert.Equal(2, code);
        Assert.Contains("pass --steps", stderr);
        (code, var stdout, stderr) = Run("--steps", "2", trace);
        Assert.True(code == 0, stderr);
        Assert.Contains("| wall ms/step | 0.2 |", stdout);
        Assert.Contains("| GPU busy share of wall | 0.5 |", stdout);
    }

    [Theory]
    [InlineData("missing.json", "not found")]
    [InlineData("garbage.json", "not a JSON trace")]
    [InlineData("--steps", "--steps: missing value")]
    [InlineData("--frobnicate", "unknown option --frobnicate")]
    public void BadInput_OneLineOnStderr_ExitTwo(string arg, string mentions)
    {
        using var dir = new TempDir();
        dir.Write("garbage.json", "{\"traceEvents\": [");
        var (code, stdout, stderr) = Run(arg.EndsWith(".json") ? dir.File(arg) : arg);
        Assert.Equal(2, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(mentions, lines[0]);
        Assert.Empty(stdout);
        Assert.DoesNotContain("Traceback", stderr);
    }
}
