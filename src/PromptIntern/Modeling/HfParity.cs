using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using PromptIntern.Text;
using static TorchSharp.torch;

namespace PromptIntern.Modeling;

/// <summary>Compares the kit with transformers / tokenizers / PEFT on the parity fixtures that scripts/gpu/parity-fixtures.py
/// writes: fp32 logits and greedy tokens per model family, token ids per tokenizer kind, logits of LoRA adapters both ways.</summary>
public static class HfParity
{
    public sealed record FamilyResult(
        [property: JsonPropertyName("family")] string Family, [property: JsonPropertyName("model_type")] string ModelType,
        [property: JsonPropertyName("tokenizer")] string Tokenizer, [property: JsonPropertyName("parameters")] long Parameters,
        [property: JsonPropertyName("max_abs_logit_diff")] double MaxLogitDiff,
        [property: JsonPropertyName("greedy_tokens")] int GreedyTokens, [property: JsonPropertyName("greedy_tokens_equal")] int GreedyEqual);

    public sealed record TokenizerResult(
        [property: JsonPropertyName("kind")] string Kind, [property: JsonPropertyName("implementation")] string Implementation,
        [property: JsonPropertyName("texts")] int Texts, [property: JsonPropertyName("ids_equal")] int IdsEqual,
        [property: JsonPropertyName("with_special_tokens_equal")] int WithSpecialEqual, [property: JsonPropertyName("decoded_equal")] int DecodedEqual,
        [property: JsonPropertyName("first_difference")] string? FirstDifference);

    public sealed record AdapterResult(
        [property: JsonPropertyName("adapter")] string Adapter, [property: JsonPropertyName("direction")] string Direction,
        [property: JsonPropertyName("max_abs_logit_diff")] double MaxLogitDiff);

    public sealed record Report(
        [property: JsonPropertyName("families")] IReadOnlyList<FamilyResult> Families,
        [property: JsonPropertyName("tokenizers")] IReadOnlyList<TokenizerResult> Tokenizers,
        [property: JsonPropertyName("adapters")] IReadOnlyList<AdapterResult> Adapters,
        [property: JsonPropertyName("fixtures")] JsonNode? Fixtures);

    public static Report Run(string fixtures) =>
        new(Families(fixtures), Tokenizers(fixtures), Adapters(fixtures),
            JsonNode.Parse(File.ReadAllText(Path.Combine(fixtures, "manifest.json"))));

    /// <summary>Per family: logits on the fixed inputs and, with <paramref name="greedy"/>, the 32-token greedy runs (GreedyTokens 0 without).</summary>
    public static List<FamilyResult> Families(string fixtures, bool greedy = true)
    {
        var results = new List<FamilyResult>();
        foreach (var refJson in Directory.GetFiles(Path.Combine(fixtures, "references"), "*.json").OrderBy(Path.GetFileNameWithoutExtension, StringComparer.Ordinal))
        {
            var r = JsonNode.Parse(File.ReadAllText(refJson))!;
            string family = (string)r["family"]!;
            var dir = Path.Combine(fixtures, "models", family);
            using var lm = CausalLanguageModel.Load(dir);
            double diff = LogitDiff(lm.Model, Path.ChangeExtension(refJson, ".safetensors"));
            var prompts = r["prompts"]!.AsArray().Select(p => p!.AsArray().Select(x => (int)x!).ToArray()).ToList();
            var expected = r["greedy"]!.AsArray().Select(p => p!.AsArray().Select(x => (int)x!).ToArray()).ToList();
            int total = 0, equal = 0;
            for (int i = 0; greedy && i < prompts.Count; i++)
            {
                var got = TextGenerator.Generate(lm.Model, lm.Tokenizer, [prompts[i]],
                    new GenerationOptions { MaxNewTokens = expected[i].Length, Temperature = 0, StopAtEos = false })[0].Tokens;
                total += expected[i].Length;
                equal += expected[i].Zip(got).TakeWhile(p => p.First == p.Second).Count(); // tokens until the first divergence
            }
            results.Add(new FamilyResult(family, (string)r["model_type"]!, (string)r["tokenizer"]!, lm.Model.ParameterCount(), diff, total, equal));
        }
        return results;
    }

    public static List<TokenizerResult> Tokenizers(string fixtures)
    {
        var results = new List<TokenizerResult>();
        var encodings = JsonNode.Parse(File.ReadAllText(Path.Combine(fixtures, "tokenizers", "encodings.json")))!.AsObject();
        foreach (var (kind, node) in encodings)
        {
            var tok = (IHfTokenizer)TokenizerFolder.LoadAny(Path.Combine(fixtures, "tokenizers", kind));
            int n = 0, ids = 0, special = 0, decoded = 0;
            string? first = null;
            foreach (var row in node!["rows"]!.AsArray())
            {
                string text = (string)row!["text"]!;
                var want = row["ids"]!.AsArray().Select(x => (int)x!).ToArray();
                var wantSpecial = (row["transformers_ids"] ?? row["ids_with_special_tokens"])!.AsArray().Select(x => (int)x!).ToArray();
                var got = tok.Encode(text, parseSpecialTokens: true);
                n++;
                bool a = got.SequenceEqual(want), b = tok.EncodeWithSpecialTokens(text).SequenceEqual(wantSpecial);
                bool c = tok.Decode(want, skipSpecialTokens: false) == (string)row["decoded"]!;
                ids += a ? 1 : 0; special += b ? 1 : 0; decoded += c ? 1 : 0;
                if (first is null && !(a && b && c))
                    first = $"{JsonSerializer.Serialize(text)}: ids [{string.Join(",", got)}] vs [{string.Join(",", want)}]" + (c ? "" : $"; decoded {JsonSerializer.Serialize(tok.Decode(want, false))}");
            }
            results.Add(new TokenizerResult(kind, tok.Kind, n, ids, special, decoded, first));
        }
        return results;
    }

