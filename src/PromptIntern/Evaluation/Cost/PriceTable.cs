using System.Globalization;
using System.Text.Json;
using PromptIntern.Data;
using PromptIntern.Text;

namespace PromptIntern.Evaluation.Cost;

/// <summary>A dated table of model prices (data/prices.json): per model, input/output USD per 1M tokens with the source of each price.</summary>
public sealed class PriceTable
{
    static readonly string[] Fields = ["model", "display", "base_model", "fine_tuned", "tokenizer", "input_per_1m", "output_per_1m", "source", "as_of"];
    static PriceTable? _default;

    public string Path { get; }
    public string Currency { get; }
    public string Note { get; }
    public IReadOnlyList<ModelPrice> Models { get; }

    PriceTable(string path, string currency, string note, IReadOnlyList<ModelPrice> models)
    {
        Path = path; Currency = currency; Note = note; Models = models;
    }

    /// <summary>The kit's data/prices.json.</summary>
    public static PriceTable Default => _default ??= Load(System.IO.Path.Combine(KitPaths.Data, "prices.json"));

    /// <summary>The price of a model by its table name; the error lists the known names.</summary>
    public ModelPrice Get(string model) =>
        Models.FirstOrDefault(m => string.Equals(m.Model, model.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"no price for model '{model}' in {Path}; known: {string.Join(", ", Models.Select(m => m.Model))}");

    /// <summary>Loads and validates a price table; any problem throws a DataFormatException naming the file and field (e.g. models[2].as_of).</summary>
    public static PriceTable Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"price table not found: {path}", path);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new DataFormatException(path, (int)(e.LineNumber ?? -1) + 1, "(json)", $"malformed JSON: {e.Message}"); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new DataFormatException(path, 0, "(root)", "must be a JSON object");
            var currency = Str(path, root, "currency", "currency");
            if (currency != "USD") throw new DataFormatException(path, 0, "currency", $"only USD is supported, found '{currency}'");
            var note = root.TryGetProperty("note", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
            if (!root.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Array)
                throw new DataFormatException(path, 0, "models", "missing or not an array");
            var list = new List<ModelPrice>();
            int i = 0;
            foreach (var m in models.EnumerateArray())
            {
                list.Add(ParseModel(path, m, $"models[{i}]"));
                var dup = list.Take(list.Count - 1).FirstOrDefault(x => string.Equals(x.Model, list[^1].Model, StringComparison.OrdinalIgnoreCase));
                if (dup != null) throw new DataFormatException(path, 0, $"models[{i}].model", $"duplicate model '{dup.Model}'");
                i++;
            }
            if (list.Count == 0) throw new DataFormatException(path, 0, "models", "empty");
            return new PriceTable(path, currency, note, list);
        }
    }

    static ModelPrice ParseModel(string path, JsonElement m, string at)
    {
        if (m.ValueKind != JsonValueKind.Object) throw new DataFormatException(path, 0, at, "must be an object");
        foreach (var p in m.EnumerateObject())
            if (!Fields.Contains(p.Name)) throw new DataFormatException(path, 0, $"{at}.{p.Name}", $"unknown field; known: {string.Join(", ", Fields)}");
        var tokenizer = Str(path, m, "tokenizer", at);
        if (!CostTokenizer.Known.Contains(tokenizer))
            throw new DataFormatException(path, 0, $"{at}.tokenizer", $"unknown tokenizer '{tokenizer}'; known: {string.Join(", ", CostTokenizer.Known)}");
        var asOf = Str(path, m, "as_of", at);
        if (!DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw new DataFormatException(path, 0, $"{at}.as_of", $"'{asOf}' is not a yyyy-MM-dd date");
        if (!m.TryGetProperty("fine_tuned", out var ft) || ft.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            throw new DataFormatException(path, 0, $"{at}.fine_tuned", "missing or not true/false");
        return new ModelPrice(
            Str(path, m, "model", at), Str(path, m, "display", at), Str(path, m, "base_model", at), ft.GetBoolean(), tokenizer,
            Price(path, m, "input_per_1m", at), Price(path, m, "output_per_1m", at), Str(path, m, "source", at), date);
    }

    static string Str(string path, JsonElement obj, string field, string at)
    {
        var name = at == field ? field : $"{at}.{field}";
        if (!obj.TryGetProperty(field, out var v)) throw new DataFormatException(path, 0, name, "missing");
        if (v.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(v.GetString()))
            throw new DataFormatException(path, 0, name, "must be a non-empty string");
        return v.GetString()!.Trim();
    }

    static double Price(string path, JsonElement obj, string field, string at)
    {
        if (!obj.TryGetProperty(field, out var v)) throw new DataFormatException(path, 0, $"{at}.{field}", "missing");
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || d < 0 || double.IsNaN(d))
            throw new DataFormatException(path, 0, $"{at}.{field}", "must be a non-negative number (USD per 1M tokens)");
        return d;
    }
}
