using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using PromptIntern.Data;

namespace PromptIntern.Experiments;

/// <summary>The like-for-like engine benchmark — ours beside transformers, every ratio from one call on one card — as
/// bench/engine_summary.py writes it to <c>results/bench/session&lt;N&gt;/summary.json</c>. The session with the highest
/// number that holds a summary is the current one for ratios, and the highest that holds the paper's prompt layouts is the
/// current one for them, so a later session's numbers replace the earlier ones everywhere it measured them.</summary>
public sealed partial record EngineBenchmark(string Folder, EngineSummary Summary)
{
    /// <summary>The newest session under <paramref name="benchRoot"/> with a summary.json (with <paramref name="withLayouts"/>:
    /// one whose summary has the layout benchmark); null when there is none.</summary>
    public static EngineBenchmark? Latest(string benchRoot, bool withLayouts = false)
    {
        if (!Directory.Exists(benchRoot)) return null;
        return Directory.GetDirectories(benchRoot)
            .Select(d => (Dir: d, Match: SessionName().Match(Path.GetFileName(d))))
            .Where(x => x.Match.Success && File.Exists(Path.Combine(x.Dir, "summary.json")))
            .OrderBy(x => int.Parse(x.Match.Groups[1].Value, CultureInfo.InvariantCulture)).ThenBy(x => x.Dir, StringComparer.Ordinal)
            .Select(x => x.Dir).Reverse().Select(Load).FirstOrDefault(b => !withLayouts || b.Summary.Latency.Count > 0);
    }

    /// <summary>Reads <c>summary.json</c> in <paramref name="folder"/>; a malformed file is an error naming it.</summary>
    public static EngineBenchmark Load(string folder)
    {
        var path = Path.Combine(folder, "summary.json");
        try
        {
            var summary = JsonSerializer.Deserialize<EngineSummary>(File.ReadAllText(path))
                ?? throw new DataFormatException(path, 0, "", "the file holds null");
            return new EngineBenchmark(folder, summary);
        }
        catch (JsonException e) { throw new DataFormatException(path, (int)(e.LineNumber ?? 0) + 1, e.Path ?? "", e.Message); }
    }

    /// <summary>The session's name (its folder).</summary>
    public string Session => Path.GetFileName(Path.TrimEndingDirectorySeparator(Folder));

    /// <summary>Model shapes with layout timings, smallest first as the benchmark ran them.</summary>
    public IReadOnlyList<string> Models => Summary.Latency.Select(r => r.Model).Distinct().ToList();

    /// <summary>Query-only over full-prompt speed-up per task and batch for <paramref name="model"/>: ours, the peer's
    /// (eager; compiled where the session ran it) and the paper's.</summary>
    public IReadOnlyList<LayoutSpeedup> Speedups(string model) => Summary.Latency.Where(r => r.Model == model).Select(r => new LayoutSpeedup(
        r.Model, r.Task, r.Batch, DeviceName(r.Device), r.Ours.PromptTokens["full"], r.Ours.PromptTokens["query-only"],
        r.Ours.MsPerQuery["full"], r.Ours.MsPerQuery["query-only"], r.Ours.Speedup, r.PeerEager?.Speedup, r.PeerCompiled?.Speedup, r.PaperSpeedup)).ToList();

    /// <summary>Every training and decoding row as one ratio to the peer of its own call, with the issue's goal where it has one;
    /// a row that ran with some of the native kernels off says which.</summary>
    public IReadOnlyList<EngineRatio> Ratios() =>
    [
        .. Summary.Train.Select(t => new EngineRatio("training", t.Call, DeviceName(t.Device), t.Model,
            $"{(t.Lora == "none" ? "full FT" : "LoRA " + t.Lora)}, {t.Batch}x{t.Seq}, {t.OursStep} step{KernelsOff(t.Native)}", t.Peer, "tokens/s", t.OursTokensPerSecond,
            t.PeerTokensPerSecond, t.Ratio, "> 1", t.Goal?.Target, t.Goal?.Met, t.ProfiledRatio)),
        .. Summary.Decode.Select(d => new EngineRatio("decoding", d.Call, DeviceName(d.Device), d.Model,
            $"{d.PromptTokens} + {d.NewTokens} tokens, batch {d.Batch}, {d.OursDecode}{KernelsOff(d.Native)}", d.Peer, "ms", d.OursMs, d.PeerMs, d.Ratio, "< 1",
            d.Goal?.Target, d.Goal?.Met)),
    ];

