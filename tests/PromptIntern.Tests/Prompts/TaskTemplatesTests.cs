using System.Text.Json;
using System.Text.RegularExpressions;
using PromptIntern.Data;
using PromptIntern.Prompts;
using PromptIntern.Text;
using Xunit;

namespace PromptIntern.Tests.Prompts;

public class TaskTemplatesTests
{
    [Theory]
    [InlineData("nl2bash")]
    [InlineData("mbpp")]
    [InlineData("nl2formula")]
    public void Template_IsLongEnoughToMatter_AndHoldsItsForcedSpans(string task)
    {
        var text = TaskTemplates.Get(task);
        Assert.InRange(CostTokenizer.O200k.CountTokens(text), 800, 2500);
        Assert.NotEmpty(TaskTemplates.ForcedSpans(task));
        Assert.All(TaskTemplates.ForcedSpans(task), span => Assert.Contains(span, text));
        Assert.Contains(PromptRenderer.AnswerMarker, TaskTemplates.ForcedSpans(task));
    }

    [Fact]
    public void Nl2BashTemplate_DocumentsTheUtilitiesTheTrainAnswersUseMost()
    {
        // The 15 most frequent first words of pipeline stages in the train answers must each be documented.
        var counts = new Dictionary<string, int>();
        foreach (var e in JsonlDataset.Load(KitPaths.Split("nl2bash", "train")))
            foreach (var stage in Regex.Split(e.Answer, @"\||;|&&|\$\(|`"))
            {
                var word = stage.Trim().Split(' ', 2)[0];
                if (Regex.IsMatch(word, "^[a-z][a-z0-9]+$")) counts[word] = counts.GetValueOrDefault(word) + 1;
            }
        var top = counts.OrderByDescending(kv => kv.Value).Select(kv => kv.Key).Where(w => w is not ("echo" or "cat" or "do" or "done")).Take(15).ToList();
        var template = TaskTemplates.Get("nl2bash");
        Assert.All(top, utility => Assert.Matches($@"(`|### ){utility}\b", template));
    }

    [Fact]
    public void MbppTemplate_ExplainsTheTestCaseConvention()
    {
        var text = TaskTemplates.Get("mbpp");
        Assert.Contains(TaskFormat.MbppTestsHeader, text);
        Assert.Contains("function name", text);
    }

    [Fact]
    public void Get_MissingTemplate_NamesThePath()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<FileNotFoundException>(() => TaskTemplates.Get("mbpp", dir.Path));
        Assert.Contains(Path.Combine(dir.Path, "mbpp.md"), e.Message);
    }
}
