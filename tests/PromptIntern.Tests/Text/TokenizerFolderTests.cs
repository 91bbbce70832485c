using System.Text.Json.Nodes;
using PromptIntern.Data;
using PromptIntern.Text;
using Xunit;

namespace PromptIntern.Tests.Text;

public class TokenizerFolderTests(TokenizerFixture fixture) : IClassFixture<TokenizerFixture>
{
    [Fact]
    public void SaveThenLoad_GivesTheSameTokenizer()
    {
        using var dir = new TempDir();
        var original = fixture.Tokenizer;
        original.Save(dir.Path);
        var loaded = ModelTokenizer.Load(dir.Path);

        Assert.Equal(original.Name, loaded.Name);
        Assert.Equal((original.VocabSize, original.BosId, original.EosId, original.PadId), (loaded.VocabSize, loaded.BosId, loaded.EosId, loaded.PadId));
        foreach (var text in TokenizerFixture.Corpus().Take(5).Append("😀 東京 \t\n  x"))
            Assert.Equal(original.Encode(text), loaded.Encode(text));
    }

    [Fact]
    public void TokenizerFiles_LoadsASavedModelTokenizer_ForTheModelStack()
    {
        using var dir = new TempDir();
        fixture.Tokenizer.Save(dir.Path);
        var loaded = Assert.IsType<ModelTokenizer>(TokenizerFiles.Load(dir.Path));
        Assert.Equal(fixture.Tokenizer.Encode("find . -name x"), loaded.Encode("find . -name x"));
    }

    [Fact]
    public void DefaultTokenizer_InDataFolder_Has8192TokensAndRoundTrips()
    {
        var tok = ModelTokenizer.Load(Path.Combine(KitPaths.Data, "tokenizer"));
        Assert.Equal(8192, tok.VocabSize);
        Assert.Equal((8188, 8189, 8190), (tok.BosId, tok.EosId, tok.PadId));
        const string text = "### Query:\nFind files named '*.log' older than 7 days.\n### Answer:\nfind . -name '*.log' -mtime +7\n";
        var ids = tok.Encode(text);
        Assert.Equal(text, tok.Decode(ids));
        Assert.True(text.Length / (double)ids.Length > 2.5, $"{ids.Length} tokens for {text.Length} chars");
    }

    [Fact]
    public void Load_VocabAndMergesOnly_UsesGpt2PreTokenizerAndFindsSpecials()
    {
        using var dir = new TempDir();
        fixture.Tokenizer.Save(dir.Path);
        File.Delete(dir.File(ModelTokenizer.TokenizerJsonFile));
        File.Delete(dir.File(ModelTokenizer.ConfigFile));
        var loaded = ModelTokenizer.Load(dir.Path);
        Assert.Equal(PreTokenizerPattern.Gpt2, loaded.Model.Pattern);
        Assert.Equal(fixture.Tokenizer.EosId, loaded.EosId);
        Assert.Equal("find . -name x\n", loaded.Decode(loaded.Encode("find . -name x\n")));
    }

    [Fact]
    public void Load_HuggingFaceGpt2StyleTokenizerJson_EncodesWithItsMerges()
    {
        using var dir = new TempDir();
        WriteHfTokenizer(dir.Path, mergesAsPairs: true);
        var tok = ModelTokenizer.Load(dir.Path);

        int endOfText = 256 + Gpt2Merges.Length;
        Assert.Equal(endOfText, tok.EosId);
        Assert.Equal(endOfText, tok.BosId); // GPT-2: one token for both
        Assert.Equal(endOfText + 1, tok.VocabSize);
        Assert.Equal([tok.TokenToId("hello")!.Value, tok.TokenToId("Ġworld")!.Value], tok.Encode("hello world"));
        Assert.Equal([tok.TokenToId("hello")!.Value, endOfText], tok.Encode("hello<|endoftext|>", parseSpecialTokens: true));
        Assert.Equal("hello<|endoftext|>", tok.Decode(tok.Encode("hello<|endoftext|>", parseSpecialTokens: true), skipSpecialTokens: false));
        Assert.Equal("hello world 😀", tok.Decode(tok.Encode("hello world 😀")));
    }

