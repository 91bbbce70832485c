using Deedle;
using PromptIntern.Compression;
using PromptIntern.Figures;
using Xunit;

namespace PromptIntern.Tests.Figures;

/// <summary>The small library types the numbered notebooks stand on: table export, bar charts, kept/dropped views.</summary>
public sealed class NotebookHelpersTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("promptintern-nbhelpers-").FullName;

    static Frame<int, string> Sample() => Frame.FromRecords(new[]
    {
        new { Method = "full-prompt", Bleu = 12.3456, Tokens = 812.0, Note = "a|b" },
        new { Method = "promptintern", Bleu = double.NaN, Tokens = 41.0, Note = "two\nlines" },
    });

    [Fact]
    public void TableExporter_WritesCsvAndMarkdown_WithShortInvariantNumbers_AndEscapedCells()
    {
        var saved = TableExporter.Save(Sample(), "table", _dir, caption: "paper column: the paper's numbers");

        var md = File.ReadAllLines(saved.MarkdownPath);
        Assert.Equal("| Method | Bleu | Tokens | Note |", md[0]);
        Assert.Equal("|---|---|---|---|", md[1]);
        Assert.Equal("| full-prompt | 12.346 | 812 | a\\|b |", md[2]);
        Assert.Equal("| promptintern |  | 41 | two<br>lines |", md[3]);
        Assert.Equal("paper column: the paper's numbers", md[^1]);
        var csv = File.ReadAllLines(saved.CsvPath);
        Assert.StartsWith("Method,Bleu,Tokens,Note", csv[0]);
        Assert.Equal(Path.Combine(_dir, "table.csv"), saved.CsvPath);
    }

    [Fact]
    public void BarChart_PutsEachSeriesOnItsOwnCategories_WithValuesOnBars_AndDashedReference()
    {
        var chart = BarCharts.Build("BLEU by method", "method", "BLEU (%)",
            [new BarSeries("ours (quick)", ["full-prompt", "promptintern"], [12.5, 14.25]), new BarSeries("paper (GPT-4)", ["promptintern"], [70.5])],
            [new ReferenceLine("paper: 90% fewer tokens", 10)]);

        var html = Plotly.NET.GenericChart.toChartHTML(chart);
        Assert.Contains("\"type\":\"bar\"", html);
        Assert.Contains("\"name\":\"paper (GPT-4)\"", html);
        Assert.Contains("\"x\":[\"promptintern\"]", html);
        Assert.Contains("\"14.25\"", html);
        Assert.Contains("\"x\":[\"full-prompt\",\"promptintern\"],\"y\":[10.0,10.0]", html);
        Assert.Contains("\"dash\":\"dash\"", html);
        Assert.Contains("BLEU (%)", html);
    }

    [Fact]
    public void BarSeries_WithMismatchedLengths_IsRejectedByName()
    {
        var error = Assert.Throws<ArgumentException>(() => BarCharts.Build("t", "x", "y", [new BarSeries("broken", ["a", "b"], [1])]));
        Assert.Contains("broken", error.Message);
    }

    [Fact]
    public void CompressionSpansHtml_StrikesDroppedText_KeepsKeptText_AndEncodesIt()
    {
        var original = "keep <this> drop that";
        var result = new CompressionResult
        {
            CompressedPrompt = "keep <this>", OriginTokens = 5, CompressedTokens = 3, Tokenizer = "o200k_base", Method = "test",
            KeepRate = 0.5, TargetTokens = 3, OriginalPrompt = original,
            Spans = [new CompressionSpan(0, 11, true), new CompressionSpan(11, 10, false)],
        };

        var html = CompressionSpansHtml.ToHtml(result);

        Assert.Contains("keep &lt;this&gt;<del style=\"color:#999\"> drop that</del>", html);
        Assert.Contains("3 of 5 o200k_base tokens kept", html);
        Assert.Contains("<title>t</title>", CompressionSpansHtml.ToPage(result, "t"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
