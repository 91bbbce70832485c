namespace PromptIntern.Compression;

/// <summary>Picks the scorer the LM-based compressors use.</summary>
public static class TokenScorers
{
    static readonly Dictionary<string, ITokenScorer> Cache = new();

    /// <summary>The fallback n-gram scorer trained on the task train splits under <paramref name="dataDir"/> (cached per folder).</summary>
    public static ITokenScorer NGram(string? dataDir = null)
    {
        dataDir ??= Data.KitPaths.Data;
        lock (Cache)
        {
            var key = "ngram:" + Path.GetFullPath(dataDir);
            if (!Cache.TryGetValue(key, out var s)) Cache[key] = s = NGramTokenScorer.TrainOnTaskData(dataDir);
            return s;
        }
    }
}
