using System.Text.Json;
using System.Text.Json.Nodes;

namespace PromptIntern.Tests.Notebooks;

/// <summary>Writes small Polyglot C# notebooks for the runner tests.</summary>
static class NotebookFiles
{
    public static JsonObject Code(string source) => new()
    {
        ["cell_type"] = "code",
        ["execution_count"] = null,
        ["metadata"] = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
        },
        ["outputs"] = new JsonArray(),
        ["source"] = source,
    };

    public static JsonObject Markdown(string source) => new()
    {
        ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = source,
    };

    public static string Write(string folder, string name, IEnumerable<JsonObject> cells, string kernelSpec = ".net-csharp")
    {
        var notebook = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray()),
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = kernelSpec },
                ["language_info"] = new JsonObject { ["name"] = "polyglot-notebook" },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, notebook.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    /// <summary>A <c>#r</c> line for an assembly of the test's own output folder (absolute, so the notebook may live anywhere).</summary>
    public static string Reference(string assemblyFile) => $"#r \"{Path.Combine(AppContext.BaseDirectory, assemblyFile)}\"";

    public static JsonArray Cells(string path) => JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();

    public static string Joined(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        null => "",
        _ => node.GetValue<string>(),
    };
}
