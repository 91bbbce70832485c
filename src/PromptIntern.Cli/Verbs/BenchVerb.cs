using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PromptIntern.Data;
using PromptIntern.Modeling;
using PromptIntern.Provenance;
using PromptIntern.Training;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary><c>promptintern bench train|generate|all</c>: training tokens/s + MFU and generation latency in peer_torch.py's shapes; writes JSON + Markdown.</summary>
public sealed class BenchVerb : IVerb
{
    public Command Build()
    {
        var kind = new Argument<string>("kind") { Description = "train, generate or all", DefaultValueFactory = _ => "all" };
        var configs = new Option<string>("--config") { Description = "Comma-separated presets", DefaultValueFactory = _ => "nano,smol135m" };
        var seq = new Option<int>("--seq") { Description = "Training sequence length", DefaultValueFactory = _ => 1024 }.Positive();
        var batch = new Option<int>("--batch") { Description = "Training batch", DefaultValueFactory = _ => 16 }.Positive();
        var steps = new Option<int>("--steps") { Description = "Timed training steps", DefaultValueFactory = _ => 20 }.Positive();
        var warm = new Option<int>("--warmup") { Description = "Untimed warm-up steps", DefaultValueFactory = _ => 5 }.AtLeast(0);
        var prompts = new Option<string>("--prompt-lengths") { Description = "Comma-separated prompt lengths for generation", DefaultValueFactory = _ => "64,256,1024,2048" };
        var newTokens = new Option<int>("--new-tokens") { Description = "Greedy tokens generated per prompt", DefaultValueFactory = _ => 64 }.Positive();
        var reps = new Option<int>("--reps") { Description = "Timed generations (median reported)", DefaultValueFactory = _ => 5 }.Positive();
        var precision = new Option<string>("--precision") { Description = "bf16 or fp32", DefaultValueFactory = _ => "bf16" };
        var device = new Option<string>("--device") { Description = "cpu, cuda or auto", DefaultValueFactory = _ => "auto" };
        var peak = new Option<double>("--peak-tflops") { Description = "Dense bf16 peak for MFU (H100 SXM datasheet: 989)", DefaultValueFactory = _ => 989 }.Positive();
        var outDir = new Option<string?>("--out-dir") { Description = "Output folder (default: results/bench)" };

        var cmd = new Command("bench", "Measure training throughput (full FT and LoRA r16 q,v) and KV-cache generation latency; same shapes as bench/peer_torch.py");
        cmd.Arguments.Add(kind);
        foreach (var o in new Option[] { configs, seq, batch, steps, warm, prompts, newTokens, reps, precision, device, peak, outDir }) cmd.Options.Add(o);
        cmd.SetAction(p =>
        {
            var k = p.GetValue(kind)!;
            if (k is not ("train" or "generate" or "all")) throw new ArgumentException($"bench kind '{k}': expected train, generate or all.");
            var dev = Devices.Parse(p.GetValue(device)!);
            bool bf16 = p.GetValue(precision) switch { "bf16" => true, "fp32" => false, var x => throw new ArgumentException($"--precision '{x}': expected bf16 or fp32.") };
            var names = p.GetValue(configs)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var rows = new List<object>();
            foreach (var name in names)
            {
                var cfg = LlamaConfig.Preset(name);
                if (k is "train" or "all")
                    foreach (var lora in new[] { false, true })
                    {
                        var r = ThroughputBenchmark.Train(name, cfg, lora, dev, p.GetValue(seq), p.GetValue(batch), p.GetValue(steps), p.GetValue(warm), bf16, p.GetValue(peak) * 1e12);
                        Console.WriteLine(JsonSerializer.Serialize(r));
                        rows.Add(r);
                    }
                if (k is "generate" or "all")
                    foreach (var len in p.GetValue(prompts)!.Split(',').Select(int.Parse))
                    {
                        var r = ThroughputBenchmark.Generate(name, cfg, len, dev, p.GetValue(newTokens), p.GetValue(reps), bf16);
                        Console.WriteLine(JsonSerializer.Serialize(r));
                        rows.Add(r);
                    }
            }
            var env = Environment(dev);
            var dir = p.GetValue(outDir) ?? Path.Combine(KitPaths.Results, "bench");
            var stem = Path.Combine(dir, $"promptintern-{k}-{DateTime.UtcNow:yyyyMMdd-HHmmss}");
            AtomicFile.WriteAllText(stem + ".json", JsonSerializer.Serialize(new { environment = env, args = p.Tokens.Select(t => t.Value), results = rows }, new JsonSerializerOptions { WriteIndented = true }));
            AtomicFile.WriteAllText(stem + ".md", Markdown(env, rows));
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(stem)}.json and .md");
            return 0;
        });
        return cmd;
    }

    static Dictionary<string, string> Environment(TorchSharp.torch.Device dev) => new()
    {
        ["date_utc"] = DateTime.UtcNow.ToString("O"),
        ["git_commit"] = Run("git", "rev-parse HEAD") ?? "unknown",
        ["machine"] = System.Environment.MachineName,
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["dotnet"] = System.Environment.Version.ToString(),
        ["torchsharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "",
        ["device"] = dev.ToString(),
        ["gpu"] = dev.type == TorchSharp.DeviceType.CUDA ? Run("nvidia-smi", "--query-gpu=name,driver_version --format=csv,noheader") ?? "unknown" : "none",
        ["cpu_threads"] = TorchSharp.torch.get_num_threads().ToString(CultureInfo.InvariantCulture),
        // As every result's provenance does: e.g. TORCH_CUDNN_SDPA_DEPRIORITIZED picks the GPU attention backend.
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
        sb.Append("\n| kind | model | lora | seq/prompt | tokens/s or ms | MFU | precision |\n|---|---|---|---|---|---|---|\n");
        foreach (var r in rows)
            sb.Append(r switch
            {
                ThroughputBenchmark.TrainResult t => $"| train | {t.Model} | {t.Lora} | {t.Seq} | {t.TokensPerSecond} tok/s ({t.StepMs} ms/step) | {t.Mfu?.ToString(CultureInfo.InvariantCulture) ?? "-"} | {t.Precision} |\n",
                ThroughputBenchmark.GenerateResult g => $"| generate | {g.Model} | - | {g.PromptTokens} | {g.MedianMs} ms for {g.NewTokens} new | - | {g.Precision} |\n",
                _ => "",
            });
        return sb.ToString();
    }
}
