using System.Text.Json.Nodes;
using PromptIntern.Notebooks;
using Xunit;
using static PromptIntern.Tests.Notebooks.NotebookFiles;

namespace PromptIntern.Tests.Notebooks;

/// <summary>Runs one small notebook once (kernel start-up is the slow part) and lets each test check the written file.</summary>
public sealed class SampleNotebookRun : IAsyncLifetime
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("promptintern-nb-").FullName;
    public string Path { get; private set; } = "";
    public NotebookRunResult Result { get; private set; } = null!;
    public List<CellProgress> Progress { get; } = [];

    public async Task InitializeAsync()
    {
        File.WriteAllText(System.IO.Path.Combine(Folder, "input.txt"), "read relative to the notebook");
        Path = Write(Folder, "01-sample.ipynb",
        [
            Markdown("# Sample\nTwo cells share state; a display, a Deedle frame and a Plotly chart."),
            Code($"{Reference("Deedle.dll")}\n{Reference("Plotly.NET.dll")}\n{Reference("Plotly.NET.CSharp.dll")}\n{Reference("PromptIntern.dll")}\n{Reference("PromptIntern.Figures.dll")}\n" +
                 "var preset = Environment.GetEnvironmentVariable(\"PROMPTINTERN_PRESET\") ?? \"quick\";\n" +
                 "var shared = 20;\nConsole.WriteLine($\"preset={preset}\");\nConsole.WriteLine(System.IO.File.ReadAllText(\"input.txt\"));"),
            Code("display(\"shown by display\");\nshared * 2 + 2"),
            Code("var frame = Deedle.Frame.FromRecords(new[] { new { Rate = 0.5, Bleu = 31.25 }, new { Rate = 0.25, Bleu = 29.5 } });\nframe"),
            Code("using PromptIntern.Figures;\n" +
                 "LineCharts.Build(\"t\", \"rate (fraction)\", \"BLEU (%)\", new[] { new LineSeries(\"ours\", new[] { 0.1, 0.5 }, new[] { 20.0, 30.0 }) })"),
            Code("display(BarCharts.Build(\"second chart\", \"method\", \"input tokens (count)\", new[] { new BarSeries(\"ours\", new[] { \"full\", \"query\" }, new[] { 310.0, 42.0 }) }));"),
        ]);
        var progress = new InlineProgress(Progress.Add);
        Result = await NotebookRunner.RunAsync(Path, new NotebookRunOptions(Preset: "full"), progress);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    sealed class InlineProgress(Action<CellProgress> report) : IProgress<CellProgress>
    {
        public void Report(CellProgress value) => report(value);
    }
}

public sealed class NotebookRunnerTests(SampleNotebookRun run) : IClassFixture<SampleNotebookRun>
{
    JsonArray Cells => NotebookFiles.Cells(run.Path);

    static IEnumerable<JsonObject> Outputs(JsonNode cell) => cell["outputs"]!.AsArray().Select(o => o!.AsObject());

    [Fact]
    public void Run_ExecutesEveryCodeCell_InOrder_WithExecutionCounts()
    {
        Assert.Equal(5, run.Result.CodeCellsRun);
        var counts = Cells.Where(c => (string?)c!["cell_type"] == "code").Select(c => (int?)c!["execution_count"]);
        Assert.Equal([1, 2, 3, 4, 5], counts);
        Assert.Null(Cells[0]!["outputs"]);
    }

    [Fact]
    public void Run_WritesStdout_AsStreamOutput_WithPresetAndNotebookFolderAsWorkingDirectory()
    {
        var stream = Assert.Single(Outputs(Cells[1]!));
        Assert.Equal("stream", (string?)stream["output_type"]);
        Assert.Equal("stdout", (string?)stream["name"]);
        Assert.Equal("preset=full\nread relative to the notebook\n", Joined(stream["text"]));
    }

    [Fact]
    public void Run_SharesStateAcrossCells_AndWritesDisplayAndResult()
    {
        var outputs = Outputs(Cells[2]!).ToList();
        Assert.Equal(["display_data", "execute_result"], outputs.Select(o => (string?)o["output_type"]));
        Assert.Equal("shown by display", Joined(outputs[0]["data"]!["text/plain"]));
        Assert.Equal("42", Joined(outputs[1]["data"]!["text/plain"]));
        Assert.Contains("42", Joined(outputs[1]["data"]!["text/html"]));
        Assert.Equal(2, (int?)outputs[1]["execution_count"]);
    }

