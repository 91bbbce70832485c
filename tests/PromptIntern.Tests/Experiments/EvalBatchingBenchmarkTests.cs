using System.Text.Json.Nodes;
using PromptIntern.Data;
using PromptIntern.Experiments;
using PromptIntern.Modeling;
using PromptIntern.Provenance;
using Xunit;
using static TorchSharp.torch;

namespace PromptIntern.Tests.Experiments;

public class EvalBatchingBenchmarkTests
{
    [Fact]
    public void Run_ComparesBothOrdersOnTheSamePrompts_AndWritesTheResultWithProvenance()
    {
        var setup = TaskSetup.Load(TaskName.Nl2Bash, ReproducePreset.Quick with { EvalRows = 6 }, seed: 1337);
        using var lm = CausalLanguageModel.Load(KitPaths.TinyModel, CPU);
        var result = EvalBatchingBenchmark.Run(lm, setup, shots: 2, batchSizes: [2], reps: 1, maxNewTokens: 6);

        Assert.True(result.SameOutputs);
        Assert.Equal(["input-order", "length-sorted"], result.Rows.Select(r => r.Order));
        var (inOrder, sorted) = (result.Rows[0], result.Rows[1]);
        Assert.Equal(inOrder.PromptTokens, sorted.PromptTokens);
        Assert.True(sorted.PadTokens <= inOrder.PadTokens);
        Assert.All(result.Rows, r => Assert.True(r.Seconds.Count == 1 && r.CpuSeconds.Count == 1 && r.FastestSeconds > 0 && r.MedianCpuSeconds > 0));

        using var dir = new TempDir();
        var files = EvalBatchingBenchmark.Write(dir.File("nl2bash-cpu"), result, RunProvenance.Capture(new Dictionary<string, object?> { ["rows"] = 6 }));
        var json = JsonNode.Parse(File.ReadAllText(files[0]))!;
        Assert.Equal(6, json["provenance"]!["config"]!["rows"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(json["provenance"]!["commit"]!.GetValue<string>()));
        Assert.Equal(sorted.PadTokens, json["result"]!["rows"]![1]!["pad_tokens"]!.GetValue<long>());
        Assert.Contains("| 2 | length-sorted |", File.ReadAllText(files[1]));
        Assert.Contains("its fastest (identical work)", File.ReadAllText(files[1]));
    }
}
