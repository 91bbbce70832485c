using System.Text.Json;
using System.Text.Json.Nodes;
using PromptIntern.Data;
using PromptIntern.Experiments;
using Xunit;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;

namespace PromptIntern.Tests.Experiments;

/// <summary>CPU runs are deterministic, so the committed quick reference must be what the code produces now. A full
/// quick run takes minutes; these re-run a slice of it on the shipped tiny model and compare exactly.</summary>
public class QuickReferenceTests
{
    /// <summary>The slice: the quick preset on 16 train rows, the first 4 dev rows, one step per stage.</summary>
    static ReproductionOptions Slice(string workspace) => new()
    {
        Preset = ReproducePreset.Quick with
        {
            TrainRows = 16, EvalRows = 4, Epochs = 1, MaxNewTokens = 16, LatencyQueries = 1, Methods = ["llmlingua2", "promptintern"],
        },
        Workspace = workspace,
    };

    /// <summary>The slice's committed outcome (written by PROMPTINTERN_UPDATE_SLICE=1 when the code's output changes on
    /// purpose; the quick reference under results/experiments is then regenerated too).</summary>
    static string Expected => Path.Combine(KitPaths.Results, "reproduce", "quick-slice.json");

    [Fact]
    public void QuickSlice_ReproducesCommittedPredictionsExactly()
    {
        var run = Reproduction.Run(Slice(TempDir()));
        var actual = new JsonObject();
        foreach (var r in run.Results)
        {
            var folder = Path.Combine(run.Options.ExperimentsDirectory, r.Id);
            actual[r.Method] = new JsonObject
            {
                ["id"] = r.Id,
                ["metrics"] = JsonSerializer.SerializeToNode(r.Metrics),
                ["input_tokens_per_query"] = r.InputTokensPerQuery,
                ["final_train_loss"] = r.FinalTrainLoss,
                ["predictions"] = new JsonArray(File.ReadLines(Path.Combine(folder, "predictions.jsonl"))
                    .Select(l => JsonNode.Parse(l)!).Select(p => (JsonNode)new JsonObject
                    {
                        ["id"] = p["id"]!.GetValue<string>(), ["prompt_chars"] = p["prompt_chars"]!.GetValue<int>(), ["prediction"] = p["prediction"]!.GetValue<string>(),
                    }).ToArray()),
            };
        }
        var text = actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        if (Environment.GetEnvironmentVariable("PROMPTINTERN_UPDATE_SLICE") == "1") AtomicFile.WriteAllText(Expected, text + "\n");
        Assert.Equal(File.ReadAllText(Expected).TrimEnd(), text);
    }

    /// <summary>The compressed inference prompts of the llmlingua2 row do not depend on the train subset or the training:
    /// the slice's must match the committed quick reference's first rows character for character.</summary>
    [Fact]
    public void QuickSlice_Llmlingua2PromptsMatchTheCommittedQuickReference()
    {
        var quick = new ReproductionOptions { Preset = ReproducePreset.Quick, Workspace = TempDir() };
        var id = Reproduction.Ids(quick).Single(i => i.Contains("-llmlingua2-", StringComparison.Ordinal));
        var committed = File.ReadLines(Path.Combine(KitPaths.Experiments, id, "predictions.jsonl")).Take(4)
            .Select(l => JsonNode.Parse(l)!["prompt_chars"]!.GetValue<int>()).ToList();
        var expected = JsonNode.Parse(File.ReadAllText(Expected))!["llmlingua2"]!["predictions"]!.AsArray()
            .Select(p => p!["prompt_chars"]!.GetValue<int>()).ToList();
        Assert.Equal(committed, expected);
    }
}
