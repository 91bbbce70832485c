using System.Text.Encodings.Web;
using System.Text.Json;
using PromptIntern.Data;

namespace PromptIntern.UserTasks;

/// <summary>The worked example of examples/order-extraction: a deterministic generator of shop-order messages and the
/// one-line JSON record each must become. The rules (catalogue synonyms, number words, sizes, shipping cues) live in the
/// task's instruction template, which is what PromptIntern internalizes. Rows use the user-style keys order_id, message, json.</summary>
public static class OrderExtractionExample
{
    // Readable files: quotes and apostrophes stay as they are (still valid JSON).
    static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const string IdKey = "order_id", QueryKey = "message", AnswerKey = "json";

    // Catalogue: canonical item, the words customers use for it, and whether it comes in sizes.
    static readonly (string Item, string[] Words, bool Sized)[] Items =
    [
        ("mug", ["mug", "coffee mug", "cup"], false),
        ("t-shirt", ["t-shirt", "tee", "tshirt"], true),
        ("hoodie", ["hoodie", "hooded sweatshirt"], true),
        ("backpack", ["backpack", "rucksack"], false),
        ("notebook", ["notebook", "notepad"], false),
        ("water bottle", ["water bottle", "flask"], false),
        ("umbrella", ["umbrella", "brolly"], false),
        ("desk lamp", ["desk lamp", "reading light"], false),
    ];
    static readonly string[] Colors = ["black", "white", "red", "blue", "green", "yellow", "grey"];
    static readonly (string Code, string[] Words)[] Sizes = [("S", ["small"]), ("M", ["medium"]), ("L", ["large"]), ("XL", ["extra large", "XL"])];
    static readonly string[] Cities = ["Oslo", "Lyon", "Porto", "Graz", "Leeds", "Turin", "Ghent", "Bergen", "Malmo", "Cork"];
    static readonly string[] NumberWords = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    static readonly (string Shipping, string[] Cues)[] Shipping =
    [
        ("express", ["as fast as possible", "express please", "I need it by tomorrow", "it's urgent"]),
        ("pickup", ["I'll collect it from the store", "I will pick it up myself"]),
        ("standard", ["no rush", "regular delivery is fine", ""]),
    ];
    static readonly string[] Openers = ["Hi, could you send", "Please ship", "I'd like to order", "Can I get", "Order:", "Hello! Send"];

    /// <summary><paramref name="count"/> rows, the same for the same seed.</summary>
    public static IReadOnlyList<(string Id, string Message, string Json)> Generate(int count, int seed, string idPrefix)
    {
        var rng = new Random(seed);
        T Pick<T>(IReadOnlyList<T> xs) => xs[rng.Next(xs.Count)];
        var rows = new List<(string, string, string)>();
        for (int i = 0; i < count; i++)
        {
            var (item, words, sized) = Pick(Items);
            int qty = rng.Next(6) == 0 ? 12 : rng.Next(1, 10);
            string? color = rng.Next(4) == 0 ? null : Pick(Colors);
            var size = sized && rng.Next(5) > 0 ? Pick(Sizes) : default;
            var city = Pick(Cities);
            var (shipping, cues) = Pick(Shipping);
            string word = Pick(words);
            string qtyText = qty == 12 ? "a dozen" : qty == 1 ? (rng.Next(2) == 0 ? "one" : "a") : rng.Next(2) == 0 ? NumberWords[qty] : qty.ToString();
            string noun = qty == 1 ? word : Plural(word);
            var phrase = string.Join(" ", new[] { qtyText, size.Code != null ? Pick(size.Words) : null, color, noun }.Where(s => s != null));
            if (phrase.StartsWith("a ", StringComparison.Ordinal) && "aeiou".Contains(phrase[2])) phrase = "an " + phrase[2..];
            string cue = Pick(cues);
            string message = shipping == "pickup"
                ? $"{Pick(Openers)} {phrase}. {cue}, I live in {city}."
                : $"{Pick(Openers)} {phrase} to {city}.{(cue.Length > 0 ? " " + Capitalize(cue) + "." : "")}";
            string json = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["item"] = item, ["qty"] = qty, ["color"] = color, ["size"] = size.Code, ["city"] = city, ["shipping"] = shipping,
            }, Readable);
            rows.Add(($"{idPrefix}-{i + 1:0000}", message, json));
        }
        return rows;
    }

    /// <summary>Writes train.jsonl and dev.jsonl (seeds 1 and 2) into <paramref name="dir"/>, atomically.</summary>
    public static void WriteData(string dir, int trainRows = 400, int devRows = 60)
    {
        AtomicFile.WriteLines(Path.Combine(dir, "train.jsonl"), Generate(trainRows, 1, "train").Select(ToJsonLine));
        AtomicFile.WriteLines(Path.Combine(dir, "dev.jsonl"), Generate(devRows, 2, "dev").Select(ToJsonLine));
    }

    public static string ToJsonLine((string Id, string Message, string Json) row) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { [IdKey] = row.Id, [QueryKey] = row.Message, [AnswerKey] = row.Json }, Readable);

    static string Plural(string word) => word switch
    {
        "brolly" => "brollies",
        "reading light" => "reading lights",
        _ when word.EndsWith("sh") || word.EndsWith("ch") => word + "es",
        _ => word + "s",
    };

    static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
