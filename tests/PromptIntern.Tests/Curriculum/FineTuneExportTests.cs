using PromptIntern.Text;
using Xunit;
using System.Text.Json;
using PromptIntern.Curriculum;
using PromptIntern.Data;
using PromptIntern.Scheduling;

namespace PromptIntern.Tests.Curriculum;

public class FineTuneExportTests
{
    static readonly ITokenCounter Tok = CostTokenizer.Get("o200k_base");

    static (StagedCurriculum C, string Dir) Build(int rows = 12)
    {
        var train = CurriculumFixture.Train(rows);
        var c = CurriculumFixture.Builder(train).Build(train, PlanPresets.Default);
        return (c, Directory.CreateTempSubdirectory("curriculum-").FullName);
    }

    [Fact]
    public void OpenAiExport_EveryLineIsAChatExample_SystemOnlyWhileTheTemplateIsKept()
    {
        var (c, dir) = Build();
        foreach (var stage in c.Stages)
        {
            var path = FineTuneExporter.WriteStage(stage, dir, FineTuneFormat.OpenAi);
            Assert.Equal(stage.Name + ".jsonl", Path.GetFileName(path));
            var lines = File.ReadAllLines(path);
            Assert.Equal(stage.Items.Count, lines.Length);
            for (int i = 0; i < lines.Length; i++)
            {
                using var doc = JsonDocument.Parse(lines[i]);
                var roles = doc.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()).ToArray();
                Assert.Equal(stage.Stage.KeepsTemplate ? ["system", "user", "assistant"] : new[] { "user", "assistant" }, roles);
                var msgs = doc.RootElement.GetProperty("messages").EnumerateArray().ToArray();
                Assert.Equal(stage.Items[i].Answer, msgs[^1].GetProperty("content").GetString());
                Assert.All(msgs, m => Assert.False(string.IsNullOrWhiteSpace(m.GetProperty("content").GetString())));
            }
            var report = FineTuneValidator.ValidateFile(path, FineTuneFormat.OpenAi, Tok);
            Assert.True(report.IsValid, string.Join("; ", report.Issues));
            Assert.Equal(12, report.Examples);
        }
    }

    [Fact]
    public void TrlExport_EveryLineHasPromptAndCompletion()
    {
        var (c, dir) = Build();
        var path = FineTuneExporter.WriteStage(c.Stages[1], dir, FineTuneFormat.Trl);
        var lines = File.ReadAllLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            Assert.Equal(["prompt", "completion"], doc.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.EndsWith("### Answer:\n", doc.RootElement.GetProperty("prompt").GetString());
            Assert.StartsWith(c.Stages[1].Template, doc.RootElement.GetProperty("prompt").GetString());
            Assert.Equal(c.Stages[1].Items[i].Answer, doc.RootElement.GetProperty("completion").GetString());
        }
        Assert.True(FineTuneValidator.ValidateFile(path, FineTuneFormat.Trl, Tok).IsValid);
    }

    static string Chat(params (string Role, string Content)[] m) =>
        JsonSerializer.Serialize(new { messages = m.Select(x => new { role = x.Role, content = x.Content }) });

    static IEnumerable<string> Good(int n) => Enumerable.Range(0, n).Select(i => Chat(("user", $"q{i}"), ("assistant", $"a{i}")));

    [Fact]
    public void Validator_ReportsEachBrokenRule_WithItsLineAndField()
    {
        string[] lines =
        [
            .. Good(10),
            Chat(("robot", "q"), ("assistant", "a")),
            Chat(("user", ""), ("assistant", "a")),
            Chat(("user", "q")),
            """{"messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}], "id": 3}""",
            "{not json",
        ];
        var r = FineTuneValidator.Validate(lines, "f.jsonl", FineTuneFormat.OpenAi, Tok);
        Assert.Contains(new FineTuneIssue(11, "messages[0].role", "must be one of system, user, assistant"), r.Issues);
        Assert.Contains(r.Issues, i => i is { Line: 12, Field: "messages[0].content" });
        Assert.Contains(r.Issues, i => i is { Line: 13, Field: "messages" });
        Assert.Contains(r.Issues, i => i is { Line: 14, Field: "id" });
        Assert.Contains(r.Issues, i => i is { Line: 15, Field: "(json)" });
        Assert.Equal(10, r.Examples);
        var e = Assert.Throws<DataFormatException>(() => r.ThrowIfInvalid());
        Assert.Equal(("f.jsonl", 11), (e.File, e.Line));
    }

    [Fact]
    public void Validator_NeedsTenExamples_AndEnforcesTheTokenLimit()
    {
        var few = FineTuneValidator.Validate(Good(9), "f", FineTuneFormat.OpenAi, Tok);
        Assert.Contains(few.Issues, i => i is { Line: 0, Field: "(file)" });
        var limited = FineTuneValidator.Validate(Good(10), "f", FineTuneFormat.OpenAi, Tok, new FineTuneLimits(MaxTokensPerExample: 5));
        Assert.Equal(10, limited.Issues.Count(i => i.Field == "(example)"));
    }

    [Fact]
    public void Validator_CountsTokensAsOpenAisCookbook()
    {
        var r = FineTuneValidator.Validate(Good(10).Take(10), "f", FineTuneFormat.OpenAi, Tok);
        int one = 3 + (3 + Tok.CountTokens("user") + Tok.CountTokens("q0")) + (3 + Tok.CountTokens("assistant") + Tok.CountTokens("a0"));
        Assert.Equal(one, FineTuneValidator.ChatTokens([("user", "q0"), ("assistant", "a0")], Tok));
        Assert.Equal(10 * one, r.TotalTokens);
        Assert.Equal(one, r.MaxExampleTokens);
    }
}