    /// <summary>", kernels swiglu, rope_qkv off" where the run's native status (NativeExtension.Status) names kernels
    /// off, else "".</summary>
    static string KernelsOff(string? native)
    {
        var off = KernelOff().Matches(native ?? "").Select(m => m.Groups[1].Value).ToList();
        return off.Count == 0 ? "" : $", kernels {string.Join(", ", off)} off";
    }

    /// <summary>The README's speed bullet: per model shape at the largest batch, the query-only speed-up per task, ours and
    /// the peer's, beside the paper's; <paramref name="readmeDirectory"/> makes the links to summary.md relative;
    /// <paramref name="ratios"/>, a newer session without layouts, is linked for the engine's ratios.</summary>
    public string ReadmeBlock(string readmeDirectory, EngineBenchmark? ratios = null)
    {
        static string X(double? x) => x is null ? "-" : Number(x, "0.00") + "x";
        var rows = Models.Select(m => Speedups(m)).Where(s => s.Count > 0).Select(s => s.Where(r => r.Batch == s.Max(x => x.Batch)).ToList()).ToList();
        var tasks = rows.SelectMany(s => s.Select(r => r.Task)).Distinct().ToList();
        string PerTask(IReadOnlyList<LayoutSpeedup> s, Func<LayoutSpeedup, double?> pick) =>
            string.Join(" / ", tasks.Select(t => X(s.FirstOrDefault(r => r.Task == t) is { } r ? pick(r) : null)));
        bool oneBatch = rows.Select(s => s[0].Batch).Distinct().Count() == 1;
        var shapes = rows.Select(s => $"{PerTask(s, r => r.Ours)} at the {s[0].Model} shape{(oneBatch ? "" : $" (batch {s[0].Batch})")}" +
            (s.Any(r => r.PeerEager is not null) ? $" (transformers: {PerTask(s, r => r.PeerEager)})" : ""));
        string Link(EngineBenchmark b) => $"[{b.Session}]({b.SummaryPath(readmeDirectory)})";
        var ratiosLink = ratios is null || ratios.Session == Session ? $"Batch 1 and the engine's training and decoding ratios: {Link(this)}."
            : $"Batch 1: {Link(this)}; the engine's latest training and decoding ratios: {Link(ratios)}.";
        var devices = string.Join(", ", rows.SelectMany(s => s.Select(r => r.Device)).Distinct());
        var paper = rows.SelectMany(s => s).Select(r => r.Paper).FirstOrDefault(PaperReference.InferenceSpeedup);
        return Wrapped("- **Speed-ups grow with model size.** Our small bases decode bound by kernel launches, so their latency columns " +
            "say little. Timing the full prompt against the query alone at the tasks' measured lengths (random weights, ours beside " +
            $"transformers on one {devices}), {(oneBatch ? $"at batch {rows[0][0].Batch} " : "")}query-only is faster ({string.Join(" / ", tasks)}) by " +
            $"{string.Join("; ", shapes)}; the paper reports {paper.ToString("0.##", CultureInfo.InvariantCulture)}x. {ratiosLink}") +
            ((ratios ?? this).EngineBullet(Link(ratios ?? this)) is { } engine ? "\n" + Wrapped(engine) : "");
    }

    /// <summary>results/README.md's engine table: every ratio of this session (<see cref="Ratios"/>), one row each;
    /// <paramref name="readmeDirectory"/> makes the link to summary.md relative.</summary>
    public string RatiosMarkdown(string readmeDirectory)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"From [{Session}/summary.md]({SummaryPath(readmeDirectory)}) (`bench/engine_summary.py`; the session's README says what each call ran). " +
            "Every ratio is ours / the peer's in the same call on the same card: training tokens/s (> 1 = ours faster), decoding " +
            "milliseconds (< 1 = ours faster). A goal is met only where the timed and the profiled ratio both meet it.");
        sb.AppendLine();
        sb.AppendLine("| kind | model | setting | peer | unit | ours | peer value | ours/peer | profiled steps | goal | call | card |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in Ratios())
            sb.AppendLine($"| {r.Kind} | {r.Model} | {r.Setting} | {r.Peer} | {r.Unit} | {Number(r.Ours, "0.#")} | {Number(r.PeerValue, "0.#")} | {Number(r.Ratio, "0.000")} | " +
                $"{Number(r.ProfiledRatio, "0.000")} | {(r.Goal is null ? "-" : $"{r.Goal}: {(r.GoalMet == true ? "met" : "missed")}")} | {r.Call} | {r.Device} |");
        return sb.ToString().TrimEnd();
    }

