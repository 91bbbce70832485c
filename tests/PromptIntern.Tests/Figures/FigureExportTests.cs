using PromptIntern.Figures;
using Xunit;

namespace PromptIntern.Tests.Figures;

public sealed class FigureExportTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("promptintern-figures-").FullName;

    static Plotly.NET.GenericChart SampleChart() => LineCharts.Build(
        "NL2Bash BLEU by template compression rate",
        "template tokens kept (fraction)", "BLEU (%)",
        [
            new LineSeries("PromptIntern (ours, quick)", [0.1, 0.3, 0.5, 1.0], [22.0, 27.5, 29.0, 30.0]),
            new LineSeries("no internalization", [0.1, 0.3, 0.5, 1.0], [12.0, 18.0, 24.0, 30.5]),
        ],
        [new ReferenceLine("paper: PromptIntern (GPT-3.5)", 28.4)]);

    [Fact]
    public void SaveHtml_InlinesPlotlyJs_AndReferencesNoNetwork()
    {
        var path = FigureExporter.SaveHtml(SampleChart(), "bleu", _dir);

        var html = File.ReadAllText(path);
        Assert.Equal(Path.Combine(_dir, "bleu.html"), path);
        Assert.Contains(PlotlyHtml.PlotlyJs[..200], html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("src='http", html);
        Assert.Contains("paper: PromptIntern (GPT-3.5)", html);
        Assert.Contains("template tokens kept (fraction)", html);
    }

    [Fact]
    public void LineChart_DrawsReferenceLineAcrossTheSeriesRange_Dashed()
    {
        var json = Plotly.NET.GenericChart.toChartHTML(SampleChart());

        Assert.Contains("\"name\":\"paper: PromptIntern (GPT-3.5)\"", json);
        Assert.Contains("\"x\":[0.1,1.0],\"y\":[28.4,28.4]", json);
        Assert.Contains("\"dash\":\"dash\"", json);
    }

    [Fact]
    public void LineSeries_WithMismatchedLengths_IsRejectedByName()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            LineCharts.Build("t", "x", "y", [new LineSeries("broken", [1, 2], [1])]));
        Assert.Contains("broken", error.Message);
    }

    [Fact]
    public void SavePng_RendersAValidPng_WhenChromiumIsInstalled()
    {
        if (HeadlessChromium.UnavailableReason() is { } reason)
        {
            // No Skip in xunit 2 without an extra package: the test states why it did not render and checks the message.
            Assert.Throws<ChromiumNotFoundException>(() => FigureExporter.SavePng(SampleChart(), "bleu", _dir));
            Assert.Contains("chromium", reason);
            return;
        }

        var path = FigureExporter.SavePng(SampleChart(), "bleu", _dir, width: 800, height: 480);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        // IHDR holds width and height big-endian at bytes 16..23.
        Assert.Equal(800, ReadInt32BigEndian(bytes, 16));
        Assert.Equal(480, ReadInt32BigEndian(bytes, 20));
        Assert.True(bytes.Length > 10_000, $"a drawn chart compresses to more than a blank page; got {bytes.Length} bytes");
        var copy = Environment.GetEnvironmentVariable("PROMPTINTERN_KEEP_FIGURE");
        if (!string.IsNullOrEmpty(copy)) File.Copy(path, copy, overwrite: true);
    }

    static int ReadInt32BigEndian(byte[] b, int at) => (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
