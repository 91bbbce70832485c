using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>The kit against transformers on one checkpoint in a reduced precision (a 7B shape in bf16 on the GPU):
/// logits on fixed inputs, greedy tokens, and what loading cost. The reference (scripts/gpu/parity-7b.py) holds
/// transformers' logits in that precision and in fp32 from the same weights; transformers' own bf16-vs-fp32 gap is the
/// noise floor the kit's gap is judged against.</summary>
public static class ReferenceLogitCheck
{
    /// <summary>The kit's error may be this many times transformers' own bf16 error (max and mean over all logits):
    /// two implementations of the same bf16 arithmetic differ by rounding of that size, while a modelling bug (rope,
    /// norm, attention) moves logits by about their own scale.</summary>
    public const double ToleranceFactor = 2.0;

    public sealed record Gap(
        [property: JsonPropertyName("max_abs")] double MaxAbs, [property: JsonPropertyName("mean_abs")] double MeanAbs,
        [property: JsonPropertyName("top1_agreement")] double Top1Agreement);

    public sealed record Greedy(
        [property: JsonPropertyName("tokens")] int Tokens,
        [property: JsonPropertyName("kit_vs_transformers_bf16")] int KitVsBf16, [property: JsonPropertyName("kit_vs_transformers_fp32")] int KitVsFp32,
        [property: JsonPropertyName("transformers_bf16_vs_fp32")] int Bf16VsFp32);

    public sealed record Loading(
        [property: JsonPropertyName("seconds")] double Seconds, [property: JsonPropertyName("weight_bytes")] long WeightBytes,
        [property: JsonPropertyName("host_peak_rss_bytes")] long? HostPeakRss, [property: JsonPropertyName("host_rss_after_load_bytes")] long? HostRssAfterLoad,
        [property: JsonPropertyName("gpu_used_bytes_after_load")] long? GpuAfterLoad, [property: JsonPropertyName("gpu_used_bytes_at_end")] long? GpuAtEnd);

    public sealed record Result(
        [property: JsonPropertyName("model")] string Model, [property: JsonPropertyName("parameters")] long Parameters,
        [property: JsonPropertyName("device")] string Device, [property: JsonPropertyName("dtype")] string DType,
        [property: JsonPropertyName("inputs")] string Inputs, [property: JsonPropertyName("logit_scale_std")] double LogitScale,
        [property: JsonPropertyName("kit_vs_transformers_fp32")] Gap KitVsFp32, [property: JsonPropertyName("kit_vs_transformers_bf16")] Gap KitVsBf16,
        [property: JsonPropertyName("transformers_bf16_vs_fp32")] Gap NoiseFloor,
        [property: JsonPropertyName("tolerance_max_abs")] double ToleranceMax, [property: JsonPropertyName("tolerance_mean_abs")] double ToleranceMean,
        [property: JsonPropertyName("within_tolerance")] bool WithinTolerance, [property: JsonPropertyName("greedy")] Greedy Greedy,
        [property: JsonPropertyName("loading")] Loading Loading, [property: JsonPropertyName("reference")] JsonNode? Reference);

