using System.Text.Json;
using System.Text.Json.Nodes;
using PromptIntern.Data;

namespace PromptIntern.Text;

/// <summary>The on-disk form of a <see cref="ModelTokenizer"/>, laid out as in a Hugging Face checkpoint:
/// tokenizer.json (complete), vocab.json + merges.txt (GPT-2 style), tokenizer_config.json (special-token roles, name).</summary>
public static class TokenizerFolder
{
    public static void Save(ModelTokenizer t, string dir)
    {
        Directory.CreateDirectory(dir);
        var m = t.Model;
        HfTokenizerJson.Write(Path.Combine(dir, ModelTokenizer.TokenizerJsonFile), m);

        var vocab = new JsonObject();
        foreach (var (token, id) in m.Vocab.OrderBy(kv => kv.Value)) vocab[token] = id;
        AtomicFile.WriteAllText(Path.Combine(dir, ModelTokenizer.VocabFile), vocab.ToJsonString(HfTokenizerJson.JsonOut));
        AtomicFile.WriteLines(Path.Combine(dir, ModelTokenizer.MergesFile), m.Merges.Prepend("#version: 0.2"));

        var config = new JsonObject
        {
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
            ["name_or_path"] = t.Name,
            ["bos_token"] = t.TokenString(t.BosId),
            ["eos_token"] = t.TokenString(t.EosId),
            ["pad_token"] = t.TokenString(t.PadId),
            ["add_bos_token"] = false,
            ["add_eos_token"] = false,
            ["clean_up_tokenization_spaces"] = false,
        };
        AtomicFile.WriteAllText(Path.Combine(dir, ModelTokenizer.ConfigFile), config.ToJsonString(HfTokenizerJson.JsonOut));
    }

    public static ModelTokenizer Load(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"tokenizer folder '{dir}' does not exist");
        var (roles, name) = ReadConfig(Path.Combine(dir, ModelTokenizer.ConfigFile));
        name ??= Path.GetFileName(Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar));

        string json = Path.Combine(dir, ModelTokenizer.TokenizerJsonFile);
        if (File.Exists(json))
        {
            var (bos, eos) = SpecialTokenPolicy(json, ReadConfigNode(Path.Combine(dir, ModelTokenizer.ConfigFile)));
            return new ModelTokenizer(HfTokenizerJson.Read(json), name, roles) { AddBosToken = bos, AddEosToken = eos, FromTokenizerJson = true };
        }

        string vocabPath = Path.Combine(dir, ModelTokenizer.VocabFile), mergesPath = Path.Combine(dir, ModelTokenizer.MergesFile);
        if (!File.Exists(vocabPath) || !File.Exists(mergesPath))
            throw new FileNotFoundException($"'{dir}' holds neither {ModelTokenizer.TokenizerJsonFile} nor {ModelTokenizer.VocabFile} + {ModelTokenizer.MergesFile}");
        var vocab = ReadVocab(vocabPath);
        var merges = new List<string>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(mergesPath))
        {
            lineNo++;
            if (line.Length == 0 || (lineNo == 1 && line.StartsWith("#version"))) continue;
            if (line.Split(' ').Length != 2) throw new DataFormatException(mergesPath, lineNo, "merge", $"expected \"left right\", found '{line}'");
            merges.Add(line);
        }
        // vocab.json alone does not say which entries are special: take the role names and the usual candidates.
        var specialNames = new[] { roles.Bos, roles.Eos, roles.Pad }.OfType<string>()
            .Concat(SpecialTokenNames.All).Concat(SpecialTokenRoles.BosCandidates).Concat(SpecialTokenRoles.EosCandidates).Concat(SpecialTokenRoles.PadCandidates);
        var specials = specialNames.Distinct().Where(vocab.ContainsKey).ToDictionary(s => s, s => vocab[s], StringComparer.Ordinal);
        return new ModelTokenizer(new BpeModel(vocab, merges, specials, PreTokenizerPattern.Gpt2), name, roles);
    }

    static Dictionary<string, int> ReadVocab(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(path))
                ?? throw new DataFormatException(path, 0, "(json)", "empty document");
        }
        catch (JsonException e) { throw new DataFormatException(path, 0, "(json)", $"expected an object of token -> id: {e.Message}"); }
    }

    static (SpecialTokenRoles Roles, string? Name) ReadConfig(string path)
    {
        var root = ReadConfigNode(path);
        var name = root?["name_or_path"] is JsonValue n && n.TryGetValue(out string? s) && s.Length > 0 ? s : null;
        return (ReadRoles(root), name);
    }

    /// <summary>tokenizer_config.json as a JSON tree, or null when the folder has none.</summary>
    internal static JsonNode? ReadConfigNode(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new DataFormatException(path, 0, "(json)", $"malformed JSON: {e.Message}"); }
    }

    internal static SpecialTokenRoles ReadRoles(JsonNode? config)
    {
        // HF writes a special token either as a string or as an AddedToken object with "content".
        string? Token(string field) => config?[field] switch
        {
            JsonValue v when v.TryGetValue(out string? s) => s,
            JsonObject o => (string?)o["content"],
            _ => null,
        };
        return new SpecialTokenRoles(Token("bos_token"), Token("eos_token"), Token("pad_token"));
    }

    /// <summary>Whether transformers adds BOS / EOS when encoding with special tokens: the post-processor's template,
    /// else tokenizer_config.json's add_bos_token / add_eos_token.</summary>
    internal static (bool Bos, bool Eos) SpecialTokenPolicy(string tokenizerJson, JsonNode? config)
    {
        var root = JsonNode.Parse(File.ReadAllText(tokenizerJson))!;
        if (root["post_processor"] is JsonObject) return HfTokenizerJson.ReadTemplate(root);
        bool Flag(string name) => config?[name] is JsonValue v && v.TryGetValue(out bool b) && b;
        return (Flag("add_bos_token"), Flag("add_eos_token"));
    }

    /// <summary>Loads a Hugging Face tokenizer folder of either BPE kind: SentencePiece-style or byte-level.</summary>
    public static ITokenizer LoadAny(string dir)
    {
        string json = Path.Combine(dir, ModelTokenizer.TokenizerJsonFile), configPath = Path.Combine(dir, ModelTokenizer.ConfigFile);
        if (!File.Exists(json) || !HfTokenizerJson.IsSentencePiece(json)) return Load(dir);
        var config = ReadConfigNode(configPath);
        var name = config?["name_or_path"] is JsonValue n && n.TryGetValue(out string? s) && s.Length > 0 ? s : Path.GetFileName(Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar));
        return new SentencePieceBpe(HfTokenizerJson.ReadSentencePiece(json, config), name, File.ReadAllText(json), config?.ToJsonString() ?? "{}");
    }
}