    /// <summary>The README's engine bullet: per training and decoding shape, ours against the compiled peer of the same call
    /// (the eager training step, the default; a shape's newest call with every kernel on where there is one), with MFU and
    /// peak memory for training; null when the session has no compiled peer. Ratios keep three decimals, so that 0.999
    /// does not read as parity.</summary>
    string? EngineBullet(string link)
    {
        static T Newest<T>(IEnumerable<T> rows, Func<T, string?> native) =>
            rows.Where(r => KernelsOff(native(r)) == "").DefaultIfEmpty(rows.Last()).Last()!;
        var train = Summary.Train.Where(t => t.Peer.StartsWith("compiled") && t.Ratio is not null && t.OursStep == "eager")
            .GroupBy(t => (t.Model, t.Lora)).Select(g => Newest(g, t => t.Native))
            .Select(t => $"{Number(t.Ratio, "0.000")}x at {t.Model} {(t.Lora == "none" ? "full FT" : "LoRA " + t.Lora)} {t.Batch}x{t.Seq}" +
                $" ({(t.ProfiledRatio is { } p ? $"profiled steps {Number(p, "0.000")}x; " : "")}MFU {Number(t.OursMfu, "0.00")} / {Number(t.PeerMfu, "0.00")}; " +
                $"peak {Number(t.OursPeakGib, "0.0")} / {Number(t.PeerPeakGib, "0.0")} GiB{KernelsOff(t.Native)})").ToList();
        var decode = Summary.Decode.Where(d => d.Peer == "compiled" && d.Ratio is not null)
            .GroupBy(d => (d.Model, d.PromptTokens, d.NewTokens, d.Batch)).Select(g => Newest(g, d => d.Native))
            .Select(d => $"{Number(d.Ratio, "0.000")}x at {d.Model} ({d.PromptTokens:N0} + {d.NewTokens} tokens, batch {d.Batch}{KernelsOff(d.Native)})").ToList();
        if (train.Count + decode.Count == 0) return null;
        var device = DeviceName(Summary.Train.Select(t => t.Device).Concat(Summary.Decode.Select(d => d.Device)).First());
        return $"- **The engine beside transformers + PEFT under torch.compile** (same GPU call, one {device}; {link}): " +
            (train.Count > 0 ? $"training throughput, ours / the peer's, {string.Join("; ", train)}" : "") +
            (train.Count > 0 && decode.Count > 0 ? ". " : "") +
            (decode.Count > 0 ? $"Decoding time, ours / the peer's, {string.Join("; ", decode)}" : "") + ".";
    }

    /// <summary>This session's summary.md relative to <paramref name="directory"/>, with forward slashes (a Markdown link).</summary>
    string SummaryPath(string directory) => Path.GetRelativePath(directory, Path.Combine(Folder, "summary.md")).Replace('\\', '/');

    /// <summary><paramref name="x"/> in <paramref name="format"/> (invariant culture), or "-" where the session did not record it.</summary>
    static string Number(double? x, string format) => x is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <summary>A Markdown bullet wrapped as the README's prose is: lines of at most 118 characters, continuations indented.</summary>
    static string Wrapped(string bullet)
    {
        var lines = new List<string> { "" };
        foreach (var word in bullet.Split(' '))
        {
            if (lines[^1].Length > 0 && lines[^1].Length + 1 + word.Length > 118) lines.Add("  ");
            lines[^1] += (lines[^1].Trim().Length > 0 ? " " : "") + word;
        }
        return string.Join("\n", lines);
    }

    static string DeviceName(string device) => device.Split(',')[0].Trim();

    [GeneratedRegex(@"^session(\d+)")]
    private static partial Regex SessionName();

    [GeneratedRegex(@"(\w+) off:")]
    private static partial Regex KernelOff();
}

/// <summary>One task and batch of the layout benchmark: prompt tokens and ms per query for the full prompt and the query
/// alone, and the speed-up full / query-only for ours, the peer (eager, compiled; null where not run) and the paper.</summary>
public sealed record LayoutSpeedup(string Model, string Task, int Batch, string Device, int FullPromptTokens, int QueryOnlyPromptTokens,
    double FullMsPerQuery, double QueryOnlyMsPerQuery, double Ours, double? PeerEager, double? PeerCompiled, double Paper);

