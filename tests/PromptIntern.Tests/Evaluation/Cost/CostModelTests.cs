using PromptIntern.Data;
using PromptIntern.Evaluation.Cost;
using PromptIntern.Prompts;
using PromptIntern.Text;
using Xunit;

namespace PromptIntern.Tests.Evaluation.Cost;

public class CostModelTests
{
    static readonly ModelPrice Price = new("m", "M", "m", true, "cl100k_base", 3.0, 6.0, "test", new DateOnly(2024, 7, 1));

    [Fact]
    public void Estimate_MultipliesTokensQueriesAndPricePerMillion()
    {
        var c = CostModel.Estimate(Price, "cl100k_base", inputTokensPerQuery: 1000, outputTokensPerQuery: 50, queries: 1_000_000);
        Assert.Equal(3000.0, c.InputCost, 6);   // 1e6 queries × 1000 tokens × $3 / 1e6
        Assert.Equal(300.0, c.OutputCost, 6);   // 1e6 × 50 × $6 / 1e6
        Assert.Equal(3300.0, c.TotalCost, 6);
        Assert.Equal(0.0033, c.CostPerQuery, 9);
        Assert.Equal("cl100k_base", c.Tokenizer);
    }

    [Fact]
    public void Estimate_ZeroQueriesCostNothing_NegativeIsRejected()
    {
        Assert.Equal(0, CostModel.Estimate(Price, "cl100k_base", 100, 10, 0).TotalCost);
        Assert.Throws<ArgumentOutOfRangeException>(() => CostModel.Estimate(Price, "cl100k_base", -1, 10, 5));
    }

    [Fact]
    public void Saving_IsTheFractionRemoved()
    {
        Assert.Equal(0.883, CostModel.Saving(1000, 117), 9);
        Assert.Equal(0, CostModel.Saving(0, 5));
    }

    [Fact]
    public void LayoutComparison_QueryOnlyIsCheapest_AndSavingsAreConsistent()
    {
        var rows = new[] { new TaskExample("q1", "count lines in file.txt", "wc -l file.txt"), new TaskExample("q2", "list all files", "ls -a") };
        var train = new[] { new TaskExample("t1", "remove empty directories", "find . -type d -empty -delete") };
        var template = TaskTemplates.Get("nl2bash");
        var layouts = LayoutCostComparison.Compare("nl2bash", rows, template, e => FirstShots.Select("nl2bash", train, 1, e.Id), Price, 1000, keepRate: 0.3);

        Assert.Equal([LayoutCostComparison.Full, LayoutCostComparison.TemplateTruncated, LayoutCostComparison.QueryOnly], layouts.Select(l => l.Layout));
        var (full, cut, query) = (layouts[0], layouts[1], layouts[2]);
        Assert.Equal(CostTokenizer.Cl100k.CountTokens(template), full.TemplateTokens);
        Assert.InRange(cut.TemplateTokens, 0.3 * full.TemplateTokens - 2, 0.3 * full.TemplateTokens);
        Assert.True(full.InputTokensPerQuery > cut.InputTokensPerQuery && cut.InputTokensPerQuery > query.InputTokensPerQuery);
        Assert.Equal(0, query.TemplateTokens + query.ExampleTokens);
        Assert.Equal(1 - query.InputTokensPerQuery / full.InputTokensPerQuery, query.InputSavingVsFull, 9);
        Assert.Equal(full.Cost.OutputCost, query.Cost.OutputCost, 9); // same answers either way
        double expectedOut = rows.Average(r => CostTokenizer.Cl100k.CountTokens(r.Answer));
        Assert.Equal(expectedOut, full.Cost.OutputTokensPerQuery, 9);
    }
}
