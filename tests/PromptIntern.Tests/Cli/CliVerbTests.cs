using PromptIntern.Cli;
using Xunit;

namespace PromptIntern.Tests.Cli;

public class CliVerbTests
{
    static (int Code, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        int code = CliApp.Run(args, output);
        return (code, output.ToString());
    }

    [Fact]
    public void DataStats_PrintsRowsAndTokensPerSplit()
    {
        var (code, output) = Run("data", "stats", "--task", "mbpp");
        Assert.Equal(0, code);
        Assert.Contains("data/mbpp/dev.jsonl", output);
        Assert.Matches(@"dev\.jsonl\s+│\s+90\s+│", output);
        Assert.Matches(@"train\.jsonl\s+│\s+374\s+│", output);
        Assert.Contains("o200k_base", output);
    }

    [Fact]
    public void DataStats_BadFile_PrintsTheProblemAndExitsWithTwo()
    {
        using var dir = new TempDir();
        var path = dir.Write("bad.jsonl", "{\"id\": \"a\", \"query\": \"q\", \"answer\": \"a\"}\n{\"id\": \"b\", \"answer\": \"a\"}\n");
        var (code, output) = Run("data", "stats", "--file", path);
        Assert.Equal(2, code);
        Assert.Contains($"error: {path}:2: field 'query': missing", output);
    }

    [Fact]
    public void DataStats_GoodFile_IsSummarized()
    {
        using var dir = new TempDir();
        var path = dir.Write("ok.jsonl", "{\"id\": \"a\", \"query\": \"list files\", \"answer\": \"ls\"}\n");
        var (code, output) = Run("data", "stats", "--file", path, "--task", "nl2bash", "--tokenizer", "cl100k_base");
        Assert.Equal(0, code);
        Assert.Contains("cl100k_base", output);
        Assert.Matches(@"ok\.jsonl\s+│\s+1\s+│", output);
    }

    [Fact]
    public void PromptShow_RendersTemplateShotsQueryAndTokenTable()
    {
        var (code, output) = Run("prompt", "show", "--task", "mbpp", "--shots", "2", "--id", "mbpp-511");
        Assert.Equal(0, code);
        Assert.Contains("You are an expert Python 3 programmer", output);
        Assert.Equal(3, output.Split("### Query:").Length - 1);   // two shots + the query
        Assert.Contains("assert find_Min_Sum(12) == 7", output);
        Assert.Contains("examples (2)", output);
        Assert.Contains("cl100k_base", output);
    }

    [Fact]
    public void PromptShow_UnknownId_IsAUserError()
    {
        var (code, output) = Run("prompt", "show", "--task", "nl2bash", "--id", "nope");
        Assert.Equal(2, code);
        Assert.Contains("no row with id 'nope'", output);
    }

    [Fact]
    public void Cost_PrintsFullTruncatedAndQueryOnlyLayouts()
    {
        var (code, output) = Run("cost", "--task", "mbpp", "--shots", "5", "--queries", "1000", "--model", "gpt-4o-ft");
        Assert.Equal(0, code);
        foreach (var s in new[] { "full", "template-truncated", "query-only", "o200k_base", "1,000 queries", "input saved", "88.3%" })
            Assert.Contains(s, output);
    }

    [Fact]
    public void Cost_TakesAnEvalFile()
    {
        using var dir = new TempDir();
        var path = dir.Write("eval.jsonl", "{\"id\": \"e1\", \"query\": \"list files\", \"answer\": \"ls\"}\n");
        var (code, output) = Run("cost", "--task", "nl2bash", "--eval-file", path);
        Assert.Equal(0, code);
        Assert.Contains("mean over 1 rows", output);
    }

    [Fact]
    public void Help_ShowsDefaults()
    {
        var (code, output) = Run("cost", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--eval-file", output);
        Assert.Contains("gpt-3.5-turbo-ft", output);
        Assert.Contains("1000000", output);
    }

    [Fact]
    public void PromptTemplates_ListsEveryTaskUnderBothTokenizers()
    {
        var (code, output) = Run("prompt", "templates");
        Assert.Equal(0, code);
        foreach (var s in new[] { "nl2bash", "mbpp", "nl2formula", "o200k_base", "cl100k_base", "### Answer:" })
            Assert.Contains(s, output);
    }
}