/// <summary>One engine measurement against the peer of the same call: <see cref="Ratio"/> is ours / peer in
/// <see cref="Unit"/>; <see cref="Better"/> says which side of 1 favours ours; <see cref="ProfiledRatio"/>, where the call
/// also profiled both sides, is the same ratio over the profiled steps (the goal is met only where both meet it).</summary>
public sealed record EngineRatio(string Kind, string Call, string Device, string Model, string Setting, string Peer, string Unit,
    double Ours, double? PeerValue, double? Ratio, string Better, string? Goal, bool? GoalMet, double? ProfiledRatio = null);

/// <summary>summary.json of one benchmark session (bench/engine_summary.py).</summary>
public sealed record EngineSummary(
    [property: JsonPropertyName("train")] IReadOnlyList<EngineSummary.TrainRow> Train,
    [property: JsonPropertyName("decode")] IReadOnlyList<EngineSummary.DecodeRow> Decode,
    [property: JsonPropertyName("latency")] IReadOnlyList<EngineSummary.LatencyRow> Latency)
{
    public sealed record Goal([property: JsonPropertyName("target")] string Target, [property: JsonPropertyName("met")] bool? Met);

    public sealed record TrainRow(
        [property: JsonPropertyName("call")] string Call, [property: JsonPropertyName("device")] string Device,
        [property: JsonPropertyName("model")] string Model, [property: JsonPropertyName("lora")] string Lora,
        [property: JsonPropertyName("batch")] int Batch, [property: JsonPropertyName("seq")] int Seq,
        [property: JsonPropertyName("ours_step")] string OursStep, [property: JsonPropertyName("native")] string? Native,
        [property: JsonPropertyName("peer")] string Peer,
        [property: JsonPropertyName("ours_tokens_per_s")] double OursTokensPerSecond,
        [property: JsonPropertyName("peer_tokens_per_s")] double? PeerTokensPerSecond,
        [property: JsonPropertyName("ratio")] double? Ratio, [property: JsonPropertyName("goal")] Goal? Goal,
        [property: JsonPropertyName("profiled_ratio")] double? ProfiledRatio = null, [property: JsonPropertyName("ours_mfu")] double? OursMfu = null,
        [property: JsonPropertyName("peer_mfu")] double? PeerMfu = null, [property: JsonPropertyName("ours_peak_gib")] double? OursPeakGib = null,
        [property: JsonPropertyName("peer_peak_gib")] double? PeerPeakGib = null);

    public sealed record DecodeRow(
        [property: JsonPropertyName("call")] string Call, [property: JsonPropertyName("device")] string Device,
        [property: JsonPropertyName("model")] string Model, [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
        [property: JsonPropertyName("new_tokens")] int NewTokens, [property: JsonPropertyName("batch")] int Batch,
        [property: JsonPropertyName("ours_decode")] string OursDecode, [property: JsonPropertyName("native")] string? Native,
        [property: JsonPropertyName("peer")] string Peer,
        [property: JsonPropertyName("ours_ms")] double OursMs, [property: JsonPropertyName("peer_ms")] double? PeerMs,
        [property: JsonPropertyName("ratio")] double? Ratio, [property: JsonPropertyName("goal")] Goal? Goal);

    public sealed record LatencyRow(
        [property: JsonPropertyName("call")] string Call, [property: JsonPropertyName("device")] string Device,
        [property: JsonPropertyName("model")] string Model, [property: JsonPropertyName("task")] string Task,
        [property: JsonPropertyName("batch")] int Batch, [property: JsonPropertyName("paper_speedup")] double PaperSpeedup,
        [property: JsonPropertyName("ours")] Layouts Ours, [property: JsonPropertyName("peer_eager")] Layouts? PeerEager,
        [property: JsonPropertyName("peer_compiled")] Layouts? PeerCompiled);

    /// <summary>One engine's timings of the three layouts (keys full, llmlingua2, query-only).</summary>
    public sealed record Layouts(
        [property: JsonPropertyName("prompt_tokens")] IReadOnlyDictionary<string, int> PromptTokens,
        [property: JsonPropertyName("ms_per_query")] IReadOnlyDictionary<string, double> MsPerQuery,
        [property: JsonPropertyName("speedup_full_over_query_only")] double Speedup);
}