    /// <summary>Loads <paramref name="modelDir"/> on <paramref name="device"/> in <paramref name="dtype"/> and compares it with
    /// <paramref name="reference"/>.safetensors (input_ids, logits_fp32, logits_bf16) and .json (prompts, greedy_bf16, greedy_fp32).</summary>
    public static Result Run(string modelDir, string reference, Device device, ScalarType dtype)
    {
        var clock = Stopwatch.StartNew();
        using var lm = CausalLanguageModel.Load(modelDir, device, dtype);
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
        double loadSeconds = clock.Elapsed.TotalSeconds;
        var (_, rssAfterLoad) = HostMemory();
        long? gpuAfterLoad = GpuUsedBytes();
        long weightBytes = lm.Model.parameters().Sum(p => p.numel() * p.element_size());

        var meta = JsonNode.Parse(File.ReadAllText(reference + ".json"))!;
        Gap kitFp32, kitBf16, floor;
        double scale;
        string inputs;
        using (var scope = NewDisposeScope())
        {
            var t = Safetensors.Load(reference + ".safetensors");
            var ids = t["input_ids"].to(ScalarType.Int64);
            inputs = $"{ids.shape[0]} × {ids.shape[1]} random token ids";
            lm.Model.eval();
            Tensor kit;
            using (no_grad()) kit = lm.Model.call(ids.to(device)).to(ScalarType.Float32).cpu();
            var fp32 = t["logits_fp32"];
            var bf16 = t["logits_bf16"];
            kitFp32 = Compare(kit, fp32);
            kitBf16 = Compare(kit, bf16);
            floor = Compare(bf16, fp32);
            scale = fp32.std().item<float>();
        }

        var prompts = Ints(meta["prompts"]!);
        var wantBf16 = Ints(meta["greedy_bf16"]!);
        var wantFp32 = Ints(meta["greedy_fp32"]!);
        int total = 0, vsBf16 = 0, vsFp32 = 0, bf16VsFp32 = 0;
        for (int i = 0; i < prompts.Count; i++)
        {
            var got = TextGenerator.Generate(lm.Model, lm.Tokenizer, [prompts[i]],
                new GenerationOptions { MaxNewTokens = wantBf16[i].Length, Temperature = 0, StopAtEos = false })[0].Tokens;
            total += wantBf16[i].Length;
            vsBf16 += Prefix(got, wantBf16[i]);
            vsFp32 += Prefix(got, wantFp32[i]);
            bf16VsFp32 += Prefix(wantBf16[i], wantFp32[i]);
        }
        var (peak, _) = HostMemory();
        var loading = new Loading(loadSeconds, weightBytes, peak, rssAfterLoad, gpuAfterLoad, GpuUsedBytes());
        double tolMax = ToleranceFactor * floor.MaxAbs, tolMean = ToleranceFactor * floor.MeanAbs;
        return new Result(Path.GetFileName(Path.GetFullPath(modelDir).TrimEnd('/')), lm.Model.ParameterCount(), device.ToString(),
            HfCheckpoint.DtypeName(dtype), inputs, scale, kitFp32, kitBf16, floor, tolMax, tolMean,
            kitFp32.MaxAbs <= tolMax && kitFp32.MeanAbs <= tolMean, new Greedy(total, vsBf16, vsFp32, bf16VsFp32), loading, meta);
    }

