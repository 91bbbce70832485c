using Xunit;
using PromptIntern.Absorption;
using PromptIntern.Data;

namespace PromptIntern.Tests.Absorption;

public class Bm25RetrieverTests
{
    static TaskExample Row(string id, string query) => new(id, query, "answer-" + id);

    // Corpus: a = "grep foo file" (3 terms), b = "find file name" (3), c = "grep bar" (2); avgdl = 8/3.
    static readonly TaskExample[] Corpus = [Row("a", "grep foo file"), Row("b", "find file name"), Row("c", "grep bar")];

    [Fact]
    public void Retrieve_MatchesHandComputedScores_OnThreeDocuments()
    {
        var retriever = new Bm25Retriever(Corpus);
        var hits = retriever.Retrieve(Row("q", "grep file"), 3);

        // idf(grep) = idf(file) = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln 1.6 (each occurs in 2 of 3 documents).
        double idf = Math.Log(1.6);
        // |d| = 3: k1·(1 − b + b·3/(8/3)) = 1.5·(0.25 + 0.84375) = 1.640625; |d| = 2: 1.5·(0.25 + 0.5625) = 1.21875.
        double a = 2 * idf * 2.5 / (1 + 1.640625);
        double b = idf * 2.5 / (1 + 1.640625);
        double c = idf * 2.5 / (1 + 1.21875);

        Assert.Equal(["a", "c", "b"], hits.Select(h => h.Example.Id));
        Assert.Equal(a, hits[0].Score, 12);
        Assert.Equal(c, hits[1].Score, 12);
        Assert.Equal(b, hits[2].Score, 12);
        Assert.Equal([1, 2, 3], hits.Select(h => h.Rank));
    }

    [Fact]
    public void Idf_IsLuceneNonNegativeForm()
    {
        Assert.Equal(Math.Log(1 + 0.5 / 3.5), Bm25Retriever.Idf(3, 3), 12);
        Assert.True(Bm25Retriever.Idf(100, 100) > 0);
    }

    [Fact]
    public void Retrieve_ExcludesQueryById()
    {
        var hits = new Bm25Retriever(Corpus).Retrieve(Row("a", "grep foo file"), 3);
        Assert.DoesNotContain(hits, h => h.Example.Id == "a");
        Assert.Equal(2, hits.Count);
    }

    [Fact]
    public void Retrieve_ExcludesDocumentsWithTheQuerysText_EvenUnderAnotherId()
    {
        var corpus = Corpus.Append(Row("dup", "  Grep   FOO file ")).ToArray();
        var hits = new Bm25Retriever(corpus).Retrieve(Row("new", "grep foo file"), 4);
        Assert.DoesNotContain(hits, h => h.Example.Id is "a" or "dup");
    }

    [Fact]
    public void Retrieve_BreaksTiesById_Ordinal()
    {
        var corpus = new[] { Row("x2", "list files"), Row("x10", "list files"), Row("x1", "list files") };
        var hits = new Bm25Retriever(corpus).Retrieve(Row("q", "list"), 3);
        Assert.Equal(hits[0].Score, hits[2].Score);
        Assert.Equal(["x1", "x10", "x2"], hits.Select(h => h.Example.Id));
    }

    [Fact]
    public void Retrieve_FillsWithZeroScoreDocumentsInIdOrder_WhenFewMatch()
    {
        var hits = new Bm25Retriever(Corpus).Retrieve(Row("q", "bar"), 3);
        Assert.Equal(["c", "a", "b"], hits.Select(h => h.Example.Id));
        Assert.Equal(0, hits[1].Score);
    }

    [Fact]
    public void Retrieve_IsDeterministic_AndRespectsK()
    {
        var r = new Bm25Retriever(Corpus);
        Assert.Empty(r.Retrieve(Row("q", "grep"), 0));
        Assert.Single(r.Retrieve(Row("q", "grep"), 1));
        Assert.Equal(r.Retrieve(Row("q", "grep file"), 2).Select(h => h.Example.Id), r.Retrieve(Row("q", "grep file"), 2).Select(h => h.Example.Id));
    }

    [Fact]
    public void Tokenize_LowerCases_SplitsOnPunctuation_KeepsIdentifiers()
    {
        Assert.Equal(["find", "files", "named", "txt", "in", "home", "max_depth", "2"],
            RetrievalTokenizer.Tokenize("Find files named *.txt in $HOME, max_depth=2"));
    }

    [Fact]
    public void Constructor_RejectsDuplicateIds()
    {
        Assert.Throws<ArgumentException>(() => new Bm25Retriever([Row("a", "x"), Row("a", "y")]));
    }
}
