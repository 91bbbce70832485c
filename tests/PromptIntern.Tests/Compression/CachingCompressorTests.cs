using System.Text.Json;
using PromptIntern.Compression;
using Xunit;

namespace PromptIntern.Tests.Compression;

public class CachingCompressorTests
{
    [Fact]
    public void Compress_SameRequestTwice_IsServedFromMemory_AndFromDiskInANewInstance()
    {
        var dir = Path.Combine(Path.GetTempPath(), "pi-compression-cache", Guid.NewGuid().ToString("N"));
        var request = new CompressionRequest { Instruction = CompressionFixture.LongTemplate, KeepRate = 0.3 };
        var first = new CachingCompressor(new LlmLinguaCompressor(CompressionFixture.Scorer), CompressionFixture.Scorer.Name, dir);
        var a = first.Compress(request);
        var b = first.Compress(request);
        Assert.Same(a, b);
        Assert.Equal(1, first.Hits);

        var second = new CachingCompressor(new LlmLinguaCompressor(CompressionFixture.Scorer), CompressionFixture.Scorer.Name, dir);
        var c = second.Compress(request);
        Assert.Equal(1, second.Hits);
        Assert.Equal(a.CompressedPrompt, c.CompressedPrompt);
        Assert.Equal(a.Spans, c.Spans);
        Assert.Single(Directory.GetFiles(dir));

        Assert.NotEqual(first.Key(request), first.Key(request with { KeepRate = 0.5 }));
        // Keep rates that round alike in the readable part still differ in the hash (plans carry rates like 1/3).
        Assert.NotEqual(first.Key(request with { KeepRate = 0.33333 }), first.Key(request with { KeepRate = 0.3333 }));
        Assert.NotEqual(first.Key(request), first.Key(request with { QuestionInPrompt = false }));
        Assert.NotEqual(first.Key(request), first.Key(request with { Instruction = request.Instruction + "!" }));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void ToJson_UsesLlmLinguaFieldNames()
    {
        var r = new TruncateCompressor().Compress("Translate the request into one Bash command line.", 0.5);
        using var doc = JsonDocument.Parse(r.ToJson());
        foreach (var field in new[] { "compressed_prompt", "origin_tokens", "compressed_tokens", "ratio", "rate", "saving", "tokenizer", "requested_rate" })
            Assert.True(doc.RootElement.TryGetProperty(field, out _), field);
        Assert.Equal(r.CompressedTokens, doc.RootElement.GetProperty("compressed_tokens").GetInt32());
        Assert.Equal("o200k_base", doc.RootElement.GetProperty("tokenizer").GetString());
    }
}
