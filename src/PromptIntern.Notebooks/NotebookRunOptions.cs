namespace PromptIntern.Notebooks;

/// <summary>How <see cref="NotebookRunner"/> runs a notebook.</summary>
/// <param name="Preset">quick or full; exposed to the notebook as $PROMPTINTERN_PRESET.</param>
/// <param name="WriteOutputs">Write the executed notebook (outputs, execution counts) back to its file.</param>
/// <param name="CellTimeout">Longest one cell may run before the run fails.</param>
/// <param name="ChartImages">Give every chart output an image/png rendering too (headless Chromium), for viewers that run no JavaScript.</param>
/// <param name="ResultsDirectory">Where the notebook's exports go (as $PROMPTINTERN_RESULTS, read by KitPaths.Results); null: results/.</param>
public sealed record NotebookRunOptions(
    string Preset = NotebookPreset.Quick, bool WriteOutputs = true, TimeSpan? CellTimeout = null, string? ResultsDirectory = null,
    bool ChartImages = true)
{
    public TimeSpan EffectiveCellTimeout => CellTimeout ?? TimeSpan.FromMinutes(30);
}
