namespace PromptIntern.Compression;

/// <summary>Picks the scorer the LM-based compressors use.</summary>
public static class TokenScorers
{
    static readonly Dictionary<string, ITokenScorer> Cache = new();

    /// <summary>The causal LM saved in <paramref name="modelDir"/> (config.json + model.safetensors + tokenizer files), cached per folder.</summary>
    public static ITokenScorer CausalLm(string modelDir)
    {
        lock (Cache)
        {
            var key = "lm:" + Path.GetFullPath(modelDir);
            if (!Cache.TryGetValue(key, out var s))
                Cache[key] = s = new CausalLmTokenScorer(Modeling.CausalLanguageModel.Load(modelDir), "lm:" + Path.GetFileName(Path.GetFullPath(modelDir).TrimEnd('/')));
            return s;
        }
    }

    /// <summary>The causal LM in <paramref name="modelDir"/> when it holds one, else the n-gram fallback.</summary>
    public static ITokenScorer Default(string? modelDir)
    {
        if (modelDir != null && File.Exists(Path.Combine(modelDir, "config.json"))) return CausalLm(modelDir);
        return NGram();
    }

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
