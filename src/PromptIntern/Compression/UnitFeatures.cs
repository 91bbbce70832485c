namespace PromptIntern.Compression;

/// <summary>What the LLMLingua-2-style classifier sees of a lexical unit: a hashed, lower-cased word id and a
/// shape id (line break, punctuation, number, capitalized, ...; with or without a leading space).
/// Hashing gives a fixed, tokenizer-free vocabulary, so the classifier works on any text.</summary>
public static class UnitFeatures
{
    /// <summary>Shape ids are in [1, ShapeCount); 0 is padding.</summary>
    public const int ShapeCount = 16;

    /// <summary>Word bucket in [1, buckets); 0 is padding.</summary>
    public static int WordId(string unit, int buckets)
    {
        var word = unit.Trim().ToLowerInvariant();
        var h = 2166136261u; // FNV-1a
        foreach (var c in word) { h ^= c; h *= 16777619u; }
        return 1 + (int)(h % (uint)(buckets - 1));
    }

    public static int ShapeId(string unit)
    {
        var body = unit.TrimStart(' ', '\t');
        var space = body.Length < unit.Length ? 1 : 0;
        int shape;
        if (body.Length == 0 || body[0] is '\n' or '\r') shape = 1;
        else if (!char.IsLetterOrDigit(body[0]) && body[0] != '_') shape = 2;
        else if (body.Any(char.IsDigit)) shape = 3;
        else if (body.Any(c => c > 127)) shape = 4;
        else if (body.Length > 1 && body.All(c => !char.IsLetter(c) || char.IsUpper(c))) shape = 5;
        else if (char.IsUpper(body[0])) shape = 6;
        else shape = 7;
        return shape * 2 - 1 + space; // 1..14
    }
}
