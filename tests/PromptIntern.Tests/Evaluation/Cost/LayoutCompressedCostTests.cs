using PromptIntern.Data;
using PromptIntern.Evaluation.Cost;
using PromptIntern.Prompts;
using PromptIntern.Text;
using Xunit;

namespace PromptIntern.Tests.Evaluation.Cost;

public class LayoutCompressedCostTests
{
    static readonly ModelPrice Price = new("m", "M", "m", true, "cl100k_base", 3.0, 6.0, "test", new DateOnly(2024, 7, 1));

    [Fact]
    public void LayoutComparison_WithACompressor_UsesItsTemplate_ForTheMiddleLayout()
    {
        var rows = new[] { new TaskExample("q1", "count lines in file.txt", "wc -l file.txt") };
        var template = TaskTemplates.Get("nl2bash");
        double? askedRate = null;
        // A stand-in compressor: keeps every other line, so its output differs from a token-prefix truncation.
        string EveryOtherLine(string t, double rate)
        {
            askedRate = rate;
            return string.Join("\n", t.Split('\n').Where((_, i) => i % 2 == 0));
        }

        var layouts = LayoutCostComparison.Compare("nl2bash", rows, template, _ => [], Price, 10, templateKeep: 0.4,
            compressTemplate: EveryOtherLine, compressorName: "every-other-line");

        Assert.Equal([LayoutCostComparison.Full, LayoutCostComparison.TemplateCompressed, LayoutCostComparison.QueryOnly], layouts.Select(l => l.Layout));
        Assert.Equal(0.4, askedRate);
        Assert.Equal(CostTokenizer.Cl100k.CountTokens(EveryOtherLine(template, 0.4)), layouts[1].TemplateTokens);
        Assert.Contains("every-other-line", layouts[1].Description);
        Assert.Equal(1 - layouts[1].InputTokensPerQuery / layouts[0].InputTokensPerQuery, layouts[1].InputSavingVsFull, 9);
    }
}