    [Fact]
    public void Run_RendersDeedleFrame_AsHtmlTable()
    {
        var result = Assert.Single(Outputs(Cells[3]!));
        var html = Joined(result["data"]!["text/html"]);
        Assert.Contains("<th>Rate</th><th>Bleu</th>", html);
        Assert.Contains("<td>31.25</td>", html);
        Assert.Contains("Bleu", Joined(result["data"]!["text/plain"]));
    }

    const string LoaderMarker = "window.__promptinternPlotly = true";

    List<JsonObject> ChartOutputs() => [Assert.Single(Outputs(Cells[4]!)), Assert.Single(Outputs(Cells[5]!))];

    [Fact]
    public void Run_LoadsPlotlyJsOnce_FromTheFileBesideTheNotebook_AndEveryChartDrawsWithIt()
    {
        var html = ChartOutputs().Select(o => Joined(o["data"]!["text/html"])).ToList();
        Assert.DoesNotContain(LoaderMarker, File.ReadAllText(run.Path));
        Assert.StartsWith(NotebookChartHtml.PlotlyScriptReference, html[0]);
        Assert.DoesNotContain(NotebookChartHtml.PlotlyScriptFile, html[1]);
        Assert.Equal(NotebookChartHtml.PlotlyLoaderScript, File.ReadAllText(Path.Combine(run.Folder, NotebookChartHtml.PlotlyScriptFile)));
        Assert.All(html, h => Assert.Contains("Plotly.newPlot(div, figure.data, figure.layout, figure.config)", h));
        Assert.All(html, h => Assert.Contains("if (!window.Plotly) { setTimeout(draw, 100); return; }", h));
        Assert.Contains("rate (fraction)", html[0]);
        Assert.Contains("input tokens (count)", html[1]);
        Assert.All(html, h => Assert.DoesNotContain("src=\"http", h));
        // Without plotly.js inside, the notebook is its code, tables, chart figures and PNGs: tens of KB.
        Assert.InRange(new FileInfo(run.Path).Length, 5_000, 100_000);
    }

    [Fact]
    public void Run_GivesEveryChart_HtmlAndPng_AsJupyterExpects()
    {
        foreach (var output in ChartOutputs())
        {
            var data = output["data"]!.AsObject();
            Assert.Contains("text/html", data.Select(p => p.Key));
            Assert.Contains("text/plain", data.Select(p => p.Key));
            if (run.Result.ChartImagesSkipped is { } reason)
            {
                // No Chromium on this machine: the run says why instead of failing.
                Assert.Contains("chromium", reason, StringComparison.OrdinalIgnoreCase);
                Assert.False(data.ContainsKey("image/png"));
                continue;
            }
            // nbformat: image/png is one base64 string. The PNG comes from a page that loads plotly.js through the same
            // loader as the notebook, so a drawn chart also proves the loader decodes.
            var png = Convert.FromBase64String(data["image/png"]!.GetValue<string>());
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            // A palette PNG (small); a drawn chart has axes, text and traces in many shades, a blank page one colour.
            var plte = png.AsSpan().IndexOf("PLTE"u8);
            Assert.True(plte > 0, "expected a palette PNG");
            Assert.InRange(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(plte - 4)) / 3, 32, 256);
            Assert.InRange(png.Length, 2_000, 40_000);
        }
    }

    static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    [Fact]
    public void Run_WritesPolyglotMetadata()
    {
        var notebook = JsonNode.Parse(File.ReadAllText(run.Path))!;
        Assert.Equal(".net-csharp", (string?)notebook["metadata"]!["kernelspec"]!["name"]);
        var cell = Cells[1]!;
        Assert.Equal("csharp", (string?)cell["metadata"]!["polyglot_notebook"]!["kernelName"]);
        Assert.Equal("csharp", (string?)cell["metadata"]!["dotnet_interactive"]!["language"]);
    }

    [Fact]
    public void Run_ReportsProgress_BeforeAndAfterEachCodeCell()
    {
        Assert.Equal(10, run.Progress.Count);
        Assert.Equal([2, 2, 3, 3, 4, 4, 5, 5, 6, 6], run.Progress.Select(p => p.CellNumber));
        Assert.All(run.Progress.Where(p => p.Finished), p => Assert.True(p.Elapsed > TimeSpan.Zero));
        Assert.StartsWith("var frame = Deedle.Frame.FromRecords", run.Progress[4].FirstLine);
        Assert.EndsWith("...", run.Progress[4].FirstLine);
        Assert.Equal(60, run.Progress[4].FirstLine.Length);
    }
}
