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
    public void FusedPartUpdates_TakeTheUpdatesOfOneFusedModule_AndAddIntoGivesTheHookedOutputAndGradients()
    {
        using var lm = MicroModel();
        var lora = lm.AttachLora(new LoraConfig { R = 4, Alpha = 12, Dropout = 0, TargetModules = ["q_proj", "v_proj"] });
        TrainAFewSteps(lm, lora); // B away from zero
        var layers = FusedProjections.LinearLayers(lm.Model);
        FusedProjections.Layer Find(string name) => layers.Single(l => l.Name.EndsWith(name));
        var (q, k, v) = (Find("layers.0.self_attn.q_proj"), Find("layers.0.self_attn.k_proj"), Find("layers.0.self_attn.v_proj"));
        var other = Find("layers.1.self_attn.q_proj").Module;
        var x = randn([2, 5, LlamaConfig.Micro.HiddenSize], generator: new Generator(3));
        var g = randn([2, 5, q.Module.weight!.shape[0]], generator: new Generator(4));
        var adapterGrads = new List<Tensor[]>();
        Tensor Backward(Tensor y)
        {
            lm.Model.zero_grad();
            (y * g).sum().backward();
            adapterGrads.Add([.. lora.Parameters().Select(p => p.grad is null ? zeros(1) : p.grad.clone())]);
            return y.detach();
        }

        var hooked = Backward(q.Module.call(x));
        Tensor plain;
        using (no_grad()) plain = q.Module.forward(x);
        Tensor collected, otherHooked;
        using (var updates = FusedPartUpdates.Collect(q.Module))
        {
            collected = q.Module.call(x);
            using (no_grad()) otherHooked = other.call(x); // another module: its adapters add as usual
            Assert.Equal(0, MaxAbsDiff(plain, collected.detach()));
            Assert.True(updates.Within((q.Offset, q.Rows), (k.Offset, k.Rows), (v.Offset, v.Rows)));
            Assert.Null(updates.For(k.Offset, k.Rows));
            foreach (var part in new[] { q, v })
                Assert.True(MaxAbsDiff(updates.For(part.Offset, part.Rows)!.detach(), (hooked - plain).narrow(-1, part.Offset, part.Rows)) < 1e-5, part.Name);
            updates.AddInto(collected);
        }
        Assert.True(MaxAbsDiff(hooked, Backward(collected)) < 1e-5);
        Assert.All(adapterGrads[0].Zip(adapterGrads[1]), p => Assert.True(MaxAbsDiff(p.First, p.Second) < 1e-5));
        Assert.Contains(adapterGrads[0], t => t.abs().max().item<float>() > 0);
        using (no_grad())
        {
            Assert.False(Same(otherHooked, other.forward(x)));
            Assert.True(MaxAbsDiff(hooked, q.Module.call(x)) < 1e-6); // closed: the hook adds again
        }
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
