using PromptIntern.Data;
using Xunit;

namespace PromptIntern.Tests.Data;

public class JsonlDatasetTests
{
    const string Good1 = """{"id": "a", "query": "list files", "answer": "ls", "tests": ["assert f(1) == 1"]}""";
    const string Good2 = """{"id": "b", "query": "count lines", "answer": "wc -l file"}""";

    [Fact]
    public void Load_GoodFile_ReturnsRowsWithExtraFields()
    {
        using var dir = new TempDir();
        var rows = JsonlDataset.Load(dir.Write("ok.jsonl", Good1 + "\n\n" + Good2 + "\n"));
        Assert.Equal(["a", "b"], rows.Select(r => r.Id));
        Assert.Equal(["assert f(1) == 1"], rows[0].Tests);
        Assert.Empty(rows[1].Tests);
    }

    [Fact]
    public void Save_ThenLoad_RoundTrips()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "rt.jsonl");
        var rows = JsonlDataset.Load(dir.Write("ok.jsonl", Good1 + "\n" + Good2));
        JsonlDataset.Save(path, rows);
        var again = JsonlDataset.Load(path);
        Assert.Equal(rows.Select(JsonlDataset.ToJson), again.Select(JsonlDataset.ToJson));
    }

    [Theory]
    [InlineData("{\"id\": \"c\", \"query\": \"x\", \"answer\": ", 2, "(json)", "malformed JSON")]
    [InlineData("{\"id\": \"c\", \"answer\": \"ls\"}", 2, "query", "missing")]
    [InlineData("{\"id\": \"c\", \"query\": \"   \", \"answer\": \"ls\"}", 2, "query", "empty")]
    [InlineData("{\"id\": \"c\", \"query\": 5, \"answer\": \"ls\"}", 2, "query", "must be a string")]
    [InlineData("{\"id\": \"a\", \"query\": \"again\", \"answer\": \"ls\"}", 2, "id", "duplicate id 'a' (first seen on line 1)")]
    [InlineData("[1, 2]", 2, "(json)", "not a JSON object")]
    public void Load_BadRow_NamesFileLineAndField(string badLine, int line, string field, string problem)
    {
        using var dir = new TempDir();
        var path = dir.Write("bad.jsonl", Good1 + "\n" + badLine + "\n" + Good2 + "\n");
        var e = Assert.Throws<DataFormatException>(() => JsonlDataset.Load(path));
        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal(field, e.Field);
        Assert.Contains(problem, e.Problem);
        Assert.StartsWith($"{path}:{line}: field '{field}'", e.Message);
    }

    [Fact]
    public void Load_EmptyFile_IsAnError()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<DataFormatException>(() => JsonlDataset.Load(dir.Write("empty.jsonl", "\n")));
        Assert.Equal("no rows", e.Problem);
    }

    [Fact]
    public void KitSplits_LoadWithoutErrors()
    {
        foreach (var (task, split) in new[] { ("nl2bash", "train"), ("nl2bash", "dev"), ("mbpp", "train"), ("mbpp", "dev"), ("mbpp", "prompt") })
            Assert.NotEmpty(JsonlDataset.Load(KitPaths.Split(task, split)));
        Assert.All(JsonlDataset.Load(KitPaths.Split("mbpp", "dev")), e => Assert.Equal(3, e.Tests.Count));
    }
}
