using System.Text.Json;
using System.Text.Json.Nodes;
using PromptIntern.Data;

namespace PromptIntern.Text;

/// <summary>Reads Hugging Face <c>tokenizer.json</c> files of the two BPE kinds open models use (byte-level: GPT-2,
/// Llama 3, Qwen2; SentencePiece-style: Llama 2, Mistral) and writes the byte-level kind, so users' checkpoints load
/// and the kit's own tokenizers open in HF tools.</summary>
public static class HfTokenizerJson
{
    /// <summary>Parses a byte-level BPE tokenizer.json. Anything this kit cannot reproduce exactly (a normalizer,
    /// add_prefix_space, WordPiece-style prefixes, byte fallback) is an error naming the file and field.</summary>
    public static BpeModel Read(string path)
    {
        var root = Parse(path);
        var model = root["model"] as JsonObject ?? throw new DataFormatException(path, 0, "model", "missing");
        string? type = (string?)model["type"];
        if (type is not null and not "BPE") throw new DataFormatException(path, 0, "model.type", $"'{type}' is not supported; only BPE");
        foreach (var field in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            if (model[field] is JsonValue v && !string.IsNullOrEmpty((string?)v))
                throw new DataFormatException(path, 0, $"model.{field}", "not supported by byte-level BPE");
        if (model["byte_fallback"] is JsonValue bf && (bool)bf)
            throw new DataFormatException(path, 0, "model.byte_fallback", "byte fallback is not supported in byte-level BPE");
        bool nfc = false;
        if (root["normalizer"] is JsonObject norm)
            nfc = (string?)norm["type"] == "NFC" ? true
                : throw new DataFormatException(path, 0, "normalizer", $"'{(string?)norm["type"]}' is not supported in byte-level BPE (NFC only)");

        var vocabNode = model["vocab"] as JsonObject ?? throw new DataFormatException(path, 0, "model.vocab", "missing or not an object");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (token, id) in vocabNode)
            vocab[token] = id is JsonValue iv && iv.TryGetValue(out int i) ? i
                : throw new DataFormatException(path, 0, $"model.vocab[{token}]", "id must be an integer");

        var merges = new List<string>();
        if (model["merges"] is JsonArray mergeArray)
            for (int k = 0; k < mergeArray.Count; k++)
                merges.Add(mergeArray[k] switch
                {
                    JsonValue s when s.TryGetValue(out string? str) && str.Split(' ').Length == 2 => str,
                    JsonArray { Count: 2 } pair => $"{(string?)pair[0]} {(string?)pair[1]}",
                    _ => throw new DataFormatException(path, 0, $"model.merges[{k}]", "must be \"left right\" or [left, right]"),
                });

        var specials = ReadAdded(path, root, normalizes: false).ToDictionary(a => a.Content, a => a.Id, StringComparer.Ordinal);
        return new BpeModel(vocab, merges, specials, ReadPattern(path, root)) { IgnoreMerges = IgnoreMerges(model), NfcNormalize = nfc };
    }

    /// <summary>What the kit needs to run a SentencePiece-style BPE (Llama-2, Mistral): vocabulary, merges, byte fallback,
    /// how spaces become '▁', added tokens, special-token roles and whether BOS / EOS are added.</summary>
    internal sealed record SentencePieceParts(
        Dictionary<string, int> Vocab, List<(string, string)> Merges, bool ByteFallback, string? UnkToken, bool FuseUnk, bool IgnoreMerges,
        SentencePieceBpe.Spacing Spaces, List<AddedToken> Added, SpecialTokenRoles Roles, bool AddBos, bool AddEos);

    /// <summary>True when tokenizer.json holds a SentencePiece-style BPE (byte fallback, '▁' metaspace) rather than a byte-level one.</summary>
    public static bool IsSentencePiece(string path)
    {
        var root = Parse(path);
        return root["model"]?["byte_fallback"] is JsonValue bf && (bool)bf
            || (string?)root["pre_tokenizer"]?["type"] == "Metaspace"
            || root["normalizer"] is JsonObject n && NormalizerSteps(n).Any(x => (string?)x["type"] == "Prepend");
    }

