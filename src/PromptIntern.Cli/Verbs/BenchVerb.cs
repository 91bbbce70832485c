using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PromptIntern.Data;
using PromptIntern.Experiments;
using PromptIntern.Modeling;
using PromptIntern.Native;
using PromptIntern.Provenance;
using PromptIntern.Training;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary><c>promptintern bench train|generate|all</c>: training tokens/s + MFU and generation latency in peer_torch.py's shapes; writes JSON + Markdown.</summary>
public sealed class BenchVerb : IVerb
{
    public Command Build()
    {
        var kind = new Argument<string>("kind") { Description = "train, generate, latency, native (GPU self-check), eval-batching (input-order vs length-sorted evaluation batches) or all (train + generate)", DefaultValueFactory = _ => "all" };
        var configs = new Option<string>("--config") { Description = "Comma-separated shapes: presets or llama2-7b", DefaultValueFactory = _ => "nano,smol135m" };
        var lora = new Option<string>("--lora") { Description = "Comma-separated training variants: none (full fine-tuning), qv (r16 q,v), all (r32 all linear)", DefaultValueFactory = _ => "none,qv" };
        var seq = new Option<int>("--seq") { Description = "Training sequence length", DefaultValueFactory = _ => 1024 }.Positive();
        var batch = new Option<int>("--batch") { Description = "Training batch", DefaultValueFactory = _ => 16 }.Positive();
        var steps = new Option<int>("--steps") { Description = "Timed training steps", DefaultValueFactory = _ => 20 }.Positive();
        var warm = new Option<int>("--warmup") { Description = "Untimed warm-up steps", DefaultValueFactory = _ => 5 }.AtLeast(0);
        var ckpt = new Option<bool>("--checkpointing") { Description = "Activation checkpointing per decoder block while training" };
        var graph = new Option<bool>("--graph") { Description = "Capture the whole training step as a CUDA graph and replay it (pretrain --cuda-graph's step; needs the native extension)" };
        var profileSteps = new Option<int>("--profile-steps") { Description = "train: after the timed steps, run this many more under the native extension's kineto profiler and write a Chrome trace per row beside the results (bench/profile_summary.py reads it)", DefaultValueFactory = _ => 0 }.AtLeast(0);
        var prompts = new Option<string>("--prompt-lengths") { Description = "Comma-separated prompt lengths for generation", DefaultValueFactory = _ => "64,256,1024,2048" };
        var newTokens = new Option<int>("--new-tokens") { Description = "Greedy tokens generated per prompt", DefaultValueFactory = _ => 64 }.Positive();
        var reps = new Option<int>("--reps") { Description = "Timed generations (median reported)", DefaultValueFactory = _ => 5 }.Positive();
        var batches = new Option<string>("--latency-batches") { Description = "Comma-separated batch sizes for latency", DefaultValueFactory = _ => "1,8" };
        var precision = new Option<string>("--precision") { Description = "Training: bf16-mixed (fp32 masters), bf16 or fp32; generation uses bf16 unless fp32", DefaultValueFactory = _ => "bf16-mixed" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto", DefaultValueFactory = _ => "auto" };
        var peak = new Option<double>("--peak-tflops") { Description = "Dense bf16 peak for MFU (H100 SXM datasheet: 989)", DefaultValueFactory = _ => 989 }.Positive();
        var results = new Option<string?>("--results") { Description = "Results folder whose runs give the latency layouts' token lengths (default: results)" };
        var outDir = new Option<string?>("--out-dir") { Description = "Output folder (default: results/bench)" };
        var model = new Option<string>("--model") { Description = "eval-batching: model folder", DefaultValueFactory = _ => KitPaths.TinyModelFolder };
        var task = new Option<string>("--task") { Description = "eval-batching: task whose dev rows are decoded", DefaultValueFactory = _ => TaskName.Nl2Bash };
        var evalRows = new Option<int>("--rows") { Description = "eval-batching: first dev rows decoded", DefaultValueFactory = _ => 40 }.Positive();
        var shots = new Option<int>("--shots") { Description = "eval-batching: retrieved examples in each prompt (after the quick preset's template)", DefaultValueFactory = _ => 3 }.AtLeast(0);
        var evalBatches = new Option<string>("--eval-batches") { Description = "eval-batching: comma-separated batch sizes", DefaultValueFactory = _ => "16,8" };

        var cmd = new Command("bench", "Measure training throughput, KV-cache generation latency and the paper's prompt layouts' latency; same shapes as bench/peer/peer_torch.py");
        cmd.Arguments.Add(kind);
        foreach (var o in new Option[] { configs, lora, seq, batch, steps, warm, ckpt, graph, profileSteps, prompts, newTokens, reps, batches, precision, device, peak, results, outDir, model, task, evalRows, shots, evalBatches }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            var k = p.GetValue(kind)!;
            if (k is not ("train" or "generate" or "latency" or "native" or "eval-batching" or "all"))
                throw new ArgumentException($"bench kind '{k}': expected train, generate, latency, native, eval-batching or all.");
            var dev = Devices.Parse(p.GetValue(device)!);
            if (k == "eval-batching")
                return EvalBatching(p.GetValue(model)!, p.GetValue(task)!, p.GetValue(evalRows), p.GetValue(shots), Split(p.GetValue(evalBatches)!).Select(ParseBatch).ToList(),
                    p.GetValue(reps), dev, p.GetValue(outDir) ?? Path.Combine(KitPaths.Results, "bench", "eval-batching"));
            int profiled = p.GetValue(profileSteps);
            if (profiled > 0 && k != "train") throw new ArgumentException($"--profile-steps: profiles training steps; bench kind '{k}' has none (use bench train).");
            if (profiled > 0 && !NativeExtension.HasProfiler) throw new ArgumentException($"--profile-steps: needs the native extension's profiler ({NativeExtension.ProfilerStatus}).");
            var prec = p.GetValue(precision)!;
            if (prec is not ("bf16-mixed" or "bf16" or "fp32")) throw new ArgumentException($"--precision '{prec}': expected bf16-mixed, bf16 or fp32.");
            bool genBf16 = prec != "fp32";
            var names = Split(p.GetValue(configs)!);
            var loras = Split(p.GetValue(lora)!);
            foreach (var l in loras) ThroughputBenchmark.LoraPreset(l);
            foreach (var n in names) ThroughputBenchmark.Shape(n);
            Console.WriteLine($"native: {NativeExtension.Status}; decode: {(GraphDecoder.Applies(dev) ? "cuda-graph" : "eager")}");
            var dir = p.GetValue(outDir) ?? Path.Combine(KitPaths.Results, "bench");
            var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            var rows = new List<object>();
            void Add(object r) { Console.WriteLine(JsonSerializer.Serialize(r)); rows.Add(r); }
            if (k == "native")
            {
                if (!NativeExtension.UsableOn(dev)) throw new ArgumentException($"bench native needs --device cuda and the native extension (native: {NativeExtension.Status}).");
                foreach (var c in NativeSelfCheck.Run(dev)) Add(c);
            }
            foreach (var name in k == "native" ? [] : names)
            {
                var cfg = ThroughputBenchmark.Shape(name);
                if (k is "train" or "all")
                    foreach (var l in loras)
                        Add(ThroughputBenchmark.Train(name, cfg, l, dev, p.GetValue(seq), p.GetValue(batch), p.GetValue(steps), p.GetValue(warm), prec, p.GetValue(ckpt), p.GetValue(peak) * 1e12, p.GetValue(graph),
                            profiled, Path.Combine(dir, $"promptintern-trace-{name}-{l}-{stamp}.json")));
                if (k is "generate" or "all")
                {
                    var lengths = Split(p.GetValue(prompts)!).Select(int.Parse).ToList();
                    using var m = ThroughputBenchmark.LoadForGeneration(name, cfg, dev, lengths.Max() + p.GetValue(newTokens), genBf16);
                    foreach (var len in lengths) Add(ThroughputBenchmark.Generate(m, len, p.GetValue(newTokens), 1, p.GetValue(reps)));
                }
                if (k == "latency")
                {
                    var layouts = LatencyLayouts.FromResults(p.GetValue(results) ?? KitPaths.Results);
                    using var m = ThroughputBenchmark.LoadForGeneration(name, cfg, dev, layouts.Max(l => l.PromptTokens + l.AnswerTokens), genBf16);
                    foreach (var b in Split(p.GetValue(batches)!).Select(int.Parse))
                        foreach (var l in layouts) Add(ThroughputBenchmark.Generate(m, l.PromptTokens, l.AnswerTokens, b, p.GetValue(reps), l.Task, l.Name));
                }
            }
            var env = Environment(dev);
            var stem = Path.Combine(dir, $"promptintern-{k}-{stamp}");
            AtomicFile.WriteAllText(stem + ".json", JsonSerializer.Serialize(new { environment = env, args = p.Tokens.Select(t => t.Value), results = rows }, new JsonSerializerOptions { WriteIndented = true }));
            AtomicFile.WriteAllText(stem + ".md", Markdown(env, rows));
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(stem)}.json and .md");
            return rows.OfType<NativeSelfCheck.Check>().All(c => c.Passed) ? 0 : 1;
        });
        return cmd;
    }

    /// <summary>Decodes a task's first dev rows with a few-shot layout in input-order and length-sorted batches.</summary>
    static int EvalBatching(string modelDir, string task, int rows, int shots, IReadOnlyList<int> batches, int reps, TorchSharp.torch.Device dev, string outDir)
    {
        var preset = ReproducePreset.Quick with { EvalRows = rows };
        var setup = TaskSetup.Load(task, preset, seed: 1337);
        using var lm = CausalLanguageModel.Load(modelDir, dev);
        var result = EvalBatchingBenchmark.Run(lm, setup, shots, batches, reps, preset.MaxNewTokens);
        var config = new Dictionary<string, object?>
        {
            ["model_dir"] = Path.GetFullPath(modelDir), ["task"] = setup.Task, ["eval_file"] = setup.EvalFile, ["rows"] = setup.Eval.Count, ["shots"] = shots,
            ["template_token_cap"] = preset.TemplateTokenCap, ["batch_sizes"] = batches, ["reps"] = reps, ["device"] = dev.ToString(),
            ["cpu_threads"] = TorchSharp.torch.get_num_threads(), ["decode"] = GraphDecoder.Applies(dev) ? "cuda-graph" : "eager",
        };
        foreach (var f in EvalBatchingBenchmark.Write(Path.Combine(outDir, $"{setup.Task}-{dev.type.ToString().ToLowerInvariant()}"), result, RunProvenance.Capture(config)))
            AnsiConsole.MarkupLineInterpolated($"wrote {f}");
        return result.SameOutputs ? 0 : 1;
    }

    static int ParseBatch(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int b) && b > 0 ? b
        : throw new ArgumentException($"--eval-batches: '{text}' is not a positive batch size.");

    static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    static Dictionary<string, string> Environment(TorchSharp.torch.Device dev) => new()
    {
        ["date_utc"] = DateTime.UtcNow.ToString("O"),
        ["git_commit"] = RunProvenance.Capture().Commit, // the bundle's COMMIT on the device
        ["machine"] = System.Environment.MachineName,
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["dotnet"] = System.Environment.Version.ToString(),
        ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "",
        ["device"] = dev.ToString(),
        ["gpu"] = dev.type == TorchSharp.DeviceType.CUDA ? Run("nvidia-smi", "--query-gpu=name,driver_version --format=csv,noheader") ?? "unknown" : "none",
        ["cpu_threads"] = TorchSharp.torch.get_num_threads().ToString(CultureInfo.InvariantCulture),
        // As every result's provenance does: e.g. TORCH_CUDNN_SDPA_DEPRIORITIZED picks the GPU attention backend.
        ["native"] = NativeExtension.Status,
        ["decode"] = GraphDecoder.Applies(dev) ? "cuda-graph" : "eager",
        ["torch_env"] = string.Join(" ", MachineInfo.CaptureTorchEnv().Select(kv => $"{kv.Key}={kv.Value}")),
    };

    static string? Run(string exe, string args)
    {
        try
        {
            using var proc = Process.Start(new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true });
            var text = proc!.StandardOutput.ReadToEnd().Trim();
            proc.WaitForExit();
            return proc.ExitCode == 0 && text.Length > 0 ? text.Split('\n')[0] : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }

    static string Markdown(Dictionary<string, string> env, List<object> rows)
    {
        var sb = new StringBuilder("# promptintern bench\n\n");
        foreach (var (k, v) in env) sb.Append($"- {k}: {v}\n");
        static string F(double? x) => x?.ToString(CultureInfo.InvariantCulture) ?? "-";
        if (rows.OfType<ThroughputBenchmark.TrainResult>().Any())
        {
            sb.Append("\n| model | lora | batch x seq | tokens/s | ms/step | step | MFU | peak GiB | static GiB | precision | checkpointing | optimizer |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            foreach (var t in rows.OfType<ThroughputBenchmark.TrainResult>())
                sb.Append($"| {t.Model} | {t.Lora} | {t.Batch}x{t.Seq} | {F(t.TokensPerSecond)} | {F(t.StepMs)} | {t.Step} | {F(t.Mfu)} | {F(t.PeakMemGiB)} | {F(t.StaticMemGiB)} | {t.Precision} | {t.ActivationCheckpointing} | {t.Optimizer} |\n");
            foreach (var t in rows.OfType<ThroughputBenchmark.TrainResult>().Where(t => t.Trace is not null))
                sb.Append($"\nProfiler trace of {t.Model} lora={t.Lora} (steps after the timed ones): {Path.GetFileName(t.Trace)}\n");
        }
        if (rows.OfType<ThroughputBenchmark.GenerateResult>().Any())
        {
            sb.Append("\n| model | task | layout | batch | prompt tokens | new tokens | median ms | ms per query | decode |\n|---|---|---|---|---|---|---|---|---|\n");
            foreach (var g in rows.OfType<ThroughputBenchmark.GenerateResult>())
                sb.Append($"| {g.Model} | {g.Task ?? "-"} | {g.Layout ?? "-"} | {g.Batch} | {g.PromptTokens} | {g.NewTokens} | {F(g.MedianMs)} | {F(Math.Round(g.MedianMs / g.Batch, 1))} | {g.Decode} |\n");
        }
        if (rows.OfType<NativeSelfCheck.Check>().Any())
        {
            sb.Append("\n| check | passed | value | tolerance | detail |\n|---|---|---|---|---|\n");
            foreach (var c in rows.OfType<NativeSelfCheck.Check>())
                sb.Append($"| {c.Name} | {c.Passed} | {F(c.Value)} | {F(c.Tolerance)} | {c.Detail} |\n");
        }
        return sb.ToString();
    }
}
