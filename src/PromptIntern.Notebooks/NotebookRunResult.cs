namespace PromptIntern.Notebooks;

/// <summary>What one notebook run did: how many code cells ran and how long it and each cell took.</summary>
/// <param name="ChartTraceTypes">Plotly trace types of the charts the notebook showed (scatter, bar, ...).</param>
/// <param name="ChartImagesSkipped">Why chart outputs carry no image/png (e.g. no Chromium), or null when they do.</param>
public sealed record NotebookRunResult(
    string Notebook, int CodeCellsRun, TimeSpan Elapsed, IReadOnlyList<TimeSpan> CellTimes, bool Written, string? ChartImagesSkipped = null,
    IReadOnlyList<string>? ChartTraceTypes = null);
