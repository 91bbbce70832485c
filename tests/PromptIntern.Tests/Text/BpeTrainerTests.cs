using PromptIntern.Text;
using Xunit;

namespace PromptIntern.Tests.Text;

public class BpeTrainerTests
{
    [Fact]
    public void Train_HandWorkedCorpus_LearnsTheExpectedMergesInOrder()
    {
        // Pairs of "aaabdaaabac" (one pre-token): aa x4 -> merge "a a"; then "a b" and "aa a" tie at 2 and the
        // smaller ids win ("a b"); then "aa ab" x2; every remaining pair occurs once, below the minimum of 2.
        var tok = ModelTokenizer.Train(["aaabdaaabac"], vocabSize: 300);
        Assert.Equal(["a a", "a b", "aa ab"], tok.Model.Merges);
        Assert.Equal(256 + 3 + SpecialTokenNames.All.Count, tok.VocabSize);
        int aaab = tok.TokenToId("aaab")!.Value;
        Assert.Equal([aaab, 'd', aaab, 'a', 'c'], tok.Encode("aaabdaaabac"));
    }

    [Fact]
    public void Train_WordFrequencies_DecideMergeOrder()
    {
        // "the" occurs 15 times (" the" 12), "cat" 3 times, so the merges spelling "the" come first: "t h" and "h e"
        // tie at 15 and the smaller ids win ("h e"); then "t he", then the space (byte-level 'Ġ') joins: "Ġ the".
        var corpus = Enumerable.Repeat("the the the the the cat", 3);
        var tok = ModelTokenizer.Train(corpus, vocabSize: 270);
        Assert.Equal(["h e", "t he", "Ġ the"], tok.Model.Merges.Take(3));
        Assert.Single(tok.Encode(" the"));
        Assert.Equal(tok.Encode(" the")[0], tok.TokenToId("Ġthe"));
    }

    [Fact]
    public void Train_SameCorpusTwice_WritesIdenticalFiles()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        ModelTokenizer.Train(TokenizerFixture.Corpus(), 500).Save(a.Path);
        ModelTokenizer.Train(TokenizerFixture.Corpus(), 500).Save(b.Path);
        foreach (var f in new[] { ModelTokenizer.VocabFile, ModelTokenizer.MergesFile, ModelTokenizer.TokenizerJsonFile, ModelTokenizer.ConfigFile })
            Assert.Equal(File.ReadAllBytes(System.IO.Path.Combine(a.Path, f)), File.ReadAllBytes(System.IO.Path.Combine(b.Path, f)));
    }

    [Fact]
    public void Train_VocabSizeBelowBytesPlusSpecials_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelTokenizer.Train(["abc"], vocabSize: 100));
    }

    [Fact]
    public void PreTokenizerPattern_MatchesEveryCharacterOfRandomText()
    {
        var regex = PreTokenizerPattern.Compile(PreTokenizerPattern.Default);
        var rng = new Random(7);
        for (int i = 0; i < 300; i++)
        {
            var text = TokenizerFixture.RandomText(rng, 80);
            int pos = 0;
            foreach (System.Text.RegularExpressions.Match m in regex.Matches(text))
            {
                Assert.Equal(pos, m.Index);
                pos += m.Length;
            }
            Assert.Equal(text.Length, pos);
        }
    }
}
