using PromptIntern.Compression;
using PromptIntern.Data;
using Xunit;

namespace PromptIntern.Tests.Compression;

public class ContextSelectionTests
{
    static readonly List<TaskExample> Examples = JsonlDataset.Load(KitPaths.Split(TaskName.Nl2Bash, "train"))
        .Where((_, i) => i % 797 == 0).Take(12).ToList(); // spread out: the split is sorted, neighbours are near-duplicates

    static CompressionRequest Request(double rate, string question) => new()
    {
        Instruction = "Translate the request into one Bash command line. Write the command only.",
        Contexts = Examples.Select(e => $"### Query:\n{e.Query}\n### Answer:\n{e.Answer}").ToList(),
        Question = question,
        KeepRate = rate,
    };

    [Theory]
    [InlineData(Compressors.LlmLingua)]
    [InlineData(Compressors.LongLlmLingua)]
    public void Compress_WithDemonstrations_MeetsTheRate(string method)
    {
        var c = Compressors.Create(method, CompressionFixture.Scorer);
        foreach (var rate in new[] { 0.6, 0.3, 0.15 })
        {
            var r = c.Compress(Request(rate, Examples[7].Query));
            Assert.InRange(r.CompressedTokens, r.OriginTokens * (rate - 0.02), r.OriginTokens * (rate + 0.02));
            Assert.EndsWith(Examples[7].Query.Trim(), r.CompressedPrompt);
        }
    }

    [Fact]
    public void LongLlmLingua_PutsTheDemonstrationThatAnswersTheQuestionFirst()
    {
        // the question repeats one demonstration's query: that demonstration predicts it best, so it is emitted first
        var target = Examples[7];
        var r = Compressors.Create(Compressors.LongLlmLingua, CompressionFixture.Scorer).Compress(Request(0.6, target.Query));
        var firstDemonstration = r.CompressedPrompt.Split("\n\n")[1];
        var source = Examples.MaxBy(e => Overlap(firstDemonstration, e.Query + " " + e.Answer));
        Assert.Same(target, source);
    }

    // fraction of the block's words that occur in the text
    static double Overlap(string block, string text)
    {
        var words = block.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length > 2 && !w.StartsWith("###")).ToList();
        return words.Count == 0 ? 0 : words.Count(text.Contains) / (double)words.Count;
    }
}
