using System.Text.Json;

namespace PromptIntern.Experiments;

/// <summary>Per-row scores of a finished experiment, read back from its predictions.jsonl, for paired comparisons between
/// methods (<see cref="PairedBootstrap"/>).</summary>
/// <remarks>The row score of a headline metric is the per-example score of the same name on a 0–100 scale (EM, pass@1 and
/// the accuracies are stored as 0/1); for BLEU it is sentence-level BLEU, whose mean differs from the corpus BLEU the
/// table reports, so intervals on BLEU rows are intervals on the mean sentence BLEU.</remarks>
public static class ExampleScores
{
    /// <summary>The per-example score key that stands for <paramref name="headline"/>, and the factor to the 0–100 scale.</summary>
    public static (string Key, double Scale) KeyFor(string headline) => headline == "BLEU" ? ("sentence_bleu", 1) : (headline, 100);

    /// <summary>Row id → score of <paramref name="headline"/> in the experiment folder <paramref name="experimentDir"/>.</summary>
    public static IReadOnlyDictionary<string, double> Read(string experimentDir, string headline)
    {
        var (key, scale) = KeyFor(headline);
        var path = Path.Combine(experimentDir, "predictions.jsonl");
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (line, text) in Data.JsonlLines.Read(path))
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            using var doc = ParseRow(path, line, text);
            var row = doc.RootElement;
            if (!row.TryGetProperty("scores", out var s) || !s.TryGetProperty(key, out var v) || !row.TryGetProperty("id", out var id))
                throw new Data.DataFormatException(path, line, $"scores.{key}", "missing");
            scores[id.GetString()!] = v.GetDouble() * scale;
        }
        return scores;
    }

    static JsonDocument ParseRow(string path, int line, string text)
    {
        try { return JsonDocument.Parse(text); }
        catch (JsonException e) { throw new Data.DataFormatException(path, line, "(json)", e.Message); }
    }

    /// <summary>The paired difference of a method to a reference: experiment folders by seed on each side; seeds present on
    /// both sides and rows present in every folder are compared. Null when the two share no seed.</summary>
    public static PairedDifference? Compare(IReadOnlyDictionary<int, string> methodDirs, IReadOnlyDictionary<int, string> referenceDirs,
        string headline, double level = 0.95, int resamples = PairedBootstrap.DefaultResamples, int seed = PairedBootstrap.DefaultSeed)
    {
        var seeds = methodDirs.Keys.Intersect(referenceDirs.Keys).Order().ToList();
        if (seeds.Count == 0) return null;
        var method = seeds.Select(s => Read(methodDirs[s], headline)).ToList();
        var reference = seeds.Select(s => Read(referenceDirs[s], headline)).ToList();
        var rows = SharedRows(method.Concat(reference));
        if (rows.Count == 0) return null;
        return PairedBootstrap.Compute(Matrix(method, rows), Matrix(reference, rows), level, resamples, seed);
    }

    /// <summary>A method's own mean row score with its bootstrap interval, resampled as <see cref="Compare"/> resamples (seeds
    /// and rows): its difference to a reference that scores zero on every row. Folders without predictions.jsonl are left
    /// out; null when none is left or they share no row.</summary>
    public static PairedDifference? Mean(IReadOnlyDictionary<int, string> dirs, string headline,
        double level = 0.95, int resamples = PairedBootstrap.DefaultResamples, int seed = PairedBootstrap.DefaultSeed)
    {
        var scores = dirs.Where(kv => File.Exists(Path.Combine(kv.Value, "predictions.jsonl"))).OrderBy(kv => kv.Key).Select(kv => Read(kv.Value, headline)).ToList();
        if (scores.Count == 0) return null;
        var rows = SharedRows(scores);
        if (rows.Count == 0) return null;
        var zeros = scores.Select(_ => (IReadOnlyList<double>)new double[rows.Count]).ToList();
        return PairedBootstrap.Compute(Matrix(scores, rows), zeros, level, resamples, seed);
    }

    static List<string> SharedRows(IEnumerable<IReadOnlyDictionary<string, double>> sides) =>
        sides.Select(d => (IEnumerable<string>)d.Keys).Aggregate((a, b) => a.Intersect(b)).Order(StringComparer.Ordinal).ToList();

    static IReadOnlyList<IReadOnlyList<double>> Matrix(List<IReadOnlyDictionary<string, double>> side, List<string> rows) =>
        side.Select(d => (IReadOnlyList<double>)rows.Select(r => d[r]).ToList()).ToList();
}
