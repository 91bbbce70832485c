namespace PromptIntern.Notebooks;

/// <summary>Progress of one notebook run, reported before and after each code cell.</summary>
/// <param name="CellNumber">1-based position of the cell in the notebook, markdown cells included (what a reader counts).</param>
/// <param name="CodeCellIndex">1-based index among code cells.</param>
/// <param name="Finished">False when the cell starts; true when it has run (then <paramref name="Elapsed"/> is set).</param>
public sealed record CellProgress(
    string Notebook, int CellNumber, int CodeCellIndex, int CodeCellCount, string FirstLine, bool Finished, TimeSpan Elapsed);
