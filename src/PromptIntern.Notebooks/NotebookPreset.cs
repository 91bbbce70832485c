namespace PromptIntern.Notebooks;

/// <summary>The preset a notebook runs with. The runner puts it in $PROMPTINTERN_PRESET; a notebook reads it with
/// <c>var preset = Environment.GetEnvironmentVariable("PROMPTINTERN_PRESET") ?? "quick";</c> (VS Code leaves it unset: quick).</summary>
public static class NotebookPreset
{
    public const string EnvironmentVariable = "PROMPTINTERN_PRESET";

    /// <summary>Redirects KitPaths.Results for a run (see <see cref="NotebookRunOptions.ResultsDirectory"/>).</summary>
    public const string ResultsVariable = "PROMPTINTERN_RESULTS";

    /// <summary>Small CPU-sized runs (the default, used by the tests).</summary>
    public const string Quick = "quick";

    /// <summary>Reads the GPU results committed under results/.</summary>
    public const string Full = "full";

    public static string Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        Quick => Quick,
        Full => Full,
        _ => throw new ArgumentException($"unknown preset '{value}'; expected {Quick} or {Full}"),
    };
}
