using PromptIntern.Data;
using PromptIntern.Notebooks;
using Xunit;
using static PromptIntern.Tests.Notebooks.NotebookFiles;

namespace PromptIntern.Tests.Notebooks;

/// <summary>notebooks/kit.csx (the first cell of every notebook) loads the built kit, TorchSharp natives included.</summary>
public sealed class KitScriptTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("promptintern-kit-").FullName;

    [Fact]
    public async Task KitScript_LoadsLibraryDeedlePlotlyAndTorch_FromTheBuildFolder()
    {
        // A copy of the kit's layout: notebooks/kit.csx beside a link to the real src/ (whose CLI build holds the kit).
        var notebooks = Directory.CreateDirectory(Path.Combine(_root, "notebooks")).FullName;
        File.Copy(Path.Combine(KitPaths.Root, "notebooks", "kit.csx"), Path.Combine(notebooks, "kit.csx"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "src"), Path.Combine(KitPaths.Root, "src"));
        var path = Write(notebooks, "00-kit.ipynb",
        [
            Code("#load \"kit.csx\"\nusing PromptIntern.Figures;\nConsole.WriteLine($\"preset={preset}\");"),
            Code("Console.WriteLine(TorchSharp.torch.ones(3).sum().item<float>());"),
            Code("var frame = Deedle.Frame.FromRecords(new[] { new { Rate = 0.5 } });\nConsole.WriteLine(FrameHtml.ToHtml(frame).Contains(\"<th>Rate</th>\"));"),
            Code("var chart = LineCharts.Build(\"t\", \"x (s)\", \"y (%)\", new[] { new LineSeries(\"a\", new[] { 1.0, 2 }, new[] { 1.0, 2 }) });\n" +
                 "Console.WriteLine(PlotlyHtml.ToStandaloneHtml(chart).Contains(\"plotly.js v2.28.0\"));"),
        ]);

        await NotebookRunner.RunAsync(path);

        var cells = Cells(path);
        Assert.Equal("preset=quick\n", Joined(cells[0]!["outputs"]![0]!["text"]));
        Assert.Equal("3\n", Joined(cells[1]!["outputs"]![0]!["text"]));
        Assert.Equal("True\n", Joined(cells[2]!["outputs"]![0]!["text"]));
        Assert.Equal("True\n", Joined(cells[3]!["outputs"]![0]!["text"]));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
