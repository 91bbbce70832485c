using PromptIntern.Data;
using PromptIntern.Notebooks;
using Xunit;

namespace PromptIntern.Tests.Notebooks;

/// <summary>The numbered notebooks 00–09 (one paper section each, then your own task and when internalization pays) are committed, and each runs to the end on the quick
/// preset and exports something (outputs are not written back; exports go to a temp folder).</summary>
public sealed class KitNotebooksTests
{
    static string Folder => Path.Combine(KitPaths.Root, "notebooks");

    /// <summary>The notebooks the kit promises, in reading order (notebooks/README.md lists what each shows).</summary>
    public static readonly string[] Expected =
    [
        "00-setup-and-data.ipynb", "01-template-compression.ipynb", "02-few-shot-absorption.ipynb", "03-progressive-schedules.ipynb",
        "04-main-results.ipynb", "05-ablations.ipynb", "06-latency-and-cost.ipynb", "07-bring-your-own-model.ipynb",
        "08-your-own-task.ipynb", "09-when-it-pays.ipynb",
    ];

    public static TheoryData<string> Notebooks() => new(Expected);

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void CommittedNotebook_LoadsPlotlyFromTheFileBesideIt_AndStaysSmall(string name)
    {
        var text = File.ReadAllText(Path.Combine(Folder, name));
        Assert.DoesNotContain("window.__promptinternPlotly", text);
        Assert.Single(text.Split("src=\\\"" + NotebookChartHtml.PlotlyScriptFile + "\\\"")[1..]);
        Assert.True(File.Exists(Path.Combine(Folder, NotebookChartHtml.PlotlyScriptFile)));
        Assert.InRange(text.Length, 1_000, 200_000);
    }

    [Fact]
    public void EveryNumberedNotebook_IsPresent_AndNoOtherNotebookIsUntested()
    {
        var found = NotebookRunner.Expand([Folder]).Select(p => Path.GetFileName(p)).ToArray();
        Assert.Equal(Expected, found);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_RunsToTheEnd_OnQuickPreset_AndExports(string name)
    {
        // Exports go to a temp folder so a test run leaves the committed results/ untouched.
        var results = Directory.CreateTempSubdirectory("promptintern-nbresults-").FullName;
        try
        {
            var result = await NotebookRunner.RunAsync(Path.Combine(Folder, name),
                // Outputs are not kept, so no chart PNGs are rendered (NotebookRunnerTests covers them).
                new NotebookRunOptions(NotebookPreset.Quick, WriteOutputs: false, ResultsDirectory: results, ChartImages: false));
            Assert.True(result.CodeCellsRun > 0, $"{name} has no code cells");
            var exported = Directory.EnumerateFiles(results, "*", SearchOption.AllDirectories).ToList();
            // Every notebook records how its numbers were made and writes at least one table as Markdown.
            Assert.Contains(exported, f => Path.GetFileName(f).StartsWith("provenance", StringComparison.Ordinal) && f.EndsWith(".json", StringComparison.Ordinal));
            Assert.Contains(exported, f => f.EndsWith(".md", StringComparison.Ordinal));
            // Committed outputs load only the basic plotly.js bundle (the file beside the notebooks), which draws these trace types.
            Assert.NotEmpty(result.ChartTraceTypes!);
            Assert.All(result.ChartTraceTypes!, t => Assert.Contains(t, NotebookChartHtml.BasicTraceTypes));
        }
        finally { Directory.Delete(results, recursive: true); }
    }
}
