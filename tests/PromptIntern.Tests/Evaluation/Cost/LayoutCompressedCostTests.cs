using PromptIntern.Compression;
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
        var compressor = new EveryOtherLine();

        var layouts = LayoutCostComparison.Compare("nl2bash", rows, template, _ => [], Price, 10, keepRate: 0.4, compressor: compressor,
            forcedSpans: ["### Answer:"]);

        Assert.Equal([LayoutCostComparison.Full, LayoutCostComparison.TemplateCompressed, LayoutCostComparison.QueryOnly], layouts.Select(l => l.Layout));
        Assert.Equal(0.4, compressor.Asked!.KeepRate);
        Assert.Equal([System.Text.RegularExpressions.Regex.Escape("### Answer:")], compressor.Asked.ForceKeep);
        Assert.Equal(CostTokenizer.Cl100k.CountTokens(EveryOtherLine.Keep(template)), layouts[1].TemplateTokens);
        Assert.Contains("every-other-line", layouts[1].Description);
        Assert.Equal(1 - layouts[1].InputTokensPerQuery / layouts[0].InputTokensPerQuery, layouts[1].InputSavingVsFull, 9);
    }

    /// <summary>A stand-in compressor: keeps every other line, so its output differs from a token-prefix truncation.</summary>
    sealed class EveryOtherLine : IPromptCompressor
    {
        public CompressionRequest? Asked { get; private set; }

        public string Name => "every-other-line";

        public static string Keep(string text) => string.Join("\n", text.Split('\n').Where((_, i) => i % 2 == 0));

        public CompressionResult Compress(CompressionRequest request)
        {
            Asked = request;
            var kept = Keep(request.Instruction);
            return new CompressionResult
            {
                CompressedPrompt = kept, OriginTokens = 0, CompressedTokens = 0, Tokenizer = "none", Method = Name, KeepRate = request.KeepRate,
                TargetTokens = 0,
            };
        }
    }
}