    [Fact]
    public void Load_HuggingFaceMergesAsStrings_MatchesMergesAsPairs()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        WriteHfTokenizer(a.Path, mergesAsPairs: true);
        WriteHfTokenizer(b.Path, mergesAsPairs: false);
        Assert.Equal(ModelTokenizer.Load(a.Path).Encode("hello world, hell"), ModelTokenizer.Load(b.Path).Encode("hello world, hell"));
    }

    [Fact]
    public void Load_TokenizerConfigNamesTheRoles()
    {
        using var dir = new TempDir();
        WriteHfTokenizer(dir.Path, mergesAsPairs: true, extraAdded: ["<pad>", "<s>"]);
        File.WriteAllText(dir.File(ModelTokenizer.ConfigFile),
            """{"bos_token": {"content": "<s>"}, "eos_token": "<|endoftext|>", "pad_token": "<pad>", "name_or_path": "tiny-gpt2"}""");
        var tok = ModelTokenizer.Load(dir.Path);
        Assert.Equal("tiny-gpt2", tok.Name);
        Assert.Equal(tok.TokenToId("<s>"), tok.BosId);
        Assert.Equal(tok.TokenToId("<pad>"), tok.PadId);
        Assert.Equal(tok.TokenToId("<|endoftext|>"), tok.EosId);
    }

    [Fact]
    public void Load_TokenizerJsonWithNormalizer_FailsNamingTheField()
    {
        using var dir = new TempDir();
        WriteHfTokenizer(dir.Path, mergesAsPairs: true, normalizer: new JsonObject { ["type"] = "Lowercase" });
        var e = Assert.Throws<DataFormatException>(() => ModelTokenizer.Load(dir.Path));
        Assert.Contains("normalizer", e.Message);
        Assert.Contains(ModelTokenizer.TokenizerJsonFile, e.Message);
    }

    [Fact]
    public void Save_WritesTokenizerJsonThatReadsBackToTheSameModel()
    {
        using var dir = new TempDir();
        fixture.Tokenizer.Save(dir.Path);
        var m = HfTokenizerJson.Read(dir.File(ModelTokenizer.TokenizerJsonFile));
        Assert.Equal(fixture.Tokenizer.Model.Merges, m.Merges);
        Assert.Equal(fixture.Tokenizer.Model.Vocab.OrderBy(kv => kv.Value), m.Vocab.OrderBy(kv => kv.Value));
        Assert.Equal(fixture.Tokenizer.Model.SpecialTokens.OrderBy(kv => kv.Value), m.SpecialTokens.OrderBy(kv => kv.Value));
        Assert.Equal(PreTokenizerPattern.Default, m.Pattern);
    }

    static readonly string[][] Gpt2Merges =
    [
        ["h", "e"], ["l", "l"], ["he", "ll"], ["hell", "o"], ["Ġ", "w"], ["o", "r"], ["Ġw", "or"], ["l", "d"], ["Ġwor", "ld"],
    ];

    // A tokenizer.json shaped like GPT-2's: 256 byte tokens, a few merges, ByteLevel pre-tokenizer with its own regex.
    static void WriteHfTokenizer(string dir, bool mergesAsPairs, string[]? extraAdded = null, JsonNode? normalizer = null)
    {
        var vocab = new JsonObject();
        for (int b = 0; b < 256; b++) vocab[ByteLevelAlphabet.Char((byte)b).ToString()] = b;
        int next = 256;
        foreach (var m in Gpt2Merges) vocab[m[0] + m[1]] = next++;
        var added = new JsonArray(new JsonObject { ["id"] = next, ["content"] = "<|endoftext|>", ["special"] = true });
        vocab["<|endoftext|>"] = next++;
        foreach (var extra in extraAdded ?? []) added.Add(new JsonObject { ["id"] = next++, ["content"] = extra, ["special"] = true });
        var merges = new JsonArray(Gpt2Merges.Select(m => mergesAsPairs ? (JsonNode)new JsonArray(m[0], m[1]) : JsonValue.Create($"{m[0]} {m[1]}")).ToArray());
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = normalizer,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject { ["type"] = "BPE", ["vocab"] = vocab, ["merges"] = merges },
        };
        File.WriteAllText(Path.Combine(dir, ModelTokenizer.TokenizerJsonFile), root.ToJsonString());
    }
}