    internal static SentencePieceParts ReadSentencePiece(string path, JsonNode? tokenizerConfig)
    {
        var root = Parse(path);
        var model = root["model"] as JsonObject ?? throw new DataFormatException(path, 0, "model", "missing");
        if ((string?)model["type"] is { } type && type != "BPE") throw new DataFormatException(path, 0, "model.type", $"'{type}' is not supported; only BPE");
        if (model["dropout"] is JsonValue d && d.TryGetValue(out double dropout) && dropout > 0) throw new DataFormatException(path, 0, "model.dropout", "BPE dropout is not supported");
        foreach (var field in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            if (model[field] is JsonValue v && !string.IsNullOrEmpty((string?)v)) throw new DataFormatException(path, 0, $"model.{field}", "not supported");
        var vocab = (model["vocab"] as JsonObject ?? throw new DataFormatException(path, 0, "model.vocab", "missing"))
            .ToDictionary(kv => kv.Key, kv => (int)kv.Value!, StringComparer.Ordinal);
        var merges = (model["merges"] as JsonArray ?? [])
            .Select((m, k) => m switch
            {
                JsonValue s when ((string)s!).Split(' ') is [var l, var r] => (l, r),
                JsonArray { Count: 2 } pair => ((string)pair[0]!, (string)pair[1]!),
                _ => throw new DataFormatException(path, 0, $"model.merges[{k}]", "must be \"left right\" or [left, right]"),
            }).ToList();

        bool prepend = false;
        if (root["normalizer"] is JsonObject norm)
            foreach (var step in NormalizerSteps(norm))
                switch ((string?)step["type"])
                {
                    case "Prepend" when IsString(step["prepend"], "▁"): prepend = true; break;
                    case "Replace" when IsString(step["pattern"]?["String"], " ") && IsString(step["content"], "▁"): break;
                    default: throw new DataFormatException(path, 0, "normalizer", $"step '{(string?)step["type"]}' is not supported (Prepend '▁', Replace ' ' -> '▁')");
                }
        var spaces = new SentencePieceBpe.Spacing(prepend);
        if (root["pre_tokenizer"] is JsonObject pre)
        {
            if ((string?)pre["type"] != "Metaspace" || (string?)pre["replacement"] is { } rep && rep != "▁")
                throw new DataFormatException(path, 0, "pre_tokenizer", $"'{(string?)pre["type"]}' is not supported with SentencePiece-style BPE (Metaspace '▁' only)");
            var scheme = (string?)pre["prepend_scheme"] ?? (pre["add_prefix_space"] is JsonValue aps && !(bool)aps ? "never" : "always");
            spaces = spaces with { MetaspacePrepend = scheme, MetaspaceSplit = pre["split"] is not JsonValue sp || (bool)sp };
        }
        var added = ReadAdded(path, root, normalizes: prepend);
        var (templateBos, templateEos) = ReadTemplate(root);
        bool? Flag(string name) => tokenizerConfig?[name] is JsonValue v && v.TryGetValue(out bool b) ? b : null;
        return new SentencePieceParts(vocab, merges, model["byte_fallback"] is JsonValue bf && (bool)bf, (string?)model["unk_token"],
            model["fuse_unk"] is JsonValue fu && (bool)fu, IgnoreMerges(model), spaces, added, TokenizerFolder.ReadRoles(tokenizerConfig),
            Flag("add_bos_token") ?? templateBos, Flag("add_eos_token") ?? templateEos);
    }

    /// <summary>Whether the post-processor's single-sequence template puts a special token before / after the text.</summary>
    internal static (bool Bos, bool Eos) ReadTemplate(JsonNode root)
    {
        var post = root["post_processor"] as JsonObject;
        var steps = (string?)post?["type"] == "Sequence" ? (post!["processors"] as JsonArray ?? []).OfType<JsonObject>() : post is null ? [] : [post];
        var template = steps.FirstOrDefault(x => (string?)x["type"] == "TemplateProcessing")?["single"] as JsonArray;
        if (template is null || template.Count == 0) return (false, false);
        return (template[0]?["SpecialToken"] is not null, template.Count > 1 && template[^1]?["SpecialToken"] is not null);
    }

    static List<AddedToken> ReadAdded(string path, JsonNode root, bool normalizes)
    {
        var result = new List<AddedToken>();
        if (root["added_tokens"] is not JsonArray added) return result;
        for (int k = 0; k < added.Count; k++)
        {
            var a = added[k];
            string? content = (string?)a?["content"];
            var idNode = a?["id"] as JsonValue;
            if (content is null || idNode is null || !idNode.TryGetValue(out int id))
                throw new DataFormatException(path, 0, $"added_tokens[{k}]", "needs 'id' and 'content'");
            bool Flag(string name) => a?[name] is JsonValue v && (bool)v;
            if (Flag("single_word")) throw new DataFormatException(path, 0, $"added_tokens[{k}].single_word", "true is not supported");
            if (normalizes && Flag("normalized") && !Flag("special"))
                throw new DataFormatException(path, 0, $"added_tokens[{k}].normalized", "matching added tokens after normalization is not supported");
            result.Add(new AddedToken(content, id, Flag("special"), Flag("lstrip"), Flag("rstrip")));
        }
        return result;
    }

    static bool IsString(JsonNode? node, string value) => node is JsonValue v && v.TryGetValue(out string? s) && s == value;

    static bool IgnoreMerges(JsonObject model) => model["ignore_merges"] is JsonValue im && (bool)im;

    static IEnumerable<JsonObject> NormalizerSteps(JsonObject norm) =>
        (string?)norm["type"] == "Sequence" ? (norm["normalizers"] as JsonArray ?? []).OfType<JsonObject>() : [norm];

    static JsonNode Parse(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, 0, "file", "file not found");
        try { return JsonNode.Parse(File.ReadAllText(path)) ?? throw new JsonException("empty document"); }
        catch (JsonException e) { throw new DataFormatException(path, 0, "(json)", $"malformed JSON: {e.Message}"); }
    }

