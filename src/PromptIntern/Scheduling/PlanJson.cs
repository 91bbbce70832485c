using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using PromptIntern.Data;

namespace PromptIntern.Scheduling;

/// <summary>Reads and writes plans as JSON. Unknown keys, wrong types and invalid values are errors naming the file and the field.</summary>
/// <remarks>Schema: <c>{"name", "description"?, "epochs"? (10), "stages": [{"template_rate": number|null, "shots": int,
/// "epoch_share"? (1)}], "inference"? ({"template_rate": number|null, "shots"? (0)}; default query only)}</c>.
/// <c>template_rate</c> must be present in every stage: <c>null</c> states explicitly that the template is dropped.</remarks>
public static class PlanJson
{
    static readonly string[] PlanKeys = ["name", "description", "epochs", "stages", "inference"];
    static readonly string[] StageKeys = ["template_rate", "shots", "epoch_share"];
    static readonly string[] InferenceKeys = ["template_rate", "shots"];

    public static InternalizationPlan Load(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, 0, "file", "file not found");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates a plan; <paramref name="source"/> names the file in errors.</summary>
    public static InternalizationPlan Parse(string json, string source = "(plan json)")
    {
        JsonNode? node;
        try { node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new DataFormatException(source, (int)(e.LineNumber ?? -1) + 1, "(json)", $"malformed JSON: {e.Message}"); }
        void Fail(string field, string problem) => throw new DataFormatException(source, 0, field, problem);
        if (node is not JsonObject root) { Fail("(json)", "the plan must be a JSON object"); return null!; }
        CheckKeys(root, PlanKeys, "", source);

        string name = String(root, "name", "name", source, required: true)!;
        string description = String(root, "description", "description", source, required: false) ?? "";
        double epochs = root.ContainsKey("epochs") ? Number(root["epochs"], "epochs", source) : 10;
        if (root["stages"] is not JsonArray stages) { Fail("stages", root.ContainsKey("stages") ? "must be an array" : "missing"); return null!; }

        var list = new List<PlanStage>();
        for (int i = 0; i < stages.Count; i++)
        {
            string at = $"stages[{i}]";
            if (stages[i] is not JsonObject s) { Fail(at, "must be an object"); return null!; }
            CheckKeys(s, StageKeys, at + ".", source);
            if (!s.ContainsKey("template_rate")) Fail(at + ".template_rate", "missing (use null to drop the template)");
            if (!s.ContainsKey("shots")) Fail(at + ".shots", "missing");
            double? rate = s["template_rate"] is null ? null : Number(s["template_rate"], at + ".template_rate", source);
            int shots = Integer(s["shots"], at + ".shots", source);
            double share = s.ContainsKey("epoch_share") ? Number(s["epoch_share"], at + ".epoch_share", source) : 1;
            list.Add(new PlanStage(rate, shots, share));
        }

        var inference = InferenceLayout.QueryOnly;
        if (root.ContainsKey("inference"))
        {
            if (root["inference"] is not JsonObject inf) { Fail("inference", "must be an object"); return null!; }
            CheckKeys(inf, InferenceKeys, "inference.", source);
            if (!inf.ContainsKey("template_rate")) Fail("inference.template_rate", "missing (use null for query-only inference)");
            double? rate = inf["template_rate"] is null ? null : Number(inf["template_rate"], "inference.template_rate", source);
            int shots = inf.ContainsKey("shots") ? Integer(inf["shots"], "inference.shots", source) : 0;
            inference = new InferenceLayout(rate, shots);
        }
        return new InternalizationPlan(name, description, list, inference, epochs).Validate(source);
    }

    public static string ToJson(InternalizationPlan plan)
    {
        var root = new JsonObject
        {
            ["name"] = plan.Name,
            ["description"] = plan.Description,
            ["epochs"] = plan.Epochs,
            ["stages"] = new JsonArray(plan.Stages.Select(s => (JsonNode)new JsonObject
            {
                ["template_rate"] = s.KeepRate,
                ["shots"] = s.Shots,
                ["epoch_share"] = s.EpochShare,
            }).ToArray()),
            ["inference"] = new JsonObject { ["template_rate"] = plan.Inference.KeepRate, ["shots"] = plan.Inference.Shots },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>Validates, then writes atomically.</summary>
    public static void Save(string path, InternalizationPlan plan) => AtomicFile.WriteAllText(path, ToJson(plan.Validate(path)) + "\n");

    static void CheckKeys(JsonObject obj, string[] known, string prefix, string source)
    {
        foreach (var (key, _) in obj)
            if (!known.Contains(key))
                throw new DataFormatException(source, 0, prefix + key, $"unknown key; known keys here: {string.Join(", ", known)}");
    }

    static string? String(JsonObject obj, string key, string field, string source, bool required)
    {
        if (!obj.ContainsKey(key))
            return required ? throw new DataFormatException(source, 0, field, "missing") : null;
        if (obj[key] is JsonValue v && v.TryGetValue<string>(out var s)) return s;
        throw new DataFormatException(source, 0, field, "must be a string");
    }

    static double Number(JsonNode? node, string field, string source)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number) return v.GetValue<double>();
        throw new DataFormatException(source, 0, field, $"must be a number, found {Describe(node)}");
    }

    static int Integer(JsonNode? node, string field, string source)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
        {
            double d = v.GetValue<double>();
            if (d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue) return (int)d;
        }
        throw new DataFormatException(source, 0, field, $"must be an integer, found {Describe(node)}");
    }

    static string Describe(JsonNode? node) => node is null ? "null" : node.ToJsonString();
}
