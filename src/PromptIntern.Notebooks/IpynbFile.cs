using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using PromptIntern.Data;

namespace PromptIntern.Notebooks;

/// <summary>Reads and writes C# Polyglot notebooks (.ipynb, kernelspec .net-csharp) with .NET Interactive's own
/// Jupyter serializer, so written files are what VS Code writes.</summary>
public static class IpynbFile
{
    public const string KernelSpec = ".net-csharp";
    public const string CSharpKernel = "csharp";

    /// <summary>Loads and checks a notebook: valid JSON, a .NET C# kernelspec, and only C# code cells.</summary>
    public static InteractiveDocument Load(string path)
    {
        if (!File.Exists(path)) throw new NotebookFormatException(path, "file not found");
        var json = File.ReadAllText(path);
        string? kernelSpec;
        try
        {
            using var parsed = JsonDocument.Parse(json);
            if (parsed.RootElement.ValueKind != JsonValueKind.Object || !parsed.RootElement.TryGetProperty("cells", out _))
                throw new NotebookFormatException(path, "not a Jupyter notebook (no \"cells\" array)");
            kernelSpec = parsed.RootElement.TryGetProperty("metadata", out var meta)
                         && meta.TryGetProperty("kernelspec", out var spec) && spec.TryGetProperty("name", out var name)
                ? name.GetString() : null;
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException(path, $"invalid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}", e);
        }
        if (kernelSpec != KernelSpec)
            throw new NotebookFormatException(path, $"kernelspec is '{kernelSpec ?? "(none)"}', expected '{KernelSpec}' (a C# Polyglot notebook)");

        InteractiveDocument document;
        try { document = Notebook.Parse(json); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new NotebookFormatException(path, $"not a readable notebook: {e.Message}", e);
        }
        for (var i = 0; i < document.Elements.Count; i++)
        {
            var kernel = document.Elements[i].KernelName;
            if (kernel is not (CSharpKernel or "markdown"))
                throw new NotebookFormatException(path, $"cell {i + 1} uses kernel '{kernel}'; only C# ('{CSharpKernel}') cells can run");
        }
        return document;
    }

    /// <summary>Writes the notebook as Jupyter JSON atomically (a reader never sees half a file).</summary>
    public static void Save(InteractiveDocument document, string path)
    {
        // Parse leaves the polyglot_notebook metadata as a plain dictionary, which the serializer cannot merge
        // into; dropping it lets the serializer write the kernel info afresh (a C#-only notebook has nothing else).
        document.Metadata.Remove("polyglot_notebook");
        AtomicFile.WriteAllText(path, ImagesAsOneString(Notebook.ToJupyterJson(document, CSharpKernel)));
    }

    static readonly JsonSerializerOptions Written = new()
    {
        WriteIndented = true, IndentSize = 1, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The serializer splits every output string into lines, images included; Jupyter writes a base64 image as
    /// one string, which is what viewers expect, so images are joined back (text stays as lines).</summary>
    public static string ImagesAsOneString(string json)
    {
        var notebook = JsonNode.Parse(json)!;
        var changed = false;
        foreach (var cell in notebook["cells"]?.AsArray() ?? [])
        foreach (var output in cell?["outputs"] as JsonArray ?? [])
        {
            if (output?["data"] is not JsonObject data) continue;
            foreach (var mime in data.Where(p => p.Key is "image/png" or "image/jpeg" or "image/gif" && p.Value is JsonArray).Select(p => p.Key).ToList())
            {
                data[mime] = string.Concat(data[mime]!.AsArray().Select(line => line!.GetValue<string>()));
                changed = true;
            }
        }
        return changed ? notebook.ToJsonString(Written) : json;
    }
}
