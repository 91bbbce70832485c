using PromptIntern.Data;
using PromptIntern.Training;
using Xunit;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;

namespace PromptIntern.Tests.Training;

public class TrainingDataTests
{
    [Fact]
    public void LoadJsonl_ReadsPromptCompletionAndChatRows()
    {
        var path = Path.Combine(TempDir(), "sft.jsonl");
        File.WriteAllLines(path, [
            "{\"prompt\": \"list files\", \"completion\": \"ls\"}",
            "",
            "{\"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"where am I\"}, {\"role\": \"assistant\", \"content\": \"pwd\"}]}",
        ]);
        var pairs = TrainingData.LoadJsonl(path);
        Assert.Equal(new TrainingPair("list files", "ls"), pairs[0]);
        Assert.Equal("pwd", pairs[1].Completion);
        Assert.Contains("Be brief.", pairs[1].Prompt);
        Assert.Contains("where am I", pairs[1].Prompt);
    }

    [Fact]
    public void LoadJsonl_BadRow_NamesFileLineAndField()
    {
        var path = Path.Combine(TempDir(), "bad.jsonl");
        File.WriteAllLines(path, ["{\"prompt\": \"a\", \"completion\": \"b\"}", "{\"prompt\": \"a\"}"]);
        var e = Assert.Throws<DataFormatException>(() => TrainingData.LoadJsonl(path));
        Assert.Equal(2, e.Line);
        Assert.Equal("completion", e.Field);
    }
}
