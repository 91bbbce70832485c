namespace PromptIntern.Data;

/// <summary>Finds the kit's data/ and results/ folders: $PROMPTINTERN_HOME, else the nearest ancestor of the
/// working directory or of the running assembly that holds PromptIntern.sln.</summary>
public static class KitPaths
{
    static string? _root;

    public static string Root => _root ??= FindRoot();

    public static string Data => Path.Combine(Root, "data");
    /// <summary>results/ under the root, or $PROMPTINTERN_RESULTS (the notebook tests send quick-preset exports to a temp folder).</summary>
    public static string Results =>
        Environment.GetEnvironmentVariable("PROMPTINTERN_RESULTS") is { Length: > 0 } dir ? Path.GetFullPath(dir) : Path.Combine(Root, "results");

    /// <summary>results/experiments: one committed folder per experiment (task × method × base × seed × config).</summary>
    public static string Experiments => Path.Combine(Results, "experiments");

    /// <summary>The shipped tiny base model, relative to the root (presets record it in this form).</summary>
    public const string TinyModelFolder = "data/models/tiny";

    /// <summary>The shipped tiny base model (3.1M parameters; trains on a CPU).</summary>
    public static string TinyModel => Path.Combine(Root, TinyModelFolder);

    /// <summary>data/&lt;task&gt;/&lt;split&gt;.jsonl</summary>
    public static string Split(string task, string split) => Path.Combine(Data, TaskName.Parse(task), split + ".jsonl");

    static string FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("PROMPTINTERN_HOME");
        if (!string.IsNullOrEmpty(env)) return Path.GetFullPath(env);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "PromptIntern.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("cannot find the kit root (PromptIntern.sln); set PROMPTINTERN_HOME");
    }
}
