using PromptIntern.Cli;
using PromptIntern.Modeling;
using PromptIntern.Tests.Modeling;
using Xunit;

namespace PromptIntern.Tests.Cli;

/// <summary>`promptintern model info|merge` on the parity fixtures.</summary>
public class ModelVerbTests
{
    static string Fixtures => HfParityTests.Fixtures;

    [Fact]
    public void ModelInfo_DescribesAFixture_AndAnUnsupportedFamilyIsOneLine()
    {
        var output = new StringWriter();
        Assert.Equal(0, CliApp.Run(["model", "info", "--model", Path.Combine(Fixtures, "models", "phi3")], output));
        Assert.Contains("Phi3ForCausalLM", output.ToString());
        Assert.Contains("qkv_proj", output.ToString());

        var dir = Directory.CreateTempSubdirectory("pi-gemma-").FullName;
        File.WriteAllText(Path.Combine(dir, "config.json"), "{\"model_type\": \"gemma2\", \"hidden_size\": 64, \"num_attention_heads\": 4}");
        var refused = new StringWriter();
        Assert.Equal(2, CliApp.Run(["model", "info", "--model", dir], refused));
        var line = refused.ToString().ReplaceLineEndings("");   // the console wraps long lines
        Assert.Contains("config.json", line);
        Assert.Contains("'model_type'", line);
        Assert.Contains("gemma2", line);
        Assert.DoesNotContain("   at ", refused.ToString());
        Directory.Delete(dir, true);
    }

    [Fact]
    public void ModelMerge_WritesACheckpointWithTheAdaptedLogits()
    {
        var outDir = Directory.CreateTempSubdirectory("pi-merge-").FullName;
        var models = Path.Combine(Fixtures, "models");
        Assert.Equal(0, CliApp.Run(["model", "merge", "--model", Path.Combine(models, "llama"), "--adapter", Path.Combine(Fixtures, "peft", "llama-kit-made"), "--out", outDir, "--dtype", "float32"], new StringWriter()));
        // The base's own config.json travels (fields the kit does not model, such as pad_token_id, stay for transformers).
        Assert.Contains("\"pad_token_id\"", File.ReadAllText(Path.Combine(outDir, "config.json")));
        using var merged = HfCheckpoint.Load(outDir);
        using var adapted = HfCheckpoint.Load(Path.Combine(models, "llama"));
        LoraAdapter.Load(adapted, Path.Combine(Fixtures, "peft", "llama-kit-made"));
        using var ids = TorchSharp.torch.randint(0, 200, [1, 12]);
        using var _ = TorchSharp.torch.no_grad();
        merged.eval(); adapted.eval();
        Assert.True(ModelingTestHelpers.MaxAbsDiff(merged.call(ids), adapted.call(ids)) < 1e-4);
        Directory.Delete(outDir, true);
    }

    /// <summary>`model compare` on the Llama fixture in bf16 on the CPU: transformers' fp32 logits from the fixture, the kit's own
    /// bf16 logits standing in for transformers' bf16 run (so the kit-vs-bf16 gap is exactly zero and the noise floor is the kit's).</summary>
    [Fact]
    public void ModelCompare_MeasuresTheBf16GapAndLoadingCost()
    {
        var dir = Directory.CreateTempSubdirectory("pi-compare-").FullName;
        var model = Path.Combine(Fixtures, "models", "llama");
        var fixture = Safetensors.Load(Path.Combine(Fixtures, "references", "llama.safetensors"));
        using (var lm = HfCheckpoint.Load(model, TorchSharp.torch.CPU, TorchSharp.torch.ScalarType.BFloat16))
        using (TorchSharp.torch.no_grad())
        {
            lm.eval();
            var bf16 = lm.call(fixture["input_ids"].to(TorchSharp.torch.ScalarType.Int64)).to(TorchSharp.torch.ScalarType.Float32);
            Safetensors.Save(Path.Combine(dir, "ref.safetensors"), new Dictionary<string, TorchSharp.torch.Tensor>
                { ["input_ids"] = fixture["input_ids"], ["logits_fp32"] = fixture["logits"], ["logits_bf16"] = bf16 });
        }
        var greedy = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures, "references", "llama.json")))!;
        File.WriteAllText(Path.Combine(dir, "ref.json"), new System.Text.Json.Nodes.JsonObject
        {
            ["prompts"] = greedy["prompts"]!.DeepClone(), ["greedy_bf16"] = greedy["greedy"]!.DeepClone(), ["greedy_fp32"] = greedy["greedy"]!.DeepClone(),
            ["transformers"] = "test", ["shape"] = "fixture",
        }.ToJsonString());

        var result = ReferenceLogitCheck.Run(model, Path.Combine(dir, "ref"), TorchSharp.torch.CPU, TorchSharp.torch.ScalarType.BFloat16);
        Assert.Equal(0.0, result.KitVsBf16.MaxAbs);
        Assert.Equal(1.0, result.KitVsBf16.Top1Agreement);
        Assert.Equal(result.NoiseFloor.MaxAbs, result.KitVsFp32.MaxAbs);
        Assert.InRange(result.KitVsFp32.MaxAbs, 1e-4, 0.5);               // bf16 rounding: visible, far below the logit scale
        Assert.True(result.WithinTolerance);
        Assert.Equal(96, result.Greedy.Tokens);
        Assert.Equal(96, result.Greedy.Bf16VsFp32);
        Assert.Equal(result.Parameters * 2, result.Loading.WeightBytes); // bf16 on load: two bytes a parameter, no fp32 copy kept
        Assert.True(result.Loading.Seconds > 0);

        var output = new StringWriter();
        Assert.Equal(0, CliApp.Run(["model", "compare", "--model", model, "--reference", Path.Combine(dir, "ref"), "--device", "cpu", "--out", dir, "--name", "llama-bf16"], output));
        Assert.Contains("noise floor", File.ReadAllText(Path.Combine(dir, "llama-bf16.md")));
        Assert.Contains("\"within_tolerance\": true", File.ReadAllText(Path.Combine(dir, "llama-bf16.json")));
        Assert.Contains("within", Assert.Single(ReferenceLogitCheck.ReadmeLines(dir)));   // what `model parity` adds to the README

        var missing = new StringWriter();
        Assert.Equal(2, CliApp.Run(["model", "compare", "--model", model, "--reference", Path.Combine(dir, "nope")], missing));
        Assert.Contains("--reference", missing.ToString());
        Directory.Delete(dir, true);
    }
}
