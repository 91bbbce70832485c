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
            Code($"{Reference("Deedle.dll")}\n{Reference("Plotly.NET.dll")}\n{Reference("Plotly.NET.CSharp.dll")}\n{Reference("PromptIntern.dll")}\n" +
                 "var preset = Environment.GetEnvironmentVariable(\"PROMPTINTERN_PRESET\") ?? \"quick\";\n" +
                 "var shared = 20;\nConsole.WriteLine($\"preset={preset}\");\nConsole.WriteLine(System.IO.File.ReadAllText(\"input.txt\"));"),
            Code("display(\"shown by display\");\nshared * 2 + 2"),
            Code("var frame = Deedle.Frame.FromRecords(new[] { new { Rate = 0.5, Bleu = 31.25 }, new { Rate = 0.25, Bleu = 29.5 } });\nframe"),
            Code("using PromptIntern.Experiments.Figures;\n" +
                 "LineCharts.Build(\"t\", \"rate (fraction)\", \"BLEU (%)\", new[] { new LineSeries(\"ours\", new[] { 0.1, 0.5 }, new[] { 20.0, 30.0 }) })"),
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
        Assert.Equal(4, run.Result.CodeCellsRun);
        var counts = Cells.Where(c => (string?)c!["cell_type"] == "code").Select(c => (int?)c!["execution_count"]);
        Assert.Equal([1, 2, 3, 4], counts);
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

    [Fact]
    public void Run_RendersPlotlyChart_WithPlotlyJsInlined()
    {
        var result = Assert.Single(Outputs(Cells[4]!));
        var html = Joined(result["data"]!["text/html"]);
        Assert.Contains(PromptIntern.Experiments.Figures.PlotlyHtml.PlotlyJs[..200], html);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("rate (fraction)", html);
        Assert.DoesNotContain("src=\"http", html);
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
        Assert.Equal(8, run.Progress.Count);
        Assert.Equal([2, 2, 3, 3, 4, 4, 5, 5], run.Progress.Select(p => p.CellNumber));
        Assert.All(run.Progress.Where(p => p.Finished), p => Assert.True(p.Elapsed > TimeSpan.Zero));
        Assert.StartsWith("var frame = Deedle.Frame.FromRecords", run.Progress[4].FirstLine);
        Assert.EndsWith("...", run.Progress[4].FirstLine);
        Assert.Equal(60, run.Progress[4].FirstLine.Length);
    }
}
