using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PromptIntern.Data;

namespace PromptIntern.Experiments;

/// <summary>Our GPU benchmark against the peer (transformers + PEFT, eager and compiled) from the files one device session
/// leaves under results/bench: ours-h200/promptintern-all-*.json (<c>promptintern bench all</c>), the peer's JSON lines in
/// peer-h200/*.log, and the session's BUNDLE_COMMIT, device.txt and, for runs that did not record it, torch_env.txt.
/// Training: ours/peer tokens/s (&gt; 1 = ours faster). Decoding: ours/peer median latency (&lt; 1 = ours faster).</summary>
public static class BenchReport
{
    const string Note = "In this run (before the native extension), ours: TorchSharp 0.107, bf16 weights AND optimizer state " +
        "(no autocast in TorchSharp), AdamW unfused; peer: fp32 weights under bf16 autocast, fused AdamW. Same card, same machine.";

    /// <summary>Writes ratios.json and ratios.md into <paramref name="benchRoot"/> and returns the table with its notes (the
    /// README block); null when the folder holds no run of ours.</summary>
    public static string? Write(string benchRoot)
    {
        var oursDir = Path.Combine(benchRoot, "ours-h200");
        var oursFile = Directory.Exists(oursDir) ? Directory.GetFiles(oursDir, "promptintern-all-*.json").Order(StringComparer.Ordinal).LastOrDefault() : null;
        if (oursFile is null) return null;
        var ours = JsonNode.Parse(File.ReadAllText(oursFile))!;
        var peer = Directory.GetFiles(Path.Combine(benchRoot, "peer-h200"), "*.log").Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines).Select(l => l.Trim()).Where(l => l.StartsWith('{') && l.Contains("\"kind\"", StringComparison.Ordinal))
            .Select(l => JsonNode.Parse(l)!).ToList();
        JsonNode? Peer(string kind, bool compiled, Func<JsonNode, bool> match) =>
            peer.FirstOrDefault(p => (string?)p["kind"] == kind && (bool?)p["compiled"] == compiled && match(p));

        var rows = new JsonArray();
        var lines = new List<string>();
        foreach (var r in ours["results"]!.AsArray().OfType<JsonNode>())
            foreach (var compiled in new[] { false, true })
            {
                var side = compiled ? "compile" : "eager";
                if (r["TokensPerSecond"] is { } tps)
                {
                    var p = Peer("train", compiled, x => (string?)x["model"] == (string?)r["Model"] && (bool?)x["lora"] == (bool?)r["Lora"]);
                    var ratio = p is null ? (double?)null : Math.Round((double)tps / (double)p["tokens_per_s"]!, 3);
                    rows.Add(new JsonObject
                    {
                        ["kind"] = "train", ["model"] = r["Model"]!.DeepClone(), ["lora"] = r["Lora"]!.DeepClone(), ["peer"] = side,
                        ["ours_tokens_per_s"] = tps.DeepClone(), ["peer_tokens_per_s"] = p?["tokens_per_s"]?.DeepClone(),
                        ["ours_mfu"] = r["Mfu"]?.DeepClone(), ["peer_mfu"] = p?["mfu"]?.DeepClone(), ["ratio"] = ratio,
                    });
                    lines.Add($"| train tok/s | {r["Model"]} | {((bool)r["Lora"]! ? "LoRA r16 q,v" : "full FT")} | {side} | {((double)tps).ToString("0", CultureInfo.InvariantCulture)} | " +
                              $"{Raw(p?["tokens_per_s"])} | {Num(ratio)} |");
                }
                else
                {
                    var p = Peer("generate", compiled, x => (string?)x["model"] == (string?)r["Model"] && (int?)x["prompt_tokens"] == (int?)r["PromptTokens"]);
                    var ratio = p is null ? (double?)null : Math.Round((double)r["MedianMs"]! / (double)p["median_ms"]!, 3);
                    rows.Add(new JsonObject
                    {
                        ["kind"] = "generate", ["model"] = r["Model"]!.DeepClone(), ["prompt_tokens"] = r["PromptTokens"]!.DeepClone(),
                        ["new_tokens"] = r["NewTokens"]!.DeepClone(), ["peer"] = side, ["ours_ms"] = r["MedianMs"]!.DeepClone(),
                        ["peer_ms"] = p?["median_ms"]?.DeepClone(), ["ratio"] = ratio,
                    });
                    lines.Add($"| decode ms ({r["NewTokens"]} new) | {r["Model"]} | {r["PromptTokens"]} tokens | {side} | {Raw(r["MedianMs"])} | {Raw(p?["median_ms"])} | {Num(ratio)} |");
                }
            }

        var environment = ours["environment"]!;
        string Text(string name) => File.Exists(Path.Combine(oursDir, name)) ? File.ReadAllText(Path.Combine(oursDir, name)).Trim() : "not recorded";
        var attention = environment["torch_env"] is { } env
            ? ((string?)env is { Length: > 0 } set ? set : "PyTorch default (no TORCH_* variable set)")
            : File.Exists(Path.Combine(oursDir, "torch_env.txt")) ? Text("torch_env.txt") + " (not recorded by the run; from its script)" : "not recorded";
        var meta = new JsonObject
        {
            ["source_ours"] = Path.GetRelativePath(benchRoot, oursFile), ["environment"] = environment.DeepClone(), ["bundle_commit"] = Text("BUNDLE_COMMIT"),
            ["device"] = Text("device.txt"), ["attention"] = attention, ["note"] = Note,
        };
        AtomicFile.WriteAllText(Path.Combine(benchRoot, "ratios.json"),
            new JsonObject { ["meta"] = meta, ["rows"] = rows }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

        var body = new StringBuilder()
            .AppendLine($"{Note} Attention order: {attention}.").AppendLine()
            .AppendLine("| kind | model | LoRA / prompt | peer | ours | peer value | ours/peer |")
            .AppendLine("|---|---|---|---|---|---|---|");
        foreach (var l in lines) body.AppendLine(l);
        body.AppendLine().AppendLine("Training: ratio > 1 means ours is faster. Decoding: ratio < 1 means ours is faster. " +
            $"Ours from bundle commit {Text("BUNDLE_COMMIT")}, measured {(string?)environment["date_utc"]}; written by `promptintern report`.");
        AtomicFile.WriteAllText(Path.Combine(benchRoot, "ratios.md"), $"# Our GPU trainer and generator vs the peer ({Text("device.txt")})\n\n{body}");
        return body.ToString();
    }

    static string Raw(JsonNode? v) => v is null ? "n/a" : v.ToJsonString();
    static string Num(double? v) => v is { } x && x != 0 ? x.ToString(CultureInfo.InvariantCulture) : "n/a";
}
