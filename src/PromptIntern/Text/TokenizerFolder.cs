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
        if (File.Exists(json)) return new ModelTokenizer(HfTokenizerJson.Read(json), name, roles);

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
        if (!File.Exists(path)) return (new SpecialTokenRoles(), null);
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new DataFormatException(path, 0, "(json)", $"malformed JSON: {e.Message}"); }
        // HF writes a special token either as a string or as an AddedToken object with "content".
        string? Token(string field) => root?[field] switch
        {
            JsonValue v when v.TryGetValue(out string? s) => s,
            JsonObject o => (string?)o["content"],
            _ => null,
        };
        var name = root?["name_or_path"] is JsonValue n && n.TryGetValue(out string? s) && s.Length > 0 ? s : null;
        return (new SpecialTokenRoles(Token("bos_token"), Token("eos_token"), Token("pad_token")), name);
    }
}
