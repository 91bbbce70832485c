using System.CommandLine;
using PromptIntern.Notebooks;
using Spectre.Console;

namespace PromptIntern.Cli.Verbs;

/// <summary><c>promptintern notebooks run</c>: executes the Polyglot notebooks headless and writes their outputs back.</summary>
public sealed class NotebooksVerb : IVerb
{
    public Command Build()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "notebooks or folders (a folder runs its *.ipynb in name order); default: notebooks/",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var preset = new Option<string>("--preset")
        {
            Description = "quick (small CPU runs) or full (reads GPU results); the notebook sees it as $PROMPTINTERN_PRESET",
            DefaultValueFactory = _ => NotebookPreset.Quick,
        };
        preset.AcceptOnlyFromAmong(NotebookPreset.Quick, NotebookPreset.Full);
        var noWrite = new Option<bool>("--no-write")
        {
            Description = "run only; leave the .ipynb files unchanged",
            DefaultValueFactory = _ => false,
        };
        var run = new Command("run", "execute notebooks cell by cell in the .NET Interactive C# kernel; stops at the first failing cell");
        run.Arguments.Add(paths);
        run.Options.Add(preset);
        run.Options.Add(noWrite);
        run.SetAction(async (parse, cancel) => await RunAsync(
            parse.GetValue(paths) ?? [], parse.GetValue(preset)!, !parse.GetValue(noWrite), cancel));

        var command = new Command("notebooks", "run the kit's Polyglot (.ipynb) notebooks headless");
        command.Subcommands.Add(run);
        return command;
    }

    static async Task<int> RunAsync(string[] paths, string preset, bool write, CancellationToken cancel)
    {
        var notebooks = NotebookRunner.Expand(paths.Length > 0 ? paths : [Path.Combine(Data.KitPaths.Root, "notebooks")]);
        if (notebooks.Count == 0)
        {
            AnsiConsole.MarkupLine("[yellow]no notebooks found[/]");
            return 0;
        }

        var table = new Table().AddColumns("notebook", "code cells", "seconds", "written");
        var noBrowser = Figures.HeadlessChromium.UnavailableReason();
        foreach (var notebook in notebooks)
        {
            var name = Path.GetFileName(notebook);
            AnsiConsole.MarkupLineInterpolated($"[bold]{name}[/] (preset {preset})");
            // Without a browser the charts would be written without their PNG: keep the committed file (and its figures) instead.
            var keep = write && noBrowser is not null && File.ReadAllText(notebook).Contains("\"image/png\"", StringComparison.Ordinal);
            if (keep)
                AnsiConsole.MarkupLineInterpolated($"  [yellow]run only, the file keeps its committed outputs:[/] its charts carry PNG images and {noBrowser} (install Debian's chromium to rewrite them)");
            // Chart PNGs only matter in written outputs; --no-write skips the browser.
            var options = new NotebookRunOptions(preset, write && !keep, ChartImages: write && !keep);
            try
            {
                var result = await AnsiConsole.Status().StartAsync(Markup.Escape($"{name}: starting the C# kernel"), async status =>
                {
                    var progress = new InlineProgress(p =>
                    {
                        if (!p.Finished)
                            status.Status(Markup.Escape($"{name}: cell {p.CellNumber} [{p.CodeCellIndex}/{p.CodeCellCount}] {p.FirstLine}"));
                        else
                            AnsiConsole.MarkupLineInterpolated($"  cell {p.CellNumber,3} [[{p.CodeCellIndex}/{p.CodeCellCount}]] {p.Elapsed.TotalSeconds,6:F1}s  {p.FirstLine}");
                    });
                    return await NotebookRunner.RunAsync(notebook, options, progress, cancel);
                });
                if (result.ChartImagesSkipped is { } why && result.Written)
                    AnsiConsole.MarkupLineInterpolated($"  [yellow]charts written without a PNG:[/] {why}");
                table.AddRow(name, result.CodeCellsRun.ToString(), result.Elapsed.TotalSeconds.ToString("F1"),
                    result.Written ? $"{notebook} ({new FileInfo(notebook).Length / 1024.0:F0} KiB)" : "no");
            }
            catch (NotebookExecutionException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]FAILED[/] {e.Notebook}, cell {e.CellNumber}:");
                AnsiConsole.WriteLine(e.Error);
                return 1;
            }
            catch (NotebookFormatException e)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]FAILED[/] {e.Message}");
                return 1;
            }
        }
        AnsiConsole.Write(table);
        return 0;
    }

    /// <summary>Reports on the caller's thread, so cell lines print in order (Progress&lt;T&gt; would post to the pool).</summary>
    sealed class InlineProgress(Action<CellProgress> report) : IProgress<CellProgress>
    {
        public void Report(CellProgress value) => report(value);
    }
}
