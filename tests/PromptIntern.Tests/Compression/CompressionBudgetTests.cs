using PromptIntern.Compression;
using PromptIntern.Text;
using Xunit;

namespace PromptIntern.Tests.Compression;

public class CompressionBudgetTests
{
    const string Question = "Write a function to find the maximum difference between any two elements of a list.";

    public static TheoryData<string, double> MethodsAndRates()
    {
        var data = new TheoryData<string, double>();
        foreach (var m in Compressors.Methods)
            foreach (var r in new[] { 0.8, 0.5, 0.3, 0.1 }) data.Add(m, r);
        return data;
    }

    public static TheoryData<string> Methods() => new(Compressors.Methods);

    [Theory]
    [MemberData(nameof(MethodsAndRates))]
    public void Compress_MeetsTargetRate_WithinTwoPercent(string method, double rate)
    {
        var c = Compressors.Create(method, CompressionFixture.Scorer);
        var r = c.Compress(new CompressionRequest { Instruction = CompressionFixture.LongTemplate, Question = Question, KeepRate = rate });

        Assert.True(r.OriginTokens > 1500, $"fixture too short: {r.OriginTokens}");
        Assert.InRange(r.CompressedTokens, r.OriginTokens * (rate - 0.02), r.OriginTokens * (rate + 0.02));
        Assert.Equal(r.CompressedTokens, CostTokenizer.O200k.CountTokens(r.CompressedPrompt));
        Assert.Equal("o200k_base", r.Tokenizer);
        Assert.EndsWith(Question, r.CompressedPrompt); // the question is kept verbatim
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void CompressToTokens_HitsTheBudgetExactly(string method)
    {
        var c = Compressors.Create(method, CompressionFixture.Scorer);
        foreach (var target in new[] { 37, 150, 600 })
        {
            var r = c.Compress(new CompressionRequest { Instruction = CompressionFixture.LongTemplate, Question = Question, TargetTokens = target });
            Assert.Equal(target, r.CompressedTokens);
            Assert.Equal(target, r.TargetTokens);
        }
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Compress_ShortPrompt_IsStillCompressed(string method)
    {
        var c = Compressors.Create(method, CompressionFixture.Scorer);
        var r = c.Compress(new CompressionRequest { Instruction = CompressionFixture.ShortPrompt, Question = "sum of squares?", KeepRate = 0.5 });

        Assert.True(r.OriginTokens < 40);
        Assert.InRange(r.TargetTokens, r.OriginTokens * 0.5 - 0.5, r.OriginTokens * 0.5 + 0.5);
        Assert.InRange(r.CompressedTokens, r.TargetTokens - 1, r.TargetTokens);
        Assert.True(r.Ratio > 1.7, $"ratio {r.RatioText}");
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public void Compress_EmptyOrWhitespaceInput_ReturnsEmptyResult(string method)
    {
        var c = Compressors.Create(method, CompressionFixture.Scorer);
        foreach (var text in new[] { "", "   ", "\n\t \n" })
        {
            var r = c.Compress(new CompressionRequest { Instruction = text, Contexts = [text, ""], Question = text, KeepRate = 0.3 });
            Assert.Equal("", r.CompressedPrompt);
            Assert.Equal(0, r.OriginTokens);
            Assert.Equal(0, r.CompressedTokens);
            Assert.Equal(1.0, r.Ratio);
        }
    }

    [Fact]
    public void Compress_RateOne_KeepsThePromptUnchanged()
    {
        var c = Compressors.Create(Compressors.LlmLingua, CompressionFixture.Scorer);
        var r = c.Compress(CompressionFixture.LongTemplate, 1.0);
        Assert.Equal(CompressionFixture.LongTemplate, r.CompressedPrompt);
        Assert.Equal(1.0, r.AchievedRate);
    }

    [Fact]
    public void Compress_BadRate_ThrowsNamingTheField()
    {
        var c = Compressors.Create(Compressors.Truncate, CompressionFixture.Scorer);
        var e = Assert.Throws<ArgumentException>(() => c.Compress("some text", 1.5));
        Assert.Equal("KeepRate", e.ParamName);
    }

    [Fact]
    public void Compress_WithPrice_ReportsSaving()
    {
        var c = Compressors.Create(Compressors.Truncate, CompressionFixture.Scorer);
        var r = c.Compress(new CompressionRequest { Instruction = CompressionFixture.LongTemplate, KeepRate = 0.25, InputPricePerMillionTokens = 2.5 });
        Assert.Equal((r.OriginTokens - r.CompressedTokens) * 2.5 / 1e6, r.Saving!.Value, 12);
    }
}
