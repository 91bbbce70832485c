namespace PromptIntern.Text;

/// <summary>Finds and loads the tokenizer saved in a model directory, whichever kind it is.</summary>
public static class TokenizerFiles
{
    /// <summary>Loaders tried in order: (file that marks the kind, loader). The BPE ModelTokenizer registers itself here.</summary>
    public static readonly List<(string MarkerFile, Func<string, ITokenizer> Load)> Loaders =
    [
        (ByteTokenizer.FileName, _ => new ByteTokenizer()),
        (ModelTokenizer.TokenizerJsonFile, TokenizerFolder.LoadAny),
        (ModelTokenizer.VocabFile, ModelTokenizer.Load),
    ];

    public static ITokenizer Load(string directory)
    {
        foreach (var (marker, load) in Loaders)
            if (File.Exists(Path.Combine(directory, marker))) return load(directory);
        throw new FileNotFoundException(
            $"No tokenizer in {directory}: expected one of {string.Join(", ", Loaders.Select(l => l.MarkerFile))}.", directory);
    }
}
