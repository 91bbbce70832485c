using System.Text.Json;
using System.Text.Json.Serialization;
using PromptIntern.Corpus;
using PromptIntern.Data;
using PromptIntern.Provenance;

namespace PromptIntern.Text;

/// <summary>The record written beside a trained tokenizer (manifest.json): what it was trained on, with which settings,
/// how long it took, how well it compresses each task, and who built it when.</summary>
public sealed record TokenizerManifest(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("vocab_size")] int VocabSize,
    [property: JsonPropertyName("merges")] int Merges,
    [property: JsonPropertyName("special_tokens")] IReadOnlyDictionary<string, int> SpecialTokens,
    [property: JsonPropertyName("pre_tokenizer_pattern")] string Pattern,
    [property: JsonPropertyName("min_pair_frequency")] int MinPairFrequency,
    [property: JsonPropertyName("training_seconds")] double TrainingSeconds,
    [property: JsonPropertyName("training_threads")] int TrainingThreads,
    [property: JsonPropertyName("corpus")] CorpusManifest? Corpus,
    [property: JsonPropertyName("compression")] IReadOnlyList<TokenizerCompression> Compression,
    [property: JsonPropertyName("tool_version")] string ToolVersion,
    [property: JsonPropertyName("provenance")] RunProvenance Provenance)
{
    public const string FileName = "manifest.json";

    /// <summary>Pass the <paramref name="provenance"/> captured when the run started: once the tokenizer files are
    /// overwritten, the working tree would read as dirty.</summary>
    public static TokenizerManifest Create(ModelTokenizer t, BpeTrainerOptions options, TimeSpan trainingTime,
        CorpusManifest? corpus, IReadOnlyList<TokenizerCompression> compression, RunProvenance provenance)
    {
        return new TokenizerManifest(t.Name, t.VocabSize, t.Model.Merges.Count,
            new SortedDictionary<string, int>(t.Model.SpecialTokens.ToDictionary(), StringComparer.Ordinal),
            t.Model.Pattern, options.MinPairFrequency, Math.Round(trainingTime.TotalSeconds, 1), 1,
            corpus, compression, CorpusManifest.KitVersion, provenance);
    }

    public void Write(string dir) =>
        AtomicFile.WriteAllText(Path.Combine(dir, FileName), JsonSerializer.Serialize(this, HfTokenizerJson.JsonOut));
}
