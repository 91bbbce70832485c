using System.Text.Json;

namespace PromptIntern.Data;

/// <summary>Reads a JSON file through a callback; a truncated or malformed file, or a value of the wrong kind, becomes a
/// <see cref="DataFormatException"/> naming the file instead of a bare parser error.</summary>
public static class JsonFile
{
    public static T Read<T>(string path, Func<JsonElement, T> read)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return read(doc.RootElement);
        }
        catch (JsonException e) { throw new DataFormatException(path, 0, "(json)", $"malformed JSON: {e.Message}"); }
        catch (InvalidOperationException e) { throw new DataFormatException(path, 0, "(json)", $"unexpected value: {e.Message}"); }
    }
}
