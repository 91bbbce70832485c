using PromptIntern.Data;
using PromptIntern.Experiments;
using PromptIntern.Prompts;
using PromptIntern.Text;
using Xunit;
using Xunit.Abstractions;

namespace PromptIntern.Tests.Experiments;

public class AnswerLengthCapTests(ITestOutputHelper log)
{
    static int CapFor(string task, int presetCap)
    {
        var tokenizer = ModelTokenizer.Load(Path.Combine(KitPaths.Data, "models", "tiny"));
        var answers = JsonlDataset.Load(KitPaths.Split(task, "train")).Select(e => TaskFormat.AnswerText(task, e));
        return AnswerLengthCap.For(answers, tokenizer, presetCap, contextTokens: 1024);
    }

    [Fact]
    public void Mbpp_CapCoversItsLongAnswers_Nl2BashKeepsThePresetCap()
    {
        int mbpp = CapFor(TaskName.Mbpp, 48), bash = CapFor(TaskName.Nl2Bash, 48);
        log.WriteLine($"quick preset caps with the tiny model's tokenizer: mbpp {mbpp}, nl2bash {bash}");
        Assert.InRange(mbpp, 150, 512);
        Assert.Equal(48, bash);
    }

    [Fact]
    public void Cap_NeverTakesMoreThanHalfTheContext()
    {
        var answers = Enumerable.Repeat(new string('x', 5000), 10);
        Assert.Equal(64, AnswerLengthCap.For(answers, new ByteTokenizer(), presetCap: 16, contextTokens: 128));
        Assert.Equal(16, AnswerLengthCap.For([], new ByteTokenizer(), presetCap: 16, contextTokens: 128));
    }
}
