using System.Text.Json;
using System.Text.Json.Nodes;
using PromptIntern.Data;

namespace PromptIntern.Text;

/// <summary>Reads and writes Hugging Face <c>tokenizer.json</c> files of the byte-level BPE kind (GPT-2, Llama 3 style),
/// so users' checkpoints load and the kit's own tokenizers open in HF tools.</summary>
public static class HfTokenizerJson
{
    /// <summary>Parses a byte-level BPE tokenizer.json. Anything this kit cannot reproduce exactly (a normalizer,
    /// add_prefix_space, WordPiece-style prefixes, byte fallback) is an error naming the file and field.</summary>
    public static BpeModel Read(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, 0, "file", "file not found");
        JsonNode root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new JsonException("empty document"); }
        catch (JsonException e) { throw new DataFormatException(path, 0, "(json)", $"malformed JSON: {e.Message}"); }

        var model = root["model"] as JsonObject ?? throw new DataFormatException(path, 0, "model", "missing");
        string? type = (string?)model["type"];
        if (type is not null and not "BPE") throw new DataFormatException(path, 0, "model.type", $"'{type}' is not supported; only BPE");
        foreach (var field in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            if (model[field] is JsonValue v && !string.IsNullOrEmpty((string?)v))
                throw new DataFormatException(path, 0, $"model.{field}", "not supported by byte-level BPE");
        if (model["byte_fallback"] is JsonValue bf && (bool)bf)
            throw new DataFormatException(path, 0, "model.byte_fallback", "byte fallback (SentencePiece-style BPE) is not supported");
        if (root["normalizer"] is JsonObject)
            throw new DataFormatException(path, 0, "normalizer", "normalizers are not supported; encoding would not round-trip");

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

        var specials = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root["added_tokens"] is JsonArray added)
            for (int k = 0; k < added.Count; k++)
            {
                string? content = (string?)added[k]?["content"];
                var idNode = added[k]?["id"] as JsonValue;
                if (content is null || idNode is null || !idNode.TryGetValue(out int id))
                    throw new DataFormatException(path, 0, $"added_tokens[{k}]", "needs 'id' and 'content'");
                specials[content] = id;
            }

        return new BpeModel(vocab, merges, specials, ReadPattern(path, root));
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
