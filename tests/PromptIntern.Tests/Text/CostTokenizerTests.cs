using PromptIntern.Prompts;
using PromptIntern.Text;
using Xunit;

namespace PromptIntern.Tests.Text;

public class CostTokenizerTests
{
    [Theory]
    [InlineData("o200k_base")]
    [InlineData("cl100k_base")]
    public void CountTokens_KnownStrings_MatchTiktoken(string name)
    {
        var tok = CostTokenizer.Get(name);
        Assert.Equal(name, tok.Name);
        Assert.Equal(2, tok.CountTokens("hello world"));
        Assert.Equal(0, tok.CountTokens(""));
        Assert.Equal(tok.Encode("find . -name '*.txt'").Count, tok.CountTokens("find . -name '*.txt'"));
    }

    [Fact]
    public void Encode_KnownIds_MatchTiktoken()
    {
        // Reference ids from tiktoken: "hello world" -> cl100k [15339, 1917], o200k [24912, 2375].
        Assert.Equal([15339, 1917], CostTokenizer.Cl100k.Encode("hello world"));
        Assert.Equal([24912, 2375], CostTokenizer.O200k.Encode("hello world"));
    }

    [Fact]
    public void Encodings_DifferOnRealTemplate()
    {
        var text = TaskTemplates.Get("nl2bash");
        Assert.NotEqual(CostTokenizer.O200k.CountTokens(text), CostTokenizer.Cl100k.CountTokens(text));
    }

    [Fact]
    public void Get_IsCachedAndRejectsUnknownNames()
    {
        Assert.Same(CostTokenizer.Get("o200k_base"), CostTokenizer.Get(" O200K_BASE "));
        var e = Assert.Throws<ArgumentException>(() => CostTokenizer.Get("p50k_base"));
        Assert.Contains("o200k_base", e.Message);
    }

    [Fact]
    public void Prefix_KeepsAtMostTheRequestedTokens()
    {
        var tok = CostTokenizer.O200k;
        var text = TaskTemplates.Get("mbpp");
        int total = tok.CountTokens(text);
        var prefix = tok.Prefix(text, total * 3 / 10);
        Assert.StartsWith(prefix, text);
        Assert.InRange(tok.CountTokens(prefix), total * 3 / 10 - 2, total * 3 / 10);
        Assert.Equal("", tok.Prefix(text, 0));
        Assert.Equal(text, tok.Prefix(text, total + 10));
    }

    [Fact]
    public void PromptTokens_CountsEachPartAndTheRenderedTotal()
    {
        var tok = CostTokenizer.O200k;
        var parts = new PromptParts("Translate to bash.", [new FewShotExample("list files", "ls")], "count lines");
        var c = PromptTokens.Count(parts, tok);
        Assert.Equal("o200k_base", c.Tokenizer);
        Assert.Equal(tok.CountTokens("Translate to bash."), c.Template);
        Assert.Equal(tok.CountTokens("list files") + tok.CountTokens("ls"), c.Examples);
        Assert.Equal(tok.CountTokens("count lines"), c.Query);
        Assert.Equal(tok.CountTokens(PromptRenderer.ToText(parts)), c.Total);
        Assert.True(c.Total > c.Template + c.Examples + c.Query, "markers add tokens");
    }
}
