using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;
using Plotly.NET;

namespace PromptIntern.Notebooks;

/// <summary>What one cell produced: Jupyter outputs in order, and the kernel's error message when it failed.</summary>
public sealed record CellExecution(IReadOnlyList<InteractiveDocumentOutputElement> Outputs, string? Error);

/// <summary>The real .NET Interactive C# kernel hosted in-process (as Polyglot Notebooks runs it): cells share state,
/// <c>#r "nuget:"</c> restores packages, and each cell's events become Jupyter outputs.</summary>
public sealed class NotebookKernel : IAsyncDisposable
{
    readonly CompositeKernel _root;
    readonly ChartOutputs _charts;

    NotebookKernel(CompositeKernel root, ChartOutputs charts) => (_root, _charts) = (root, charts);

    /// <summary>Why chart outputs have no image/png, or null when they have one (or no chart was shown).</summary>
    public string? ChartImagesSkippedReason => _charts.ImagesSkippedReason;

    /// <summary>Plotly trace types of the charts the cells showed.</summary>
    public IReadOnlyCollection<string> ChartTraceTypes => _charts.TraceTypes;

    /// <summary>Creates a fresh kernel (no state shared with any other); <paramref name="chartImages"/>: charts also
    /// get an image/png rendering (headless Chromium).</summary>
    public static NotebookKernel Start(bool chartImages = true)
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective((kernel, references) =>
            {
                kernel.AddAssemblyReferences(references.SelectMany(r => r.AssemblyPaths));
                return Task.CompletedTask;
            })
            .UseKernelHelpers()
            .UseValueSharing();
        var root = new CompositeKernel { csharp };
        root.DefaultKernelName = csharp.Name;
        KernelFormatters.Register();
        return new NotebookKernel(root, new ChartOutputs(chartImages));
    }

    /// <summary>Runs one cell's code; <paramref name="executionCount"/> becomes the execute_result's count.</summary>
    public async Task<CellExecution> ExecuteAsync(string code, int executionCount, TimeSpan timeout, CancellationToken cancel = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var run = _root.SendAsync(new SubmitCode(code), limit.Token);
        if (await Task.WhenAny(run, Task.Delay(timeout, cancel)) != run)
        {
            await limit.CancelAsync();
            cancel.ThrowIfCancellationRequested();
            return new CellExecution([], $"timed out after {timeout}");
        }
        return await ToOutputsAsync((await run).Events, executionCount);
    }

    async Task<CellExecution> ToOutputsAsync(IReadOnlyList<KernelEvent> events, int executionCount)
    {
        var outputs = new List<InteractiveDocumentOutputElement>();
        var displays = new Dictionary<string, DisplayElement>();
        string? error = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case StandardOutputValueProduced o: AppendStream(outputs, "stdout", Text(o)); break;
                case StandardErrorValueProduced o: AppendStream(outputs, "stderr", Text(o)); break;
                case DisplayedValueUpdated u when u.ValueId is { } id && displays.TryGetValue(id, out var shown):
                    shown.Data.Clear();
                    foreach (var (mime, value) in await DataAsync(u)) shown.Data[mime] = value;
                    break;
                case ReturnValueProduced r:
                    var result = new ReturnValueElement { ExecutionOrder = executionCount };
                    foreach (var (mime, value) in await DataAsync(r)) result.Data[mime] = value;
                    outputs.Add(result);
                    break;
                case ErrorProduced p: AppendStream(outputs, "stderr", Text(p)); break;
                case DisplayEvent d:
                    var display = new DisplayElement(await DataAsync(d));
                    if (d.ValueId is { } valueId) displays[valueId] = display;
                    outputs.Add(display);
                    break;
                case CommandFailed f:
                    error = f.Message;
                    outputs.Add(new ErrorElement(errorValue: f.Message, errorName: f.Exception?.GetType().Name ?? "Error",
                        stackTrace: f.Message.Split('\n')));
                    break;
            }
        }
        return new CellExecution(outputs, error);
    }

    static string Text(DisplayEvent e) =>
        e.FormattedValues.FirstOrDefault(v => v.MimeType == PlainTextFormatter.MimeType)?.Value ?? e.Value?.ToString() ?? "";

    // Jupyter front ends show text/html where they can and fall back to text/plain, so every display carries both.
    async Task<Dictionary<string, object>> DataAsync(DisplayEvent e)
    {
        if (e.Value is GenericChart chart) return await _charts.FormatAsync(chart);
        var data = e.FormattedValues.ToDictionary(v => v.MimeType, v => (object)v.Value);
        if (!data.ContainsKey(PlainTextFormatter.MimeType) && e.Value is { } value)
            data[PlainTextFormatter.MimeType] = value.ToDisplayString(PlainTextFormatter.MimeType);
        return data;
    }

    static void AppendStream(List<InteractiveDocumentOutputElement> outputs, string name, string text)
    {
        if (outputs.Count > 0 && outputs[^1] is TextElement last && last.Name == name)
            outputs[^1] = new TextElement(last.Text + text, name);
        else
            outputs.Add(new TextElement(text, name));
    }

    public async ValueTask DisposeAsync()
    {
        _root.Dispose();
        await _charts.DisposeAsync();
    }
}