    public static List<AdapterResult> Adapters(string fixtures)
    {
        var results = new List<AdapterResult>();
        var peft = Path.Combine(fixtures, "peft");
        if (!Directory.Exists(peft)) return results;
        foreach (var dir in Directory.GetDirectories(peft).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(dir);                  // <family>-peft-made or <family>-kit-made
            var family = name[..name.LastIndexOf('-', name.LastIndexOf('-') - 1)];
            using var model = HfCheckpoint.Load(Path.Combine(fixtures, "models", family));
            LoraAdapter.Load(model, dir);
            var direction = name.EndsWith("kit-made") ? "kit adapter loaded by PEFT" : "PEFT adapter loaded by the kit";
            results.Add(new AdapterResult(name, direction, LogitDiff(model, Path.Combine(fixtures, "references", $"peft-{name}.safetensors"))));
        }
        return results;
    }

    static double LogitDiff(LlamaModel model, string reference)
    {
        using var scope = NewDisposeScope();
        var t = Safetensors.Load(reference);
        model.eval();
        using var _ = no_grad();
        var logits = model.call(t["input_ids"].to(ScalarType.Int64));
        return (logits - t["logits"]).abs().max().item<float>();
    }

    /// <summary>The report as indented JSON, with where and when it was measured.</summary>
    public static string ToJson(Report report, Provenance.RunProvenance provenance) =>
        JsonSerializer.Serialize(new { provenance, report }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>The README's "Verified model families" section: one row per family, tokenizers and adapters in a line each.</summary>
    public static string ToReadme(Report report, Provenance.RunProvenance provenance, IReadOnlyList<string>? largeCheckpoints = null)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"_Generated by `promptintern model parity` at commit {provenance.Commit[..Math.Min(10, provenance.Commit.Length)]} on {provenance.DateUtc}: the kit (CPU, fp32) against transformers {report.Fixtures?["transformers"]} on tiny random checkpoints it wrote (`tests/fixtures/hf-parity`); CI holds every row to ≤ 1e-4 and identical greedy tokens. Details: `results/parity/parity.md`._");
        sb.AppendLine();
        AppendFamilies(sb, report, "checkpoint");
        sb.AppendLine();
        sb.AppendLine($"Tokenizers ({report.Tokenizers.Count} kinds, {report.Tokenizers.Sum(t => t.Texts)} texts with code, Unicode, emoji, whitespace runs and special tokens): "
            + $"{report.Tokenizers.Sum(t => t.IdsEqual)} identical token-id lists. LoRA adapters both ways with PEFT {report.Fixtures?["peft"]}: max abs logit diff "
            + $"{(report.Adapters.Count == 0 ? "not measured" : report.Adapters.Max(a => a.MaxLogitDiff).ToString("0.0e+00"))}.");
        foreach (var line in largeCheckpoints ?? [])
        {
            sb.AppendLine();
            sb.AppendLine($"On the GPU (`model compare`, `scripts/gpu/parity-7b.sh`): {line}");
        }
        return sb.ToString();
    }

    /// <summary>One row per family: logit gap and greedy agreement (the first column's heading differs between README and report).</summary>
    static void AppendFamilies(System.Text.StringBuilder sb, Report report, string firstColumn)
    {
        sb.AppendLine($"| {firstColumn} | model_type | tokenizer | max abs logit diff | greedy tokens equal |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var f in report.Families)
            sb.AppendLine($"| {f.Family} | {f.ModelType} | {f.Tokenizer} | {f.MaxLogitDiff:0.0e+00} | {f.GreedyEqual}/{f.GreedyTokens} |");
    }

    /// <summary>Markdown tables of the report.</summary>
    public static string ToMarkdown(Report report, Provenance.RunProvenance provenance)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"Parity with transformers {report.Fixtures?["transformers"]}, tokenizers {report.Fixtures?["tokenizers"]}, PEFT {report.Fixtures?["peft"]} (fixtures written {report.Fixtures?["date_utc"]}); measured at commit {provenance.Commit[..Math.Min(12, provenance.Commit.Length)]} on {provenance.Machine}, {provenance.DateUtc}, CPU fp32.");
        sb.AppendLine();
        AppendFamilies(sb, report, "family");
        sb.AppendLine();
        sb.AppendLine("| tokenizer | kit implementation | texts | ids equal | with special tokens equal | decode equal |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var t in report.Tokenizers)
            sb.AppendLine($"| {t.Kind} | {t.Implementation} | {t.Texts} | {t.IdsEqual} | {t.WithSpecialEqual} | {t.DecodedEqual} |");
        if (report.Adapters.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("| LoRA adapter | direction | max abs logit diff |");
            sb.AppendLine("|---|---|---|");
            foreach (var a in report.Adapters) sb.AppendLine($"| {a.Adapter} | {a.Direction} | {a.MaxLogitDiff:0.0e+00} |");
        }
        return sb.ToString();
    }
}
