using System.Diagnostics;
using Microsoft.ML.Tokenizers;
using PromptIntern.Text;
using Xunit;

namespace PromptIntern.Tests.Text;

public class CostTokenizerLongPieceTests
{
    static string Random(int length, string alphabet, int seed)
    {
        var rng = new Random(seed);
        return new string(Enumerable.Range(0, length).Select(_ => alphabet[rng.Next(alphabet.Length)]).ToArray());
    }

    public static readonly TheoryData<string, string> Texts = new()
    {
        { "o200k_base", new string('x', 5000) },
        { "o200k_base", Random(4000, "abcdefghijklmnopqrstuvwxyz", 1) },
        { "o200k_base", "see " + Random(3000, "abcdeABCDE", 2) + " and then " + new string(' ', 700) + "x" },
        { "o200k_base", Random(3000, "!@#$%^&*()[]{}<>/\\|", 3) + " tail" },
        { "o200k_base", Random(2000, "日本語のテキスト", 4) },
        { "cl100k_base", Random(4000, "aab", 5) + " ls -la " + new string('=', 1000) },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Encode_LongPieces_MatchTheLibrary(string encoding, string text)
    {
        var library = TiktokenTokenizer.CreateForEncoding(encoding);
        var ours = CostTokenizer.Get(encoding);
        Assert.Equal(library.EncodeToIds(text), ours.Encode(text));
        Assert.Equal(library.CountTokens(text), ours.CountTokens(text));
    }

    [Fact]
    public void Encode_TwoMegabyteWord_TakesSecondsAndLinearWork()
    {
        var small = new List<int>();
        var large = new List<int>();
        int mergesSmall = RankedBpeProbe(new string('a', 200_000), small);
        var clock = Stopwatch.StartNew();
        int mergesLarge = RankedBpeProbe(new string('a', 2_000_000), large);
        // Each merge removes one part, so merges = bytes - tokens: ten times the text, ten times the work (the library's loop: a hundred).
        Assert.Equal(2_000_000 - large.Count, mergesLarge);
        Assert.Equal(10.0, (double)mergesLarge / mergesSmall, 1);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"a 2 MB word took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(new string('a', 2_000_000), TiktokenTokenizer.CreateForEncoding("o200k_base").Decode(large));
    }

    [Fact]
    public void CountTokens_TwoMegabyteLine_ReturnsInSeconds()
    {
        var clock = Stopwatch.StartNew();
        int n = CostTokenizer.O200k.CountTokens(Random(2_000_000, "abcdefghijklmnopqrstuvwxyz", 7));
        Assert.True(n > 100_000);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"2 MB took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    static int RankedBpeProbe(string word, List<int> ids) =>
        RankedBpe.Encode(System.Text.Encoding.UTF8.GetBytes(word), TiktokenRanks.For(CostTokenizer.O200kBase), ids);
}
