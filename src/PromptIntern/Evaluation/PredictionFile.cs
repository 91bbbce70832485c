using System.Text.Json;
using PromptIntern.Data;

namespace PromptIntern.Evaluation;

/// <summary>A predictions JSONL file (<c>{"id": ..., "prediction": ...}</c> per line), lined up with an evaluation file:
/// every reference id needs exactly one prediction, and no prediction may name an unknown id.</summary>
public static class PredictionFile
{
    /// <summary>Reads predictions by id; bad lines, invalid UTF-8 and duplicate ids throw <see cref="DataFormatException"/>.</summary>
    public static IReadOnlyDictionary<string, string> Load(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, 0, "file", "file not found");
        var byId = new Dictionary<string, string>();
        var firstLine = new Dictionary<string, int>();
        foreach (var (lineNo, line) in JsonlLines.Read(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonElement root;
            try { using var doc = JsonDocument.Parse(line); root = doc.RootElement.Clone(); }
            catch (JsonException e) { throw new DataFormatException(path, lineNo, "(json)", $"malformed JSON: {e.Message}"); }
            if (root.ValueKind != JsonValueKind.Object) throw new DataFormatException(path, lineNo, "(json)", "line is not a JSON object");
            if (!root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(id.GetString()))
                throw new DataFormatException(path, lineNo, "id", "missing or not a non-empty string");
            if (!root.TryGetProperty("prediction", out var p) || p.ValueKind != JsonValueKind.String)
                throw new DataFormatException(path, lineNo, "prediction", "missing or not a string");
            var key = id.GetString()!;
            if (firstLine.TryGetValue(key, out int first))
                throw new DataFormatException(path, lineNo, "id", $"duplicate id '{key}' (first seen on line {first})");
            firstLine[key] = lineNo;
            byId[key] = p.GetString()!;
        }
        return byId;
    }

    /// <summary>The predictions in the references' order; missing or extra ids throw, naming both files and the ids.</summary>
    public static IReadOnlyList<string> Align(IReadOnlyList<TaskExample> references, IReadOnlyDictionary<string, string> predictions,
        string predictionsPath, string referencesPath)
    {
        var refIds = references.Select(r => r.Id).ToHashSet();
        var missing = references.Where(r => !predictions.ContainsKey(r.Id)).Select(r => r.Id).ToList();
        var extra = predictions.Keys.Where(id => !refIds.Contains(id)).OrderBy(id => id, StringComparer.Ordinal).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            var problems = new List<string>();
            if (missing.Count > 0) problems.Add($"{missing.Count} id(s) of {referencesPath} have no prediction: {List(missing)}");
            if (extra.Count > 0) problems.Add($"{extra.Count} id(s) are not in {referencesPath}: {List(extra)}");
            throw new DataFormatException(predictionsPath, 0, "id", string.Join("; ", problems));
        }
        return references.Select(r => predictions[r.Id]).ToList();
    }

    static string List(List<string> ids) => string.Join(", ", ids.Take(10)) + (ids.Count > 10 ? $", … ({ids.Count - 10} more)" : "");
}
