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
}
