using PromptIntern.Compression;
using Xunit;

namespace PromptIntern.Tests.Compression;

public class LexicalUnitsTests
{
    static List<string> Units(string text) => LexicalUnits.Split(text).Select(u => text.Substring(u.Start, u.Length)).ToList();

    [Fact]
    public void Split_CoversTheTextExactly()
    {
        var text = CompressionFixture.NonAscii + "\n  def f(x):\n\treturn x  \n\n";
        Assert.Equal(text, string.Concat(Units(text)));
    }

    [Fact]
    public void Split_KeepsWordsEmojiSequencesAndIndentationTogether()
    {
        Assert.Equal(["Hello", ",", " world", "!"], Units("Hello, world!"));
        Assert.Equal(["a", " 👩‍💻", " b"], Units("a 👩‍💻 b"));              // ZWJ sequence is one unit
        Assert.Equal(["x", " =", "\n", "    return", " x"], Units("x =\n    return x"));
        Assert.Equal(["请", "写", "函", "数"], Units("请写函数"));           // CJK: one character per unit
        Assert.Equal(["café", " naïve"], Units("café naïve"));
    }

    [Fact]
    public void Split_LoneSurrogate_IsItsOwnUnit()
    {
        var text = "ab\uD83D cd";
        Assert.Equal(text, string.Concat(Units(text)));
        Assert.Contains("\uD83D", Units(text));
    }
}