    static string ReadPattern(string path, JsonNode root)
    {
        var pre = root["pre_tokenizer"] as JsonObject
            ?? throw new DataFormatException(path, 0, "pre_tokenizer", "missing; a byte-level BPE needs a ByteLevel pre-tokenizer");
        var steps = (string?)pre["type"] == "Sequence"
            ? (pre["pretokenizers"] as JsonArray ?? throw new DataFormatException(path, 0, "pre_tokenizer.pretokenizers", "missing")).OfType<JsonObject>().ToList()
            : [pre];
        string? split = null;
        bool byteLevel = false, byteLevelRegex = false;
        foreach (var step in steps)
            switch ((string?)step["type"])
            {
                case "ByteLevel":
                    byteLevel = true;
                    if (step["add_prefix_space"] is JsonValue aps && (bool)aps)
                        throw new DataFormatException(path, 0, "pre_tokenizer.add_prefix_space", "true is not supported (it changes the text)");
                    byteLevelRegex = step["use_regex"] is not JsonValue ur || (bool)ur;
                    break;
                case "Split" when split is null && (string?)step["behavior"] is "Isolated" or null:
                    split = (string?)step["pattern"]?["Regex"]
                        ?? (step["pattern"]?["String"] is JsonValue sv ? System.Text.RegularExpressions.Regex.Escape((string)sv!) : null)
                        ?? throw new DataFormatException(path, 0, "pre_tokenizer.pattern", "needs Regex or String");
                    break;
                default:
                    throw new DataFormatException(path, 0, "pre_tokenizer", $"step '{(string?)step["type"]}' is not supported (supported: one Isolated Split, then ByteLevel)");
            }
        if (!byteLevel) throw new DataFormatException(path, 0, "pre_tokenizer", "no ByteLevel step; only byte-level BPE is supported");
        if (split is not null && byteLevelRegex)
            throw new DataFormatException(path, 0, "pre_tokenizer", "a Split followed by ByteLevel with use_regex=true is not supported");
        return split ?? PreTokenizerPattern.Gpt2;
    }

    // Relaxed escaping keeps byte-level tokens such as "Ġthe" readable in the file.
    internal static readonly JsonSerializerOptions JsonOut = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the model as tokenizer.json in the layout HF tokenizers writes for Llama 3 style byte-level BPE.</summary>
    public static void Write(string path, BpeModel m)
    {
        var added = new JsonArray();
        foreach (var (content, id) in m.SpecialTokens.OrderBy(kv => kv.Value))
            added.Add(new JsonObject
            {
                ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            });
        var vocab = new JsonObject();
        foreach (var (token, id) in m.Vocab.OrderBy(kv => kv.Value)) vocab[token] = id;
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = m.Pattern }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false }),
            },
            ["post_processor"] = null,
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null, ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(m.Merges.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
            },
        };
        AtomicFile.WriteAllText(path, root.ToJsonString(JsonOut));
    }
}
