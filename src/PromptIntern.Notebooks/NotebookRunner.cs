using System.Diagnostics;

namespace PromptIntern.Notebooks;

/// <summary>Runs Polyglot C# notebooks headless: a fresh in-process .NET Interactive C# kernel per notebook, code cells in
/// order, outputs written back into the .ipynb as VS Code writes them. A failing cell stops the run with
/// <see cref="NotebookExecutionException"/> (notebook, cell number, error).</summary>
/// <remarks>While a notebook runs, the process's working directory is the notebook's folder (as in VS Code, so
/// relative <c>#r</c> paths and files resolve the same), $PROMPTINTERN_PRESET is the preset and, when asked,
/// $PROMPTINTERN_RESULTS redirects exports; all are restored after.
/// Because both are process-wide, runs in one process are serialized.</remarks>
public static class NotebookRunner
{
    static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>The notebooks a path names: a file itself, or a folder's *.ipynb in name order.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths) => paths
        .SelectMany<string, string>(p => Directory.Exists(p)
            ? Directory.GetFiles(p, "*.ipynb").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
            : File.Exists(p) ? new[] { p } : throw new FileNotFoundException($"no notebook or folder at {p}", p))
        .Select(Path.GetFullPath)
        .ToList();

    public static async Task<NotebookRunResult> RunAsync(
        string path, NotebookRunOptions? options = null, IProgress<CellProgress>? progress = null, CancellationToken cancel = default)
    {
        options ??= new NotebookRunOptions();
        var preset = NotebookPreset.Parse(options.Preset);
        var full = Path.GetFullPath(path);
        var document = IpynbFile.Load(full);
        var cells = document.Elements
            .Select((cell, i) => (Cell: cell, Number: i + 1))
            .Where(c => c.Cell.KernelName == IpynbFile.CSharpKernel)
            .ToList();

        await OneAtATime.WaitAsync(cancel);
        var savedDirectory = Directory.GetCurrentDirectory();
        var savedPreset = Environment.GetEnvironmentVariable(NotebookPreset.EnvironmentVariable);
        var savedResults = Environment.GetEnvironmentVariable(NotebookPreset.ResultsVariable);
        var total = Stopwatch.StartNew();
        var times = new List<TimeSpan>();
        NotebookExecutionException? failure = null;
        string? imagesSkipped = null;
        IReadOnlyList<string> traceTypes = [];
        try
        {
            Directory.SetCurrentDirectory(Path.GetDirectoryName(full)!);
            Environment.SetEnvironmentVariable(NotebookPreset.EnvironmentVariable, preset);
            if (options.ResultsDirectory is { } results)
                Environment.SetEnvironmentVariable(NotebookPreset.ResultsVariable, Path.GetFullPath(results));
            foreach (var (cell, _) in cells) { cell.Outputs.Clear(); cell.ExecutionOrder = 0; }

            await using var kernel = NotebookKernel.Start(options.ChartImages);
            for (var k = 0; k < cells.Count && failure is null; k++)
            {
                var (cell, number) = cells[k];
                var firstLine = FirstLine(cell.Contents);
                progress?.Report(new CellProgress(full, number, k + 1, cells.Count, firstLine, false, TimeSpan.Zero));
                var watch = Stopwatch.StartNew();
                var result = await kernel.ExecuteAsync(cell.Contents, k + 1, options.EffectiveCellTimeout, cancel);
                times.Add(watch.Elapsed);
                cell.ExecutionOrder = k + 1;
                cell.Outputs.AddRange(result.Outputs);
                progress?.Report(new CellProgress(full, number, k + 1, cells.Count, firstLine, true, watch.Elapsed));
                if (result.Error is { } error) failure = new NotebookExecutionException(full, number, firstLine, error);
            }
            imagesSkipped = kernel.ChartImagesSkippedReason;
            traceTypes = kernel.ChartTraceTypes.ToList();
        }
        finally
        {
            Directory.SetCurrentDirectory(savedDirectory);
            Environment.SetEnvironmentVariable(NotebookPreset.EnvironmentVariable, savedPreset);
            Environment.SetEnvironmentVariable(NotebookPreset.ResultsVariable, savedResults);
            OneAtATime.Release();
        }

        // Like VS Code, the file keeps what ran, the failing cell's error included; its charts load plotly.js from beside it.
        if (options.WriteOutputs)
        {
            IpynbFile.Save(document, full);
            if (traceTypes.Count > 0) NotebookChartHtml.WritePlotlyScript(Path.GetDirectoryName(full)!);
        }
        if (failure is not null) throw failure;
        return new NotebookRunResult(full, times.Count, total.Elapsed, times, options.WriteOutputs, imagesSkipped, traceTypes);
    }

    static string FirstLine(string code)
    {
        var line = code.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return line.Length <= 60 ? line : line[..57] + "...";
    }
}
