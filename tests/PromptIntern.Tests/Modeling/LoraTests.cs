using TorchSharp;
using PromptIntern.Modeling;
using Xunit;
using static TorchSharp.torch;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;

namespace PromptIntern.Tests.Modeling;

public class LoraTests
{
    static void TrainAFewSteps(CausalLanguageModel lm, LoraAdapter lora)
    {
        var ids = randint(0, 256, [2, 16], generator: new Generator(5));
        var opt = optim.AdamW(lora.Parameters(), 1e-2);
        for (int i = 0; i < 3; i++)
        {
            using var s = NewDisposeScope();
            opt.zero_grad();
            lm.Model.Loss(ids, ids).backward();
            opt.step();
        }
    }

    [Fact]
    public void Attach_LeavesOutputUnchangedAndTrainsOnlyAdapters()
    {
        using var lm = MicroModel();
        using var ids = randint(0, 256, [2, 10]);
        Tensor before;
        using (no_grad()) before = lm.Model.call(ids);
        var baseWeights = HfCheckpoint.StateDict(lm.Model).ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var lora = lm.AttachLora(new LoraConfig { R = 4, Alpha = 8, Dropout = 0 });
        using (no_grad()) Assert.True(Same(before, lm.Model.call(ids)));
        Assert.Equal(2 * LlamaConfig.Micro.NumLayers, lora.TargetNames.Count);
        Assert.All(lm.Model.named_parameters().Where(p => p.parameter.requires_grad), p => Assert.True(LoraAdapter.IsAdapterName(p.name), p.name));

        TrainAFewSteps(lm, lora);
        foreach (var (name, w) in HfCheckpoint.StateDict(lm.Model)) Assert.True(Same(baseWeights[name], w), name);
        using (no_grad()) Assert.False(Same(before, lm.Model.call(ids)));
    }

    [Fact]
    public void Merge_GivesSameForwardAsUnmerged_AndUnmergeRestoresBase()
    {
        using var lm = MicroModel();
        var lora = lm.AttachLora(new LoraConfig { R = 4, Dropout = 0, TargetModules = ["all-linear"] });
        TrainAFewSteps(lm, lora);
        lm.Model.eval();
        using var ids = randint(0, 256, [2, 10]);
        using var _ = no_grad();
        var unmerged = lm.Model.call(ids);
        var baseQ = HfCheckpoint.StateDict(lm.Model)["model.layers.0.self_attn.q_proj.weight"].clone();
        lora.Merge();
        Assert.True(MaxAbsDiff(unmerged, lm.Model.call(ids)) < 1e-4);
        lora.Unmerge();
        Assert.True(MaxAbsDiff(baseQ, HfCheckpoint.StateDict(lm.Model)["model.layers.0.self_attn.q_proj.weight"]) < 1e-6);
    }

    [Fact]
    public void SaveAdapter_WritesOnlyAdapterWeightsWithPeftNames_AndLoadsBack()
    {
        var dir = TempDir();
        using var lm = MicroModel();
        var lora = lm.AttachLora(new LoraConfig { R = 4, Dropout = 0 });
        TrainAFewSteps(lm, lora);
        lora.Save(dir, baseModel: "micro");
        var names = Safetensors.ReadHeader(Path.Combine(dir, "adapter_model.safetensors")).Entries.Select(e => e.Name).ToList();
        Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", names);
        Assert.Contains("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight", names);
        Assert.Equal(4 * LlamaConfig.Micro.NumLayers, names.Count);
        var cfg = File.ReadAllText(Path.Combine(dir, "adapter_config.json"));
        Assert.Contains("\"lora_alpha\"", cfg);
        Assert.Contains("\"peft_type\": \"LORA\"", cfg);

        using var fresh = MicroModel();
        LoraAdapter.Load(fresh.Model, dir);
        using var ids = randint(0, 256, [1, 8]);
        using var _ = no_grad();
        lm.Model.eval(); fresh.Model.eval();
        var diff = MaxAbsDiff(lm.Model.call(ids), fresh.Model.call(ids));
        Assert.True(diff < 1e-6, $"max diff {diff}");
    }

    [Fact]
    public void Attach_UnknownTarget_IsAClearError()
    {
        using var lm = MicroModel();
        var e = Assert.Throws<ArgumentException>(() => lm.AttachLora(new LoraConfig { TargetModules = ["qproj"] }));
        Assert.Contains("qproj", e.Message);
    }
}

public class LoraSaveTests
{
    [Fact]
    public void ModelSave_WithLora_WritesMergedWeightsThatReproduceTheAdaptedModel()
    {
        var dir = TempDir();
        using var lm = MicroModel();
        var lora = lm.AttachLora(new LoraConfig { R = 4, Dropout = 0 });
        var opt = optim.AdamW(lora.Parameters(), 1e-2);
        var ids = randint(0, 256, [2, 12], generator: new Generator(3));
        for (int i = 0; i < 3; i++) { using var s = NewDisposeScope(); opt.zero_grad(); lm.Model.Loss(ids, ids).backward(); opt.step(); }
        lm.Save(dir);
        Assert.False(lora.Merged);
        using var back = CausalLanguageModel.Load(dir);
        Assert.DoesNotContain(back.Model.named_parameters(), p => LoraAdapter.IsAdapterName(p.name));
        lm.Model.eval();
        using var _ = no_grad();
        Assert.True(MaxAbsDiff(lm.Model.call(ids), back.Model.call(ids)) < 1e-4);
    }

    [Fact]
    public void Bf16Model_TrainsAndDecodesWithCache()
    {
        using var lm = MicroModel();
        lm.Model.to(ScalarType.BFloat16);
        var ids = randint(0, 256, [2, 12], generator: new Generator(4));
        var loss = lm.Model.Loss(ids, ids);
        Assert.Equal(ScalarType.Float32, loss.dtype);
        loss.backward();
        Assert.True(float.IsFinite(loss.item<float>()));
        var outs = lm.Generate(["ls", "echo hi"], new GenerationOptions { MaxNewTokens = 4, StopAtEos = false });
        Assert.All(outs, o => Assert.Equal(4, o.GeneratedTokens));
    }
}