    /// <summary>The result as indented JSON, with where and when it was measured.</summary>
    public static string ToJson(Result r, Provenance.RunProvenance provenance) =>
        System.Text.Json.JsonSerializer.Serialize(new { provenance, result = r }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true });

    /// <summary>The README lines of every result <c>model compare</c> wrote into <paramref name="folder"/>.</summary>
    public static IReadOnlyList<string> ReadmeLines(string folder) =>
        !Directory.Exists(folder) ? [] : Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonNode.Parse(File.ReadAllText(f)))
            .Where(n => n?["result"]?["kit_vs_transformers_fp32"] is not null)
            .Select(n => ToReadmeLine(n!["result"].Deserialize<Result>()!, (string?)n["provenance"]?["commit"] ?? "unknown")).ToList();

    /// <summary>One sentence for the README's parity section.</summary>
    public static string ToReadmeLine(Result r, string commit) =>
        $"{r.Model} ({r.Parameters / 1e9:0.00}B parameters, {r.DType} on {r.Device} ({r.Reference?["gpu"]}), commit {commit[..Math.Min(10, commit.Length)]}): max abs logit diff "
        + $"{r.KitVsFp32.MaxAbs:0.000} against transformers' fp32 computation, where transformers' own {r.DType} run is {r.NoiseFloor.MaxAbs:0.000} off "
        + $"(tolerance {ToleranceFactor:0}×: {(r.WithinTolerance ? "within" : "NOT within")}); greedy tokens equal to transformers' {r.DType} run "
        + $"{r.Greedy.KitVsBf16}/{r.Greedy.Tokens} until the first divergence (transformers' {r.DType} and fp32 runs: {r.Greedy.Bf16VsFp32}/{r.Greedy.Tokens}; random weights leave near-ties); loaded in {r.Loading.Seconds:0.0} s with a peak host RSS of {Gib(r.Loading.HostPeakRss)} "
        + $"for {Gib(r.Loading.WeightBytes)} of weights.";

    /// <summary>Markdown report: the gaps, the tolerance, greedy agreement and loading cost.</summary>
    public static string ToMarkdown(Result r, Provenance.RunProvenance provenance)
    {
        var sb = new System.Text.StringBuilder();
        var refInfo = r.Reference;
        sb.AppendLine($"# {r.Model}: the kit ({r.DType}, {r.Device}) against transformers {refInfo?["transformers"]}");
        sb.AppendLine();
        sb.AppendLine($"Measured at commit {provenance.Commit[..Math.Min(12, provenance.Commit.Length)]} on {provenance.Machine}, {provenance.DateUtc}; "
            + $"reference written by {refInfo?["written_by"]} on {refInfo?["machine"]} ({refInfo?["gpu"]}), {refInfo?["date_utc"]}, torch {refInfo?["torch"]}.");
        sb.AppendLine($"Checkpoint: {refInfo?["shape"]}, {r.Parameters:N0} parameters, random weights, {refInfo?["shards"]} safetensors shards. Inputs: {r.Inputs}.");
        sb.AppendLine();
        sb.AppendLine("| comparison | max abs logit diff | mean abs logit diff | top-1 agreement |");
        sb.AppendLine("|---|---|---|---|");
        void Row(string name, Gap g) => sb.AppendLine($"| {name} | {g.MaxAbs:0.0000} | {g.MeanAbs:0.00000} | {g.Top1Agreement:P2} |");
        Row($"kit {r.DType} vs transformers fp32", r.KitVsFp32);
        Row($"kit {r.DType} vs transformers {r.DType}", r.KitVsBf16);
        Row($"transformers {r.DType} vs transformers fp32 (noise floor)", r.NoiseFloor);
        sb.AppendLine();
        sb.AppendLine($"Logit scale (std of the fp32 logits): {r.LogitScale:0.000}. Tolerance: the kit's gap to fp32 may be at most {ToleranceFactor:0}× "
            + $"transformers' own {r.DType} gap, max {r.ToleranceMax:0.0000} and mean {r.ToleranceMean:0.00000}: **{(r.WithinTolerance ? "within" : "NOT within")}**.");
        sb.AppendLine();
        var g = r.Greedy;
        sb.AppendLine($"Greedy tokens (until the first divergence, {g.Tokens} in all): kit = transformers {r.DType} {g.KitVsBf16}, kit = transformers fp32 {g.KitVsFp32}, "
            + $"transformers {r.DType} = transformers fp32 {g.Bf16VsFp32}.");
        sb.AppendLine();
        var l = r.Loading;
        sb.AppendLine($"Loading: {l.Seconds:0.0} s for {Gib(l.WeightBytes)} of weights; host RSS peak {Gib(l.HostPeakRss)} (after load {Gib(l.HostRssAfterLoad)}); "
            + $"GPU memory in use after load {Gib(l.GpuAfterLoad)}, at the end {Gib(l.GpuAtEnd)} (nvidia-smi, CUDA context included).");
        return sb.ToString();
    }

    static string Gib(long? bytes) => bytes is { } b ? $"{b / (double)(1L << 30):0.00} GiB" : "n/a";

    /// <summary>Tokens equal until the first divergence (after it, the two runs continue different texts).</summary>
    static int Prefix(int[] a, int[] b) => a.Zip(b).TakeWhile(p => p.First == p.Second).Count();

    static List<int[]> Ints(JsonNode node) => node.AsArray().Select(p => p!.AsArray().Select(x => (int)x!).ToArray()).ToList();

    static Gap Compare(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        var d = (a - b).abs();
        var top1 = a.argmax(-1).eq(b.argmax(-1)).to(ScalarType.Float32).mean().item<float>();
        return new Gap(d.max().item<float>(), d.mean().item<float>(), top1);
    }

    /// <summary>This process's peak and current resident memory (Linux /proc/self/status VmHWM, VmRSS), null elsewhere.</summary>
    static (long? Peak, long? Now) HostMemory()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return (null, null);
        long? Field(string name) => File.ReadLines(status).FirstOrDefault(l => l.StartsWith(name + ":")) is { } line
            && long.TryParse(line[(name.Length + 1)..].Trim().Split(' ')[0], out var kb) ? kb * 1024 : null;
        return (Field("VmHWM"), Field("VmRSS"));
    }

    /// <summary>Memory in use on the first GPU as nvidia-smi reports it (CUDA context and the allocator's reserve included;
    /// per-process figures are often missing inside containers, so the check is meant to run alone on its GPU).</summary>
    static long? GpuUsedBytes()
    {
        var csv = Provenance.RunProvenance.RunTool("nvidia-smi", null, "--query-gpu=memory.used", "--format=csv,noheader,nounits");
        return long.TryParse(csv?.Split('\n')[0].Trim(), out var mib) ? mib * 1024 * 1024 : null;
    }
}
