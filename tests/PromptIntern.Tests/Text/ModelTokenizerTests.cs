using System.Text;
using PromptIntern.Text;
using Xunit;

namespace PromptIntern.Tests.Text;

public class ModelTokenizerTests(TokenizerFixture fixture) : IClassFixture<TokenizerFixture>
{
    readonly ModelTokenizer _tok = fixture.Tokenizer;

    public static TheoryData<string> Adversarial() =>
    [
        "", " ", "\n", "\n\n\n", "\t", "\r\n", "a\rb", "   leading", "trailing   ", new string(' ', 1000), "\t \t \n  \n",
        "e\u0301 n\u0303 a\u0308\u0301\u0323", "😀", "👩‍👩‍👧‍👦 family", "🇩🇪🇯🇵", "東京は日本の首都です。", "한국어 텍스트",
        "مرحبا بالعالم", "\u0000\u0001\u001f\u007f\u0085\u00a0\u2028\u2029", "\ufeffBOM", "\uffff\ufffd", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠀀𠀁",
        "<|eos|><|bos|>", "find . -name '*.txt' | xargs grep -n \"TODO\" 2>/dev/null", "x = 1_000_000 + 0xFF # 12345678901234",
        "def f():\n\treturn {'a': [1, 2, 3]}\n", "it's they're we've I'm you'll he'd DON'T", "a\u200db\u200cc",
    ];

    [Theory]
    [MemberData(nameof(Adversarial))]
    public void Decode_OfEncode_ReturnsAdversarialInputExactly(string text)
    {
        Assert.Equal(text, _tok.Decode(_tok.Encode(text)));
        AssertSpansTile(text, _tok.EncodeWithOffsets(text));
    }

    [Fact]
    public void Decode_OfEncode_ReturnsRandomUnicodeStringsExactly()
    {
        var rng = new Random(1234);
        for (int i = 0; i < 400; i++)
        {
            var text = TokenizerFixture.RandomText(rng, 60);
            var ids = _tok.Encode(text);
            Assert.True(text == _tok.Decode(ids), $"round trip failed for {Escape(text)}");
            Assert.All(ids, id => Assert.InRange(id, 0, _tok.VocabSize - 1));
            AssertSpansTile(text, _tok.EncodeWithOffsets(text));
        }
    }

    [Fact]
    public void EncodeWithOffsets_OnAsciiText_EachSpanIsItsTokensText()
    {
        const string text = "find . -type f -name \"*.log\" -mtime +7 -delete\n### Answer:\n";
        foreach (var t in _tok.EncodeWithOffsets(text))
            Assert.Equal(text.Substring(t.Start, t.Length), _tok.Decode([t.Id]));
    }

    [Fact]
    public void EncodeWithOffsets_CharacterSplitAcrossTokens_BelongsToTheTokenWithItsFirstByte()
    {
        // Mathematical Fraktur letters are 4 UTF-8 bytes and unseen in training, so each is split into byte tokens.
        const string text = "𝔘𝔫";
        var spans = _tok.EncodeWithOffsets(text);
        Assert.True(spans.Count > 2);
        Assert.Contains(spans, s => s.Length == 0);
        Assert.All(spans.Where(s => s.Length > 0), s => Assert.Equal(2, s.Length)); // whole surrogate pairs only
        AssertSpansTile(text, spans);
    }

    [Fact]
    public void Encode_SpecialTokenText_StaysTextUnlessParsingIsRequested()
    {
        const string text = "a<|eos|>b";
        Assert.DoesNotContain(_tok.EosId, _tok.Encode(text));
        var parsed = _tok.EncodeWithOffsets(text, parseSpecialTokens: true);
        Assert.Contains(new TokenSpan(_tok.EosId, 1, 7), parsed);
        AssertSpansTile(text, parsed);
        Assert.Equal(text, _tok.Decode(parsed.Select(s => s.Id), skipSpecialTokens: false));
        Assert.Equal("ab", _tok.Decode(parsed.Select(s => s.Id)));
    }

    [Fact]
    public void SpecialTokens_HaveDistinctIdsAtTheEndOfTheVocabulary()
    {
        int[] ids = [_tok.BosId, _tok.EosId, _tok.PadId, _tok.TokenToId(SpecialTokenNames.Sep)!.Value];
        Assert.Equal(4, ids.Distinct().Count());
        Assert.Equal(_tok.VocabSize - 4, ids.Min());
        Assert.Equal(_tok.VocabSize - 1, ids.Max());
        Assert.Equal(450, _tok.VocabSize);
    }

    [Fact]
    public void Encode_FrequentCorpusWords_AreSingleTokens()
    {
        Assert.Single(_tok.Encode("find"));
        Assert.Single(_tok.Encode("### Query"[..3]));
        Assert.True(_tok.Encode("### Query:\n").Length <= 4);
    }

    static void AssertSpansTile(string text, IReadOnlyList<TokenSpan> spans)
    {
        int pos = 0;
        foreach (var s in spans)
        {
            Assert.Equal(pos, s.Start);
            Assert.True(s.Length >= 0);
            pos = s.End;
            if (pos > 0 && pos < text.Length)
                Assert.False(char.IsHighSurrogate(text[pos - 1]) && char.IsLowSurrogate(text[pos]), $"span ends inside a surrogate pair at {pos}");
        }
        Assert.Equal(text.Length, pos);
    }

    static string Escape(string s) => string.Concat(s.Select(c => c < 0x20 || c > 0x7E ? $"\\u{(int)c:X4}" : c.ToString()));
}
