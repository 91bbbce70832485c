namespace PromptIntern.Notebooks;

/// <summary>What one notebook run did: how many code cells ran and how long it and each cell took.</summary>
public sealed record NotebookRunResult(string Notebook, int CodeCellsRun, TimeSpan Elapsed, IReadOnlyList<TimeSpan> CellTimes, bool Written);
