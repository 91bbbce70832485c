using PromptIntern.Notebooks;
using Xunit;
using static PromptIntern.Tests.Notebooks.NotebookFiles;

namespace PromptIntern.Tests.Notebooks;

public sealed class BadNotebookTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("promptintern-badnb-").FullName;

    [Fact]
    public async Task InvalidJson_FailsNamingTheFileAndLine()
    {
        var path = Path.Combine(_dir, "broken.ipynb");
        File.WriteAllText(path, "{\n \"cells\": [\n  {\"cell_type\": \"code\",, }\n ]\n}");

        var error = await Assert.ThrowsAsync<NotebookFormatException>(() => NotebookRunner.RunAsync(path));

        Assert.Equal(path, error.Notebook);
        Assert.Contains("broken.ipynb", error.Message);
        Assert.Contains("invalid JSON at line 3", error.Message);
    }

    [Fact]
    public async Task PythonKernelspec_IsRejected_NamingTheKernel()
    {
        var path = Write(_dir, "python.ipynb", [Code("print(1)")], kernelSpec: "python3");

        var error = await Assert.ThrowsAsync<NotebookFormatException>(() => NotebookRunner.RunAsync(path));

        Assert.Contains("python.ipynb", error.Message);
        Assert.Contains("'python3'", error.Message);
        Assert.Contains(".net-csharp", error.Message);
    }

    [Fact]
    public async Task FSharpCell_IsRejected_NamingTheCell()
    {
        var fsharp = Code("printfn \"hi\"");
        fsharp["metadata"]!["polyglot_notebook"]!["kernelName"] = "fsharp";
        fsharp["metadata"]!["dotnet_interactive"]!["language"] = "fsharp";
        var path = Write(_dir, "mixed.ipynb", [Markdown("# t"), Code("1"), fsharp]);

        var error = await Assert.ThrowsAsync<NotebookFormatException>(() => NotebookRunner.RunAsync(path));

        Assert.Contains("mixed.ipynb: cell 3 uses kernel 'fsharp'", error.Message);
    }

    [Fact]
    public async Task ThrowingCell_StopsTheRun_NamesNotebookCellAndException_AndRecordsTheError()
    {
        var path = Write(_dir, "throws.ipynb",
        [
            Markdown("# fails in the second code cell"),
            Code("var ok = 1;"),
            Code("// cause\nthrow new InvalidOperationException(\"cache is empty\");"),
            Code("Console.WriteLine(\"never runs\");"),
        ]);

        var error = await Assert.ThrowsAsync<NotebookExecutionException>(() => NotebookRunner.RunAsync(path));

        Assert.Equal(path, error.Notebook);
        Assert.Equal(3, error.CellNumber);
        Assert.Contains("InvalidOperationException: cache is empty", error.Error);
        Assert.Contains("throws.ipynb: cell 3 (// cause) failed", error.Message);
        var cells = Cells(path);
        var failed = Assert.Single(cells[2]!["outputs"]!.AsArray());
        Assert.Equal("error", (string?)failed!["output_type"]);
        Assert.Contains("cache is empty", (string?)failed["evalue"]);
        Assert.Empty(cells[3]!["outputs"]!.AsArray());
        Assert.Null((int?)cells[3]!["execution_count"]);
    }

    [Fact]
    public async Task CompileError_ReportsTheDiagnostic_AndLeavesTheFileUnchanged_WithNoWrite()
    {
        var path = Write(_dir, "typo.ipynb", [Code("var x = undefinedName + 1;")]);
        var before = File.ReadAllText(path);

        var error = await Assert.ThrowsAsync<NotebookExecutionException>(() =>
            NotebookRunner.RunAsync(path, new NotebookRunOptions(WriteOutputs: false)));

        Assert.Equal(1, error.CellNumber);
        Assert.Contains("CS0103", error.Error);
        Assert.Contains("undefinedName", error.Error);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public async Task UnknownPreset_IsRejected()
    {
        var path = Write(_dir, "p.ipynb", [Code("1")]);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => NotebookRunner.RunAsync(path, new NotebookRunOptions("medium")));
        Assert.Contains("medium", error.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
