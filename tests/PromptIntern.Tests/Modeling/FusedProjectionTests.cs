using PromptIntern.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static PromptIntern.Tests.Modeling.ModelingTestHelpers;
using static TorchSharp.torch;

namespace PromptIntern.Tests.Modeling;

/// <summary>q/k/v and gate/up computed as one fused projection each: the same numbers as the separate Hugging Face
/// projections, the same names on disk, LoRA on the parts (end-to-end parity with transformers is HfParityTests').</summary>
public class FusedProjectionTests
{
    // Biases everywhere and grouped-query heads, so every row range of the fused weights and biases is exercised.
    static LlamaConfig Config => LlamaConfig.FromJson("{\"model_type\": \"llama\", \"vocab_size\": 64, \"hidden_size\": 32, \"intermediate_size\": 48, " +
        "\"num_hidden_layers\": 2, \"num_attention_heads\": 4, \"num_key_value_heads\": 2, \"max_position_embeddings\": 32, " +
        "\"attention_bias\": true, \"mlp_bias\": true, \"tie_word_embeddings\": false}");

    static Linear Module(LlamaModel model, string name) => (Linear)model.named_modules().First(m => m.name == name).module;

    static Tensor Input(long seed) => randn([2, 5, 32], generator: new Generator((ulong)seed));

    [Fact]
    public void FusedOutputs_EqualTheSeparateProjections_OfTheirHuggingFaceSlices()
    {
        using var model = new LlamaModel(Config, seed: 3);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var hf = HfCheckpoint.StateDict(model);
        var x = Input(1);
        foreach (var (fused, parts) in new[] { ("self_attn.qkv_proj", new[] { "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj" }),
                                               ("mlp.gate_up_proj", new[] { "mlp.gate_proj", "mlp.up_proj" }) })
        {
            var outputs = Module(model, $"model.layers.1.{fused}").call(x);
            long offset = 0;
            foreach (var part in parts)
            {
                var w = hf[$"model.layers.1.{part}.weight"];
                var separate = nn.functional.linear(x, w, hf[$"model.layers.1.{part}.bias"]);
                var mine = outputs.narrow(-1, offset, w.shape[0]);
                Assert.True(MaxAbsDiff(separate, mine) <= 1e-6, $"{part}: {MaxAbsDiff(separate, mine)}");
                offset += w.shape[0];
            }
            Assert.Equal(outputs.shape[^1], offset);
        }
    }

    [Fact]
    public void Save_WritesTheSeparateHuggingFaceTensors_AndLoadsBackExactly()
    {
        using var dir = new TempDir();
        using var model = new LlamaModel(Config, seed: 4);
        HfCheckpoint.Save(model, dir.Path);
        var names = Safetensors.ReadHeader(Path.Combine(dir.Path, HfCheckpoint.WeightsFile)).Entries.Select(e => e.Name).ToList();
        foreach (var leaf in new[] { "q_proj", "k_proj", "v_proj", "gate_proj", "up_proj" })
            foreach (var kind in new[] { "weight", "bias" })
                Assert.Contains($"model.layers.0.{(leaf.EndsWith("up_proj") || leaf == "gate_proj" ? "mlp" : "self_attn")}.{leaf}.{kind}", names);
        Assert.DoesNotContain(names, n => n.Contains(FusedProjections.Qkv) || n.Contains(FusedProjections.GateUp));
        Assert.Equal(Config.NumLayers * 16 + 3, names.Count); // per layer 7 weights, 7 biases, 2 norms; embeddings, final norm, head

        using var scope = NewDisposeScope();
        var saved = Safetensors.Load(Path.Combine(dir.Path, HfCheckpoint.WeightsFile));
        var fusedQkv = Module(model, "model.layers.1.self_attn.qkv_proj").weight!;
        Assert.True(Same(saved["model.layers.1.self_attn.k_proj.weight"], fusedQkv.narrow(0, 32, 16)), "k_proj is rows 32..48 of qkv_proj");

        using var back = HfCheckpoint.Load(dir.Path);
        using var _ = no_grad();
        var ids = Ids([1, 7, 3, 9, 2], [4, 4, 8, 1, 0]);
        Assert.True(Same(model.call(ids), back.call(ids)));
    }

    [Fact]
    public void LoraOnFusedParts_AddsToItsRowsOnly_AndMergesIntoThem()
    {
        using var model = new LlamaModel(Config, seed: 5);
        var baseQkv = Module(model, "model.layers.0.self_attn.qkv_proj");
        using var scope = NewDisposeScope();
        var x = Input(2);
        Tensor before;
        using (no_grad()) before = baseQkv.call(x).clone();
        var lora = LoraAdapter.Attach(model, new LoraConfig { R = 4, Alpha = 8, Dropout = 0, TargetModules = ["q_proj", "v_proj", "up_proj"] });
        Assert.Contains("model.layers.0.self_attn.q_proj", lora.TargetNames);
        var adapters = model.named_parameters().Where(p => LoraAdapter.IsAdapterName(p.name)).ToDictionary(p => p.name, p => p.parameter);
        Assert.Contains("model.layers.0.self_attn.v_proj.lora_B.weight", adapters.Keys);
        Assert.Contains("model.layers.1.mlp.up_proj.lora_A.weight", adapters.Keys);
        Assert.Equal([16L, 4L], adapters["model.layers.0.self_attn.v_proj.lora_B.weight"].shape);
        using (no_grad()) foreach (var (name, p) in adapters) if (name.Contains("lora_B")) p.normal_(0, 0.5);

        using var _ = no_grad();
        var after = baseQkv.call(x);
        Tensor Delta(string part) => nn.functional.linear(nn.functional.linear(x, adapters[$"model.layers.0.self_attn.{part}.lora_A.weight"]),
            adapters[$"model.layers.0.self_attn.{part}.lora_B.weight"]) * 2.0;
        Assert.True(MaxAbsDiff(after.narrow(-1, 0, 32), before.narrow(-1, 0, 32) + Delta("q_proj")) <= 1e-5, "q rows get the q update");
        Assert.True(Same(after.narrow(-1, 32, 16), before.narrow(-1, 32, 16)), "k rows are untouched");
        Assert.True(MaxAbsDiff(after.narrow(-1, 48, 16), before.narrow(-1, 48, 16) + Delta("v_proj")) <= 1e-5, "v rows get the v update");

        var ids = Ids([1, 7, 3, 9, 2]);
        var unmerged = model.call(ids);
        var weightBefore = baseQkv.weight!.clone();
        lora.Merge();
        Assert.True(MaxAbsDiff(model.call(ids), unmerged) <= 1e-4);
        Assert.True(Same(baseQkv.weight!.narrow(0, 32, 16), weightBefore.narrow(0, 32, 16)), "merging q and v leaves k's rows alone");
        lora.Unmerge();
        Assert.True(MaxAbsDiff(baseQkv.weight!, weightBefore) <= 1e-6);
    }
}
