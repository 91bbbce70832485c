using PromptIntern.Data;
using PromptIntern.Notebooks;
using Xunit;

namespace PromptIntern.Tests.Notebooks;

/// <summary>Every committed notebook under notebooks/ runs to the end on the quick preset and exports something
/// (outputs are not written back; exports go to a temp folder).</summary>
public sealed class KitNotebooksTests
{
    static string Folder => Path.Combine(KitPaths.Root, "notebooks");

    static string[] Found() =>
        Directory.Exists(Folder) ? NotebookRunner.Expand([Folder]).Select(p => Path.GetFileName(p)).ToArray() : [];

    // xunit fails a theory without data, so an empty folder yields one "" row that checks the folder really is empty.
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        var found = Found();
        if (found.Length == 0) data.Add("");
        foreach (var name in found) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_RunsToTheEnd_OnQuickPreset(string name)
    {
        if (name == "")
        {
            Assert.Empty(Found());
            return;
        }
        // Exports go to a temp folder so a test run leaves the committed results/ untouched.
        var results = Directory.CreateTempSubdirectory("promptintern-nbresults-").FullName;
        try
        {
            var result = await NotebookRunner.RunAsync(Path.Combine(Folder, name),
                new NotebookRunOptions(NotebookPreset.Quick, WriteOutputs: false, ResultsDirectory: results));
            Assert.True(result.CodeCellsRun > 0, $"{name} has no code cells");
            Assert.NotEmpty(Directory.EnumerateFiles(results, "*", SearchOption.AllDirectories));
        }
        finally { Directory.Delete(results, recursive: true); }
    }
}
