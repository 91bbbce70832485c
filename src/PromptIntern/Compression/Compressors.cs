using System.Text.Json;
using PromptIntern.Text;

namespace PromptIntern.Compression;

/// <summary>Builds a compressor by the name the CLI uses; LM-scored methods share one scorer.</summary>
public static class Compressors
{
    public const string SelectiveContext = "selective-context", LlmLingua = "llmlingua", LongLlmLingua = "longllmlingua",
        LlmLingua2 = "llmlingua2", Random = "random", Truncate = "truncate";

    public static readonly IReadOnlyList<string> Methods = [SelectiveContext, LlmLingua, LongLlmLingua, LlmLingua2, Random, Truncate];

    /// <summary>Where the shipped LLMLingua-2-style classifier lives: data/compressors/llmlingua2.</summary>
    public static string DefaultClassifierDir => Path.Combine(Data.KitPaths.Data, "compressors", "llmlingua2");

    /// <summary>A compressor for <paramref name="method"/>. For llmlingua2 the classifier is <paramref name="classifier"/>,
    /// else the one in <see cref="DefaultClassifierDir"/>, else one distilled now from LLMLingua over <paramref name="scorer"/> (and saved there).</summary>
    public static IPromptCompressor Create(string method, ITokenScorer scorer, ITokenCounter? counter = null,
        LlmLinguaOptions? options = null, KeepClassifier? classifier = null) => method.Trim().ToLowerInvariant() switch
    {
        SelectiveContext => new SelectiveContextCompressor(scorer, counter),
        LlmLingua => new LlmLinguaCompressor(scorer, options, counter),
        LongLlmLingua => new LongLlmLinguaCompressor(scorer, options, counter),
        LlmLingua2 => new LlmLingua2Compressor(classifier ?? LoadOrDistillClassifier(DefaultClassifierDir, scorer), counter),
        Random => new RandomDropCompressor(counter),
        Truncate => new TruncateCompressor(counter),
        _ => throw new ArgumentException($"unknown compression method '{method}'; known: {string.Join(", ", Methods)}", nameof(method)),
    };

    static readonly Dictionary<string, KeepClassifier> Loaded = new();

    /// <summary>Loads the classifier in <paramref name="dir"/>, or distils one from LLMLingua over <paramref name="scorer"/>
    /// on the task data and saves it there with a training.json that says how it was made.</summary>
    public static KeepClassifier LoadOrDistillClassifier(string dir, ITokenScorer scorer, KeepClassifierTraining? training = null)
    {
        lock (Loaded)
        {
            if (Loaded.TryGetValue(dir, out var cached)) return cached;
            var model = KeepClassifier.Exists(dir) ? KeepClassifier.LoadFrom(dir) : DistillClassifier(dir, scorer, training).Model;
            return Loaded[dir] = model;
        }
    }

    /// <summary>Distils a classifier from LLMLingua over <paramref name="scorer"/> on <see cref="DistillationCorpus.FromTaskData"/>
    /// and saves it (model.dat, config.json, training.json) in <paramref name="dir"/>, replacing what was there.</summary>
    public static (KeepClassifier Model, KeepClassifierReport Report) DistillClassifier(string dir, ITokenScorer scorer,
        KeepClassifierTraining? training = null)
    {
        var texts = DistillationCorpus.FromTaskData(Data.KitPaths.Data);
        var (model, report) = KeepClassifierTrainer.Distill(new LlmLinguaCompressor(scorer), texts, training);
        model.SaveTo(dir);
        Data.AtomicFile.WriteAllText(Path.Combine(dir, "training.json"), Provenance.RunProvenance.Capture(new Dictionary<string, object?>
        {
            ["teacher"] = $"llmlingua over {scorer.Name}",
            ["labels"] = "keep/drop decisions of the teacher (not GPT-4) on task templates and train-split prompts",
            ["corpus"] = "DistillationCorpus.FromTaskData: template sections + train examples in groups of 4",
            ["training"] = training ?? new KeepClassifierTraining(),
            ["report"] = report,
        }).ToJson());
        lock (Loaded) Loaded[dir] = model;
        return (model, report);
    }
}
