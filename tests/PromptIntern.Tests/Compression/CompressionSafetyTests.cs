using System.Text;
using PromptIntern.Compression;
using Xunit;

namespace PromptIntern.Tests.Compression;

public class CompressionSafetyTests
{
    public static TheoryData<string> Methods() => new(Compressors.Methods);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Compress_NonAsciiText_NeverSplitsCharactersOrWords(string method)
    {
        var c = Compressors.Create(method, CompressionFixture.Scorer);
        const string question = "Somme des carrés ?";
        var text = CompressionFixture.NonAscii + " " + question;
        var inputWords = text.Split(' ', '\n').ToHashSet();
        foreach (var rate in new[] { 0.7, 0.4, 0.15 })
        {
            var r = c.Compress(new CompressionRequest { Instruction = CompressionFixture.NonAscii, Question = question, KeepRate = rate });
            var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
            var bytes = strict.GetBytes(r.CompressedPrompt); // throws on a lone surrogate
            Assert.Equal(r.CompressedPrompt, strict.GetString(bytes));
            Assert.DoesNotContain('\uFFFD', r.CompressedPrompt);
            // every kept piece is a whole unit of the input, so each output word is a sequence of input units
            foreach (var span in r.Spans.Where(s => s.Kept))
                Assert.False(char.IsLowSurrogate(r.OriginalPrompt[span.Start]), "a span starts inside a surrogate pair");
            foreach (var word in r.CompressedPrompt.Split(' ', '\n').Where(w => w.Length > 0))
                Assert.True(inputWords.Contains(word) || IsMadeOfInputUnits(word, text), $"'{word}' is not in the input");
        }
    }

    static bool IsMadeOfInputUnits(string word, string text)
    {
        // a word like "renvoie»" can arise from two kept units that were apart; each unit must be in the input
        foreach (var u in LexicalUnits.Split(word))
            if (!text.Contains(word.Substring(u.Start, u.Length).Trim())) return false;
        return true;
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Compress_ForcedSpans_AlwaysSurvive(string method)
    {
        var c = Compressors.Create(method, CompressionFixture.Scorer);
        var template = CompressionFixture.LongTemplate;
        var asserts = template.Split('\n').Where(l => l.StartsWith("assert")).ToList();
        var r = c.Compress(new CompressionRequest
        {
            Instruction = template,
            Question = "Write a function to reverse words.",
            KeepRate = 0.6,
            ForceKeep = [ForceKeep.AssertLines, ForceKeep.FormatMarkers, ForceKeep.CodeFences, ForceKeep.Literal("standard library")],
        });

        Assert.NotEmpty(asserts);
        foreach (var a in asserts) Assert.Contains(a, r.CompressedPrompt);
        Assert.Equal(Count(template, "### Answer:"), Count(r.CompressedPrompt, "### Answer:"));
        Assert.Equal(Count(template, "```"), Count(r.CompressedPrompt, "```"));
        Assert.Contains("standard library", r.CompressedPrompt);
    }

    [Fact]
    public void Compress_ForcedSpansLargerThanBudget_KeepsThemAndOvershoots()
    {
        var c = Compressors.Create(Compressors.LlmLingua, CompressionFixture.Scorer);
        var r = c.Compress(new CompressionRequest { Instruction = CompressionFixture.LongTemplate, KeepRate = 0.05, ForceKeep = [ForceKeep.AssertLines] });
        foreach (var a in CompressionFixture.LongTemplate.Split('\n').Where(l => l.StartsWith("assert"))) Assert.Contains(a, r.CompressedPrompt);
        Assert.True(r.CompressedTokens > r.TargetTokens);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Compress_SameInputAndSeed_GivesSameOutput(string method)
    {
        var request = new CompressionRequest { Instruction = CompressionFixture.LongTemplate, Question = "Reverse a list.", KeepRate = 0.3, Seed = 7 };
        var a = Compressors.Create(method, CompressionFixture.Scorer).Compress(request);
        var b = Compressors.Create(method, CompressionFixture.Scorer).Compress(request);
        Assert.Equal(a.CompressedPrompt, b.CompressedPrompt);
        Assert.Equal(a.Spans, b.Spans);
    }

    [Fact]
    public void RandomDrop_DifferentSeeds_GiveDifferentOutputs()
    {
        var c = Compressors.Create(Compressors.Random, CompressionFixture.Scorer);
        var a = c.Compress(new CompressionRequest { Instruction = CompressionFixture.LongTemplate, KeepRate = 0.3, Seed = 1 });
        var b = c.Compress(new CompressionRequest { Instruction = CompressionFixture.LongTemplate, KeepRate = 0.3, Seed = 2 });
        Assert.NotEqual(a.CompressedPrompt, b.CompressedPrompt);
    }

    [Fact]
    public void LongLlmLingua_WithoutQuestion_ThrowsClearError()
    {
        var c = Compressors.Create(Compressors.LongLlmLingua, CompressionFixture.Scorer);
        var e = Assert.Throws<ArgumentException>(() => c.Compress(CompressionFixture.LongTemplate, 0.5));
        Assert.Contains("Question", e.Message);
    }

    static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}
